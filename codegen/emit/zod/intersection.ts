/**
 * `allOf` → `z.intersection(a, b)`, folded left. When every part is a plain anonymous object they are merged
 * into one `z.object`, which reads better and keeps one shape (zod intersections of objects are not objects).
 */

import { isSchema } from '../../ir/json-schema.js';
import type { JsonSchema } from '../../ir/types.js';
import type { ts } from '../../print/ts.js';
import { ZodFn } from './constants.js';
import { at, componentOf, fail, type ZodContext } from './context.js';
import { zod } from './factory.js';
import { has } from './keywords.js';
import { objectOf, type PropertyEntry } from './object.js';
import { unknownToZod } from './unknown.js';

/** What a mergeable part may hold besides annotations and `x-` extensions. */
const PLAIN_OBJECT_KEYS = new Set([
  'type',
  'properties',
  'required',
  'title',
  'description',
  'examples',
  '$comment',
]);

export function allOfToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  const parts = schema.allOf;
  if (!Array.isArray(parts))
    throw fail(at(ctx, 'allOf'), 'found `allOf` that is not a list', 'list the parts under `allOf`');
  if (parts.length > 1 && parts.every((part) => isPlainObject(part, ctx))) return merged(parts, ctx);
  const exprs = parts.map((part, i) => ctx.visit(part, at(ctx, 'allOf', i)));
  return intersectionOf(exprs);
}

/** `z.intersection(z.intersection(a, b), c)`; one part is itself, none is `z.unknown()`. */
export function intersectionOf(exprs: readonly ts.Expression[]): ts.Expression {
  const [first, ...rest] = exprs;
  if (!first) return unknownToZod();
  return rest.reduce((left, right) => zod(ZodFn.intersection, left, right), first);
}

function isPlainObject(part: unknown, ctx: ZodContext): part is JsonSchema {
  if (!isSchema(part) || componentOf(part, ctx.components) !== undefined) return false;
  if (part.type !== undefined && part.type !== 'object') return false;
  if (!isSchema(part.properties)) return false;
  return Object.keys(part).every((k) => PLAIN_OBJECT_KEYS.has(k) || k.startsWith('x-') || !has(part, k));
}

/** One object with every part's properties; a key declared twice keeps the intersection (no merge). */
function merged(parts: readonly JsonSchema[], ctx: ZodContext): ts.Expression {
  const required = new Set(parts.flatMap((part) => (Array.isArray(part.required) ? part.required : [])));
  const entries: PropertyEntry[] = parts.flatMap((part, i) =>
    Object.entries(part.properties as JsonSchema).map(([key, schema]) => ({
      key,
      schema,
      required: required.has(key),
      ctx: at(ctx, 'allOf', i, 'properties', key),
    })),
  );
  if (new Set(entries.map((e) => e.key)).size !== entries.length) {
    return intersectionOf(parts.map((part, i) => ctx.visit(part, at(ctx, 'allOf', i))));
  }
  return objectOf(entries, undefined, ctx);
}
