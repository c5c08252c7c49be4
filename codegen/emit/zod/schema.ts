/**
 * The dispatcher: one JSON Schema → one zod expression. `const`/`enum` win over `type`; `type` (written or
 * implied by keywords) picks the kind; `allOf`/`oneOf`/`anyOf` are intersected with what the schema says
 * beside them; then `.nullable()` and `.default()`.
 */

import { isSchema } from '../../ir/json-schema.js';
import type { JsonSchema } from '../../ir/types.js';
import { literal, type ts } from '../../print/ts.js';
import { arrayToZod } from './array.js';
import { booleanToZod } from './boolean.js';
import { SCHEMA_ID, ZodMethod } from './constants.js';
import { type ComponentTable, componentOf, fail, newScope, tracked, type ZodContext } from './context.js';
import { constToZod, enumToZod } from './enum.js';
import { chain } from './factory.js';
import { allOfToZod, intersectionOf } from './intersection.js';
import { assertSupported, has, type JsonType, onlyTyped, typesOf } from './keywords.js';
import { nullable, nullToZod } from './null.js';
import { numberToZod } from './number.js';
import { objectToZod } from './object.js';
import { refToZod } from './ref.js';
import { stringToZod } from './string.js';
import { unionOf, unionToZod } from './union.js';
import { neverToZod, unknownToZod } from './unknown.js';

/** The zod expression for a schema; a component met here is a reference to its const. */
export function schemaToZod(schema: unknown, ctx: ZodContext): ts.Expression {
  if (schema === true) return unknownToZod();
  if (schema === false) return neverToZod();
  if (!isSchema(schema)) {
    throw fail(
      ctx,
      `found ${JSON.stringify(schema)} where a schema was expected`,
      'write a schema object, `true` or `false`',
    );
  }
  const component = componentOf(schema, ctx.components);
  return component === undefined ? schemaBody(schema, ctx) : refToZod(component, ctx);
}

/** The zod expression for a schema's own keywords: a component's definition, or an anonymous schema. */
export function schemaBody(schema: JsonSchema, outer: ZodContext): ts.Expression {
  if (outer.trail.includes(schema)) {
    throw fail(
      outer,
      'found a schema that contains itself but is not a component',
      'move it under `components/schemas` and `$ref` it',
    );
  }
  const ctx = { ...outer, trail: [...outer.trail, schema] };
  assertSupported(schema, ctx);
  if (!has(schema, 'default')) return keywordsToZod(schema, ctx);
  const { expr, cyclic } = tracked(ctx, (inner) => keywordsToZod(schema, inner));
  // TypeScript cannot infer `.default(v)` on a value whose type is still being inferred; in a getter it can.
  if (cyclic) ctx.scope.defer = true;
  return chain(expr, ZodMethod.default, literal(schema.default));
}

function keywordsToZod(schema: JsonSchema, ctx: ZodContext): ts.Expression {
  if (has(schema, 'const')) return constToZod(schema, ctx);
  if (has(schema, 'enum')) return enumToZod(schema, ctx);
  const types = typesOf(schema, ctx);
  // `integer` adds nothing next to `number`; `null` beside other types is `.nullable()`.
  const present = types.filter((t) => t !== 'null' && !(t === 'integer' && types.includes('number')));
  const orNull = (expr: ts.Expression) => (types.includes('null') ? nullable(expr) : expr);
  const composed = [
    ...(has(schema, 'allOf') ? [allOfToZod(schema, ctx)] : []),
    ...(has(schema, 'oneOf') ? [unionToZod(schema, 'oneOf', ctx)] : []),
    ...(has(schema, 'anyOf') ? [unionToZod(schema, 'anyOf', ctx)] : []),
  ];
  if (!present.length) {
    if (composed.length) return intersectionOf(composed);
    return types.includes('null') ? nullToZod() : unknownToZod();
  }
  // `{ type: object, oneOf: [...] }`: the branches say it all; a bare `type` beside them adds nothing.
  if (composed.length && onlyTyped(schema)) return orNull(intersectionOf(composed));
  const typed = unionOf(present.map((type) => typedToZod(type as Exclude<JsonType, 'null'>, schema, ctx)));
  return intersectionOf([orNull(typed), ...composed]);
}

function typedToZod(type: Exclude<JsonType, 'null'>, schema: JsonSchema, ctx: ZodContext): ts.Expression {
  switch (type) {
    case 'string':
      return stringToZod(schema, ctx);
    case 'number':
      return numberToZod(schema, ctx, false);
    case 'integer':
      return numberToZod(schema, ctx, true);
    case 'boolean':
      return booleanToZod();
    case 'object':
      return objectToZod(schema, ctx);
    case 'array':
      return arrayToZod(schema, ctx);
  }
}

export interface ZodContextOptions {
  /** Component schemas by const name; a schema met inside another is printed as a reference to them. */
  components?: Readonly<Record<string, JsonSchema>>;
  /** The recursive group being defined (see `ZodContext.cycle`). */
  cycle?: Iterable<string>;
  /** Components not yet defined (see `ZodContext.pending`). */
  pending?: Iterable<string>;
  /** What is being generated, for errors. */
  where?: string;
}

export function createZodContext(options: ZodContextOptions = {}): ZodContext {
  const entries = Object.entries(options.components ?? {});
  const components: ComponentTable = {
    byObject: new Map(entries.map(([name, schema]) => [schema, name])),
    byId: new Map(
      entries.flatMap(([name, schema]) =>
        typeof schema[SCHEMA_ID] === 'string' ? [[schema[SCHEMA_ID], name]] : [],
      ),
    ),
  };
  return {
    components,
    cycle: new Set(options.cycle),
    pending: new Set(options.pending),
    where: options.where ?? 'a schema',
    path: '',
    scope: newScope(),
    trail: [],
    visit: schemaToZod,
  };
}
