/** `type: array` with one `items` schema → `z.array`. Tuples (`items: [...]`, `prefixItems`) are in `tuple.ts`. */

import type { JsonSchema } from '../../ir/types.js';
import { literal, type ts } from '../../print/ts.js';
import { lengthBound } from './bounds.js';
import { ZodFn, ZodMethod } from './constants.js';
import { at, type ZodContext } from './context.js';
import { chain, zod } from './factory.js';
import { tupleToZod } from './tuple.js';
import { unknownToZod } from './unknown.js';

export function arrayToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  if (Array.isArray(schema.items) || Array.isArray(schema.prefixItems)) return tupleToZod(schema, ctx);
  const items = schema.items === undefined ? unknownToZod() : ctx.visit(schema.items, at(ctx, 'items'));
  let expr: ts.Expression = zod(ZodFn.array, items);
  const min = lengthBound(schema, 'minItems', ctx);
  if (min !== undefined) expr = chain(expr, ZodMethod.min, literal(min));
  const max = lengthBound(schema, 'maxItems', ctx);
  if (max !== undefined) expr = chain(expr, ZodMethod.max, literal(max));
  // `uniqueItems` is not checked: zod has no uniqueness check, and a refine would cost the array its type.
  return expr;
}
