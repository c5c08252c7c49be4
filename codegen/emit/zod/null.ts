/** `type: 'null'`. A `null` alongside other types becomes `.nullable()` instead (see `schema.ts`, `union.ts`). */
import type { ts } from '../../print/ts.js';
import { ZodFn, ZodMethod } from './constants.js';
import { chain, zod } from './factory.js';

export function nullToZod(): ts.Expression {
  return zod(ZodFn.null);
}

export function nullable(expr: ts.Expression): ts.Expression {
  return chain(expr, ZodMethod.nullable);
}
