/**
 * JSON Schema keywords, sorted by what the emitter does with them. Keywords not named here (annotations
 * such as `title` or `examples`, and every `x-` extension) are ignored, as JSON Schema itself ignores them.
 */
import { isSchema } from '../../ir/json-schema.js';
import type { JsonSchema } from '../../ir/types.js';
import { ANONYMOUS_ID, SCHEMA_ID, STRING_FORMATS } from './constants.js';
import { fail, type ZodContext } from './context.js';

export const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/** Keywords that constrain a value of one type; they also imply that type when `type` is absent. */
const TYPE_KEYWORDS: Readonly<Record<Exclude<JsonType, 'null' | 'boolean' | 'integer'>, readonly string[]>> =
  {
    object: ['properties', 'additionalProperties', 'required', 'minProperties', 'maxProperties'],
    array: ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems'],
    string: ['minLength', 'maxLength', 'pattern'],
    number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  };

export const COMPOSITION = ['allOf', 'oneOf', 'anyOf'] as const;

/** Validation keywords zod cannot express here, with how to rewrite the schema. */
const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['not', 'remove `not`; list the allowed values with `enum` or the allowed shapes with `oneOf`'],
  ['if', 'replace `if`/`then`/`else` with `oneOf` branches that each carry their own constraints'],
  ['then', 'replace `if`/`then`/`else` with `oneOf` branches that each carry their own constraints'],
  ['else', 'replace `if`/`then`/`else` with `oneOf` branches that each carry their own constraints'],
  ['patternProperties', 'declare the keys under `properties`, or give `additionalProperties` a schema'],
  ['propertyNames', 'declare the keys under `properties` with `additionalProperties: false`'],
  ['dependencies', 'split the object into `oneOf` branches, one per allowed combination of keys'],
  ['dependentRequired', 'split the object into `oneOf` branches, one per allowed combination of keys'],
  ['dependentSchemas', 'split the object into `oneOf` branches, one per allowed combination of keys'],
  ['contains', 'describe every item with `items` instead'],
  ['unevaluatedProperties', 'use `additionalProperties` instead'],
  ['unevaluatedItems', 'use `items` with `additionalItems` instead'],
  ['$ref', 'the parser leaves no `$ref` behind when the target exists; check the reference'],
  ['$dynamicRef', 'use a `$ref` to a component schema'],
  ['$recursiveRef', 'use a `$ref` to a component schema'],
]);

export function has(schema: JsonSchema, key: string): boolean {
  return Object.hasOwn(schema, key) && schema[key] !== undefined;
}

/** The component id of a schema (its key under `components/schemas`), or undefined for an anonymous one. */
export function componentId(schema: JsonSchema): string | undefined {
  const id = schema[SCHEMA_ID];
  return typeof id === 'string' && !ANONYMOUS_ID.test(id) ? id : undefined;
}

export function assertSupported(schema: JsonSchema, ctx: ZodContext): void {
  for (const [keyword, fix] of UNSUPPORTED) {
    if (has(schema, keyword)) throw fail(ctx, `found \`${keyword}\`, which has no zod equivalent here`, fix);
  }
}

/**
 * The types a schema admits: `type` as written, else the types its keywords constrain (`minLength` implies
 * a string). Strictly JSON Schema lets other types through in that case; generated code means what was meant.
 */
export function typesOf(schema: JsonSchema, ctx: ZodContext): JsonType[] {
  const written = schema.type;
  if (written === undefined) {
    const inferred = (Object.keys(TYPE_KEYWORDS) as (keyof typeof TYPE_KEYWORDS)[]).filter((type) =>
      TYPE_KEYWORDS[type].some((k) => has(schema, k)),
    );
    if (
      typeof schema.format === 'string' &&
      STRING_FORMATS.has(schema.format) &&
      !inferred.includes('string')
    ) {
      inferred.push('string');
    }
    return inferred;
  }
  const types = Array.isArray(written) ? written : [written];
  for (const type of types) {
    if (!JSON_TYPES.includes(type)) {
      throw fail(ctx, `found \`type: ${JSON.stringify(type)}\``, `use one of ${JSON_TYPES.join(', ')}`);
    }
  }
  return [...new Set(types as JsonType[])];
}

/** True when `type` is written but nothing else constrains that type (`{ type: object, oneOf: [...] }`). */
export function onlyTyped(schema: JsonSchema): boolean {
  return Object.values(TYPE_KEYWORDS).every((keywords) => keywords.every((k) => !has(schema, k)));
}

/** A schema that admits only `null` (`type: 'null'`, `const: null`, `enum: [null]`). */
export function isNullSchema(schema: unknown): boolean {
  if (!isSchema(schema)) return false;
  if (has(schema, 'const')) return schema.const === null;
  if (Array.isArray(schema.enum)) return schema.enum.length > 0 && schema.enum.every((v) => v === null);
  const type = schema.type;
  const onlyNull = type === 'null' || (Array.isArray(type) && type.length === 1 && type[0] === 'null');
  return onlyNull && !COMPOSITION.some((k) => has(schema, k));
}

/** `{}` or a schema of annotations only: it admits every value. */
export function isEmptySchema(schema: unknown): boolean {
  if (schema === true) return true;
  if (!isSchema(schema)) return false;
  const validating = [
    'type',
    'const',
    'enum',
    'format',
    'default',
    ...COMPOSITION,
    ...UNSUPPORTED.keys(),
    ...Object.values(TYPE_KEYWORDS).flat(),
  ];
  return validating.every((k) => !has(schema, k));
}

/** A JSON value zod can hold in `z.literal`. */
export type Primitive = string | number | boolean | null;

export function isPrimitive(value: unknown): value is Primitive {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
