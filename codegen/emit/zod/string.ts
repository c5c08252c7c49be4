/** `type: string`: length, `pattern`, and the formats zod has a builder for. */

import type { JsonSchema } from '../../ir/types.js';
import { literal, ts } from '../../print/ts.js';
import { lengthBound } from './bounds.js';
import { STRING_FORMATS, ZodFn, ZodMethod } from './constants.js';
import { at, fail, type ZodContext } from './context.js';
import { chain, regExp, zod } from './factory.js';
import { has } from './keywords.js';

export function stringToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  let expr = formatToZod(schema.format);
  const min = lengthBound(schema, 'minLength', ctx);
  if (min !== undefined) expr = chain(expr, ZodMethod.min, literal(min));
  const max = lengthBound(schema, 'maxLength', ctx);
  if (max !== undefined) expr = chain(expr, ZodMethod.max, literal(max));
  if (has(schema, 'pattern')) expr = chain(expr, ZodMethod.regex, regExp(patternOf(schema.pattern, ctx)));
  return expr;
}

function formatToZod(format: unknown): ts.Expression {
  const fn = typeof format === 'string' ? STRING_FORMATS.get(format) : undefined;
  // RFC 3339 `date-time` requires an offset (`Z` or `+02:00`); zod accepts only `Z` unless told.
  if (fn === ZodFn.isoDateTime) return zod(fn, options({ offset: true }));
  return zod(fn ?? ZodFn.string);
}

/** `{ offset: true }` on one line. */
function options(values: Readonly<Record<string, boolean>>): ts.Expression {
  const f = ts.factory;
  return f.createObjectLiteralExpression(
    Object.entries(values).map(([key, value]) => f.createPropertyAssignment(key, literal(value))),
    false,
  );
}

/** JSON Schema patterns are unanchored ECMA-262 regexes, as `new RegExp(pattern)` reads them. */
function patternOf(pattern: unknown, ctx: ZodContext): string {
  const where = at(ctx, 'pattern');
  if (typeof pattern !== 'string')
    throw fail(where, `found a ${typeof pattern} pattern`, 'write the pattern as a string');
  try {
    new RegExp(pattern);
  } catch (error) {
    throw fail(
      where,
      `\`${pattern}\` is not a valid regular expression (${(error as Error).message})`,
      'write an ECMA-262 regular expression',
    );
  }
  return pattern;
}
