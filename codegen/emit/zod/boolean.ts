/** `type: boolean` */
import type { ts } from '../../print/ts.js';
import { ZodFn } from './constants.js';
import { zod } from './factory.js';

export function booleanToZod(): ts.Expression {
  return zod(ZodFn.boolean);
}
