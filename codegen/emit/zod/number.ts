/** `type: number` and `type: integer`, with draft-07 bounds (`exclusiveMinimum` is a number, not a flag). */

import type { JsonSchema } from '../../ir/types.js';
import { literal, type ts } from '../../print/ts.js';
import { numberBound } from './bounds.js';
import { ZodFn, ZodMethod } from './constants.js';
import { at, fail, type ZodContext } from './context.js';
import { chain, zod } from './factory.js';

/** Keyword → zod method, in the order the checks are chained. */
const BOUNDS = [
  ['minimum', ZodMethod.min],
  ['exclusiveMinimum', ZodMethod.gt],
  ['maximum', ZodMethod.max],
  ['exclusiveMaximum', ZodMethod.lt],
  ['multipleOf', ZodMethod.multipleOf],
] as const;

export function numberToZod(schema: JsonSchema, ctx: ZodContext, integer: boolean): ts.Expression {
  let expr: ts.Expression = zod(integer ? ZodFn.int : ZodFn.number);
  for (const [keyword, zodMethod] of BOUNDS) {
    if (keyword.startsWith('exclusive') && typeof schema[keyword] === 'boolean') {
      throw fail(
        at(ctx, keyword),
        `found the draft-04 form \`${keyword}: ${schema[keyword]}\``,
        `write the bound itself: \`${keyword}: <number>\` (and drop \`${keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'}\`)`,
      );
    }
    const value = numberBound(schema, keyword, ctx);
    if (value !== undefined) expr = chain(expr, zodMethod, literal(value));
  }
  return expr;
}
