/**
 * fast-check arbitraries of payloads, derived from a payload's JSON Schema, for `parley conformance --fuzz`.
 *
 * The arbitrary aims at valid values: within the schema's lengths, ranges, enums, patterns and formats, with
 * hostile content where the schema allows it (any Unicode, long strings up to `maxLength`). It is best
 * effort, so the caller classifies each value with the validator rather than trusting it (an overlap of
 * `oneOf` branches, say, makes a value invalid). Sizes the schema leaves open are capped, so that a run stays
 * bounded: strings at 256 characters, lists at 16 items.
 */
import fc from 'fast-check';
import type { IRPayload, JsonSchema } from '../codegen/index.js';
import { isSchema, typesOf } from '../codegen/ir/json-schema.js';

/** Caps for what the schema leaves open. */
const OPEN_STRING = 256;
const OPEN_LIST = 16;
/** Past this depth only leaves are drawn, so that recursive schemas end. */
const MAX_DEPTH = 4;

/** Formats with an arbitrary of their own; any other format is drawn as a plain string. */
const FORMATS: Record<string, () => fc.Arbitrary<string>> = {
  'date-time': () =>
    fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
  date: () =>
    fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
  uuid: () => fc.uuid(),
  email: () => fc.emailAddress(),
  uri: () => fc.webUrl(),
  url: () => fc.webUrl(),
};

/** The arguments of an emit for `payload`: an array of arguments (empty for an event without payload). */
export function argsArbitrary(payload: IRPayload): fc.Arbitrary<unknown[]> {
  if (payload.kind === 'none') return fc.constant([]);
  if (payload.kind === 'args') return fc.tuple(...payload.items.map((item) => valueArbitrary(item)));
  return valueArbitrary(payload.schema).map((value) => [value]);
}

/** Values for one schema. */
export function valueArbitrary(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const branches = [schema.oneOf, schema.anyOf].flatMap((b) => (Array.isArray(b) ? b.filter(isSchema) : []));
  if (branches.length > 0) {
    // A branch's siblings (`type`, `properties` beside `oneOf`) apply to every branch.
    const { oneOf: _o, anyOf: _a, ...rest } = schema;
    return fc.oneof(...branches.map((branch) => valueArbitrary({ ...rest, ...branch }, depth)));
  }
  if (Array.isArray(schema.allOf)) {
    const merged = schema.allOf.filter(isSchema).reduce<JsonSchema>((all, part) => merge(all, part), {});
    const { allOf: _, ...rest } = schema;
    return valueArbitrary(merge(rest, merged), depth);
  }
  const types = typesOf(schema) ?? inferredTypes(schema);
  if (types.length === 0) return leaf();
  return fc.oneof(...types.map((type) => typed(type, schema, depth)));
}

function typed(type: string, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer(range(schema, true));
    case 'number':
      return fc.double({ ...range(schema, false), noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayArbitrary(schema, depth);
    case 'object':
      return objectArbitrary(schema, depth);
    default:
      return leaf();
  }
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = numberOf(schema.minLength) ?? 0;
  const maxLength = numberOf(schema.maxLength) ?? Math.max(minLength, OPEN_STRING);
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format) return format();
  if (typeof schema.pattern === 'string') {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  // Any code point, lone surrogates included: what a hostile client can put in a JSON string.
  return fc.string({ minLength, maxLength, unit: 'binary' });
}

function range(schema: JsonSchema, integer: boolean): { min?: number; max?: number } {
  let min = numberOf(schema.minimum);
  let max = numberOf(schema.maximum);
  const step = integer ? 1 : Number.EPSILON;
  const exclusiveMin = numberOf(schema.exclusiveMinimum);
  const exclusiveMax = numberOf(schema.exclusiveMaximum);
  if (exclusiveMin !== undefined) min = exclusiveMin + step;
  if (exclusiveMax !== undefined) max = exclusiveMax - step;
  if (integer) {
    min = min === undefined ? undefined : Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER);
    max = max === undefined ? undefined : Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER);
  }
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function arrayArbitrary(schema: JsonSchema, depth: number): fc.Arbitrary<unknown[]> {
  const minItems = numberOf(schema.minItems) ?? 0;
  const maxItems = numberOf(schema.maxItems) ?? Math.max(minItems, OPEN_LIST);
  // A tuple: draft-07 `items: [...]` (+ `additionalItems`), or 2020-12 `prefixItems` (+ `items`).
  const prefix = Array.isArray(schema.items)
    ? schema.items
    : Array.isArray(schema.prefixItems)
      ? schema.prefixItems
      : undefined;
  if (prefix) {
    const head = fc.tuple(...prefix.filter(isSchema).map((item) => valueArbitrary(item, depth + 1)));
    const restSchema = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    if (!isSchema(restSchema)) return head;
    const room = Math.max(0, Math.min(maxItems, prefix.length + OPEN_LIST) - prefix.length);
    return fc
      .tuple(head, fc.array(valueArbitrary(restSchema, depth + 1), { maxLength: room }))
      .map(([h, r]) => [...h, ...r]);
  }
  const items =
    isSchema(schema.items) && depth < MAX_DEPTH ? valueArbitrary(schema.items, depth + 1) : leaf();
  const array = fc.array(items, { minLength: minItems, maxLength: Math.min(maxItems, minItems + OPEN_LIST) });
  return schema.uniqueItems === true
    ? array.map((a) => [...new Map(a.map((v) => [JSON.stringify(v), v])).values()])
    : array;
}

function objectArbitrary(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = isSchema(schema.properties) ? (schema.properties as Record<string, unknown>) : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((k) => typeof k === 'string') : [],
  );
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (!isSchema(property)) continue;
    // Deep optional properties are left out, so that a recursive schema ends.
    if (depth >= MAX_DEPTH && !required.has(key)) continue;
    model[key] = valueArbitrary(property, depth + 1);
  }
  for (const key of required) model[key] ??= leaf();
  return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
}

/** A small JSON value, for what the schema does not describe. */
function leaf(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.string({ maxLength: 16 }), fc.integer(), fc.boolean(), fc.constant(null));
}

function inferredTypes(schema: JsonSchema): string[] {
  if (isSchema(schema.properties) || Array.isArray(schema.required)) return ['object'];
  if ('items' in schema || 'prefixItems' in schema) return ['array'];
  return [];
}

function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
  const properties =
    isSchema(a.properties) || isSchema(b.properties)
      ? { ...(a.properties as object), ...(b.properties as object) }
      : undefined;
  const required = [
    ...(Array.isArray(a.required) ? a.required : []),
    ...(Array.isArray(b.required) ? b.required : []),
  ];
  return { ...a, ...b, ...(properties ? { properties } : {}), ...(required.length ? { required } : {}) };
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
