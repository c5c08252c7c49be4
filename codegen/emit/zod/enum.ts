/** `const` → `z.literal`; `enum` → `z.enum` for strings, a union of literals otherwise; `null` → `.nullable()`. */

import type { JsonSchema } from '../../ir/types.js';
import { literal, type ts } from '../../print/ts.js';
import { ZodFn } from './constants.js';
import { at, fail, type ZodContext } from './context.js';
import { list, zod } from './factory.js';
import { isPrimitive, type Primitive } from './keywords.js';
import { nullable, nullToZod } from './null.js';
import { unionOf } from './union.js';
import { neverToZod } from './unknown.js';

const PRIMITIVES_ONLY =
  'zod literals are strings, numbers, booleans or null: describe the shape with `type`/`properties` instead';

export function constToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  const value = schema.const;
  if (!isPrimitive(value))
    throw fail(at(ctx, 'const'), `found \`const: ${JSON.stringify(value)}\``, PRIMITIVES_ONLY);
  return literalToZod(value);
}

export function enumToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  const values = schema.enum;
  if (!Array.isArray(values))
    throw fail(at(ctx, 'enum'), `found \`enum: ${JSON.stringify(values)}\``, 'write `enum` as a list');
  values.forEach((value, i) => {
    if (!isPrimitive(value))
      throw fail(at(ctx, 'enum', i), `found the enum value ${JSON.stringify(value)}`, PRIMITIVES_ONLY);
  });
  const unique = [...new Set(values as Primitive[])];
  const options = unique.filter((v) => v !== null);
  if (!options.length) return unique.length ? nullToZod() : neverToZod();
  const expr = options.every((v) => typeof v === 'string')
    ? zod(ZodFn.enum, list(options.map((v) => literal(v))))
    : unionOf(options.map(literalToZod));
  return unique.includes(null) ? nullable(expr) : expr;
}

export function literalToZod(value: Primitive): ts.Expression {
  return zod(ZodFn.literal, literal(value));
}
