/** Reading numeric keywords (`minLength`, `minimum`, ...), with an error when one is not a number. */
import type { JsonSchema } from '../../ir/types.js';
import { at, fail, type ZodContext } from './context.js';
import { has } from './keywords.js';

/** A number keyword, or undefined when absent. */
export function numberBound(schema: JsonSchema, keyword: string, ctx: ZodContext): number | undefined {
  if (!has(schema, keyword)) return undefined;
  const value = schema[keyword];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw fail(
      at(ctx, keyword),
      `found \`${keyword}: ${JSON.stringify(value)}\``,
      `give \`${keyword}\` a number`,
    );
  }
  return value;
}

/** A count keyword (`minLength`, `minItems`): a non-negative integer. */
export function lengthBound(schema: JsonSchema, keyword: string, ctx: ZodContext): number | undefined {
  const value = numberBound(schema, keyword, ctx);
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw fail(
      at(ctx, keyword),
      `found \`${keyword}: ${value}\``,
      `give \`${keyword}\` a non-negative integer`,
    );
  }
  return value;
}
