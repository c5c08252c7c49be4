/** `{}` / `true` admit anything; `false` admits nothing. */
import type { ts } from '../../print/ts.js';
import { ZodFn } from './constants.js';
import { zod } from './factory.js';

export function unknownToZod(): ts.Expression {
  return zod(ZodFn.unknown);
}

export function neverToZod(): ts.Expression {
  return zod(ZodFn.never);
}
