/**
 * Tuples, in every form `tupleOf` (ir/json-schema.ts) reads: draft-07 `items: [...]` with `additionalItems`,
 * 2020-12 `prefixItems` with `items`, or only `additionalItems`. Extra items: `false` → none (plain `z.tuple`), a
 * schema → `.rest(x)`, nothing said → `.rest(z.unknown())` as JSON Schema allows. Every listed item is required
 * (JSON Schema would let a shorter array through unless `minItems` says otherwise; a tuple means "these
 * arguments"), so `minItems`/`maxItems` are not checked.
 */

import { type Tuple, tupleOf } from '../../ir/json-schema.js';
import type { JsonSchema } from '../../ir/types.js';
import type { ts } from '../../print/ts.js';
import { ZodFn, ZodMethod } from './constants.js';
import { at, type ZodContext } from './context.js';
import { chain, list, zod } from './factory.js';
import { isEmptySchema } from './keywords.js';
import { unknownToZod } from './unknown.js';

export function tupleToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  // Only called for a schema `tupleOf` reads (see array.ts).
  return tupleExpression(tupleOf(schema) as Tuple, ctx);
}

/** A tuple, or a message's several arguments (`kind: 'args'`, whose pointers are `items/<i>`). */
export function tupleExpression(
  { items, itemsKey, rest, restKey }: Pick<Tuple, 'items' | 'rest'> & Partial<Tuple>,
  ctx: ZodContext,
): ts.Expression {
  const tuple = zod(
    ZodFn.tuple,
    list(items.map((item, i) => ctx.visit(item, at(ctx, itemsKey ?? 'items', i)))),
  );
  if (rest === false) return tuple;
  return chain(
    tuple,
    ZodMethod.rest,
    isEmptySchema(rest) ? unknownToZod() : ctx.visit(rest, at(ctx, restKey ?? 'additionalItems')),
  );
}
