/**
 * `oneOf` / `anyOf` → `z.union`, or `z.discriminatedUnion` when one required `const` property tells the
 * branches apart. A `null` branch becomes `.nullable()`. zod unions accept the first branch that matches,
 * so `oneOf`'s "exactly one" is only enforced when the branches are discriminated.
 */

import { isSchema } from '../../ir/json-schema.js';
import type { JsonSchema } from '../../ir/types.js';
import { literal, type ts } from '../../print/ts.js';
import { ZodFn } from './constants.js';
import { at, fail, type ZodContext } from './context.js';
import { list, zod } from './factory.js';
import { COMPOSITION, has, isNullSchema, isPrimitive } from './keywords.js';
import { nullable, nullToZod } from './null.js';

export function unionToZod(schema: JsonSchema, keyword: 'oneOf' | 'anyOf', ctx: ZodContext): ts.Expression {
  const branches = schema[keyword];
  if (!Array.isArray(branches) || !branches.length) {
    throw fail(
      at(ctx, keyword),
      `found \`${keyword}\` that is not a non-empty list`,
      `list the alternatives under \`${keyword}\``,
    );
  }
  const kept = branches.map((branch, i) => ({ branch, i })).filter(({ branch }) => !isNullSchema(branch));
  if (!kept.length) return nullToZod();
  const exprs = kept.map(({ branch, i }) => ctx.visit(branch, at(ctx, keyword, i)));
  const key = discriminatorOf(
    kept.map(({ branch }) => branch),
    schema.discriminator,
  );
  const expr =
    key !== undefined && exprs.length > 1
      ? zod(ZodFn.discriminatedUnion, literal(key), list(exprs))
      : unionOf(exprs);
  return kept.length < branches.length ? nullable(expr) : expr;
}

/** `z.union([...])`, or the single option itself. */
export function unionOf(options: readonly ts.Expression[]): ts.Expression {
  return options.length === 1 ? options[0]! : zod(ZodFn.union, list(options));
}

/**
 * The property that tells the branches apart: present in every branch, required, and a `const` (or a
 * one-value `enum`) with a different value in each. AsyncAPI's `discriminator` is tried first.
 */
export function discriminatorOf(branches: readonly unknown[], hint?: unknown): string | undefined {
  const objects = branches.filter(isPlainBranch);
  if (objects.length !== branches.length || !objects[0]) return undefined;
  const candidates = [...(typeof hint === 'string' ? [hint] : []), ...Object.keys(propertiesOf(objects[0]))];
  return candidates.find((key) => {
    const tags = objects.map((branch) => tagOf(branch, key));
    const seen = new Set(tags.map((tag) => JSON.stringify(tag)));
    return tags.every((tag) => tag !== undefined) && seen.size === tags.length;
  });
}

/** An object schema that zod prints as a `ZodObject` (what `z.discriminatedUnion` takes). */
function isPlainBranch(schema: unknown): schema is JsonSchema {
  if (!isSchema(schema) || !isSchema(schema.properties)) return false;
  const objectOnly = schema.type === undefined || schema.type === 'object';
  const wrapped = ['const', 'enum', 'default', ...COMPOSITION].some((k) => has(schema, k));
  return objectOnly && !wrapped;
}

function propertiesOf(schema: JsonSchema): JsonSchema {
  return schema.properties as JsonSchema;
}

/** The branch's literal value for `key`, or undefined when `key` does not discriminate it. */
function tagOf(branch: JsonSchema, key: string): { value: unknown } | undefined {
  const required = Array.isArray(branch.required) && branch.required.includes(key);
  const property = Object.hasOwn(propertiesOf(branch), key) ? propertiesOf(branch)[key] : undefined;
  if (!required || !isSchema(property) || has(property, 'default')) return undefined;
  if (has(property, 'const') && isPrimitive(property.const)) return { value: property.const };
  const values = property.enum;
  return Array.isArray(values) && values.length === 1 && isPrimitive(values[0])
    ? { value: values[0] }
    : undefined;
}
