/**
 * Objects. `additionalProperties`: `false` → `z.strictObject`, `true` → `z.looseObject`, absent → `z.object`
 * (unknown keys are stripped), a schema → `.catchall(x)`; without `properties`, a record.
 * A property whose value reads a component not defined yet is a getter, which zod 4 reads lazily: that is
 * how recursive components work (`get replyTo() { return Message.nullable(); }`).
 */

import { isSchema } from '../../ir/json-schema.js';
import type { JsonSchema } from '../../ir/types.js';
import { docOf, literal, propName, ts, withDoc } from '../../print/ts.js';
import { ZodFn, ZodMethod } from './constants.js';
import { at, componentOf, fail, inProperty, type ZodContext } from './context.js';
import { chain, zod } from './factory.js';
import { has, isEmptySchema } from './keywords.js';
import { unknownToZod } from './unknown.js';

const f = ts.factory;

/** One property of a shape, with the context (path) its schema is emitted in. */
export interface PropertyEntry {
  key: string;
  schema: unknown;
  required: boolean;
  ctx: ZodContext;
}

export function objectToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  const properties = schema.properties ?? {};
  if (!isSchema(properties)) {
    throw fail(
      at(ctx, 'properties'),
      'found `properties` that is not an object',
      'map each property name to its schema',
    );
  }
  // Not checked: `minProperties`/`maxProperties` (zod objects count no keys, and a refine would cost the
  // shape its type) and `required` names missing from `properties` (zod only checks declared keys).
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const entries = Object.entries(properties).map(([key, value]) => ({
    key,
    schema: value,
    required: required.has(key),
    ctx: at(ctx, 'properties', key),
  }));
  return objectOf(entries, schema.additionalProperties, ctx);
}

/** The zod object for a list of properties and an `additionalProperties` value. */
export function objectOf(
  entries: readonly PropertyEntry[],
  additional: unknown,
  ctx: ZodContext,
): ts.Expression {
  const shape = f.createObjectLiteralExpression(entries.map(propertyOf), true);
  if (additional === false) return zod(ZodFn.strictObject, shape);
  const open = additional === undefined || isEmptySchema(additional);
  const rest = open ? undefined : ctx.visit(additional, at(ctx, 'additionalProperties'));
  if (!entries.length) return zod(ZodFn.record, zod(ZodFn.string), rest ?? unknownToZod());
  if (rest) return chain(zod(ZodFn.object, shape), ZodMethod.catchall, rest);
  return zod(additional === undefined ? ZodFn.object : ZodFn.looseObject, shape);
}

function propertyOf(entry: PropertyEntry): ts.ObjectLiteralElementLike {
  const { expr, defer } = inProperty(entry.ctx, (ctx) => {
    const value = ctx.visit(entry.schema, ctx);
    // A default already makes the key optional on input, and always present on output.
    const defaulted = isSchema(entry.schema) && has(entry.schema, 'default');
    return entry.required || defaulted ? value : chain(value, ZodMethod.optional);
  });
  const name = nameOf(entry.key);
  const node = defer
    ? f.createGetAccessorDeclaration(
        undefined,
        name,
        [],
        undefined,
        f.createBlock([f.createReturnStatement(expr)], true),
      )
    : f.createPropertyAssignment(name, expr);
  // A component's description says what the component is; it is on its const, not on every use.
  const own = isSchema(entry.schema) && componentOf(entry.schema, entry.ctx.components) === undefined;
  return withDoc(node, own ? docOf(entry.schema as JsonSchema) : undefined);
}

/** `'__proto__': x` in an object literal would set the prototype; the computed form defines a key. */
function nameOf(key: string): ts.PropertyName {
  return key === '__proto__' ? f.createComputedPropertyName(literal(key)) : propName(key);
}
