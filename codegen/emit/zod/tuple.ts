/**
 * Tuples: draft-07 `items: [...]` with `additionalItems`, or 2020-12 `prefixItems` with `items`.
 * Extra items: `false` → none (plain `z.tuple`), a schema → `.rest(x)`, absent → `.rest(z.unknown())` as JSON
 * Schema allows them. Every listed item is required (JSON Schema would let a shorter array through unless
 * `minItems` says otherwise; a tuple means "these arguments"), so `minItems`/`maxItems` are not checked.
 */

import type { JsonSchema } from '../../ir/types.js';
import type { ts } from '../../print/ts.js';
import { ZodFn, ZodMethod } from './constants.js';
import { at, type ZodContext } from './context.js';
import { chain, list, zod } from './factory.js';
import { isEmptySchema } from './keywords.js';
import { unknownToZod } from './unknown.js';

export function tupleToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  const modern = Array.isArray(schema.prefixItems);
  const [itemsKey, restKey] = modern ? ['prefixItems', 'items'] : ['items', 'additionalItems'];
  const items = schema[itemsKey] as readonly unknown[];
  const tuple = tupleOf(items.map((item, i) => ctx.visit(item, at(ctx, itemsKey, i))));
  const rest = schema[restKey];
  if (rest === false) return tuple;
  return chain(
    tuple,
    ZodMethod.rest,
    rest === undefined || isEmptySchema(rest) ? unknownToZod() : ctx.visit(rest, at(ctx, restKey)),
  );
}

/** `z.tuple([a, b])`: also how a message's several arguments (`kind: 'args'`) are written. */
export function tupleOf(items: readonly ts.Expression[]): ts.Expression {
  return zod(ZodFn.tuple, list(items));
}
