/**
 * Comparing what the server answered with what the spec documents (the reply example paired with the request
 * example). Values the server makes up are checked by schema only; everything else must be equal.
 *
 * A documented value is **server-generated** (README, "Conformance") when, at its place in the reply schema:
 * 1. the schema says so: `x-parley-generated: true` (on an object: everything inside it);
 * 2. its schema has `format: date-time`, `date`, `time` or `uuid`;
 * 3. its key is named like an id (`id`, `_id`, `…Id`, `…_id`, `…ID`) and the request did not carry the value;
 * 4. it is a string that reads as an ISO-8601 timestamp (`2024-01-15T10:30:00…`) the request did not carry.
 *
 * For a generated value only its presence is checked (the schema, validated separately, checks the rest).
 * Fields an error template fills in (`{message}`, `{issues}`, …) are free as well (`free` paths).
 */
import type { JsonSchema } from '../codegen/index.js';
import { isSchema, jsonTypes, schemasOf, tupleOf, typesOf } from '../codegen/ir/json-schema.js';
import { formatJsonPath, isWithin, type JsonPath } from './error-shape.js';

export const GENERATED_KEYWORD = 'x-parley-generated';
const GENERATED_FORMATS = new Set(['date-time', 'date', 'time', 'uuid']);
const ID_KEY = /^_?id$|[a-z0-9]Id$|_id$|ID$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

export interface Difference {
  path: string;
  /** What is wrong, for people. */
  message: string;
}

export interface CompareOptions {
  /** The documented value (a reply example's payload). */
  documented: unknown;
  /** What the server sent. */
  actual: unknown;
  /** The schema of the value, to find generated fields. */
  schema: JsonSchema | undefined;
  /** The request payload: ids and timestamps it carried are not generated. */
  request: unknown;
  /** Paths compared by schema only (the free fields of an error template). */
  free?: JsonPath[];
}

/** Every place where `actual` differs from `documented`, generated values aside. */
export function compareDocumented(options: CompareOptions): Difference[] {
  const carried = primitivesOf(options.request);
  const free = options.free ?? [];
  const out: Difference[] = [];

  const walk = (documented: unknown, actual: unknown, schema: JsonSchema | undefined, path: JsonPath) => {
    const key = path.at(-1);
    if (free.some((prefix) => isWithin(path, prefix))) return;
    if (isGenerated(schema, typeof key === 'string' ? key : undefined, documented, carried)) return;
    const where = formatJsonPath(path);
    if (Array.isArray(documented)) {
      if (!Array.isArray(actual)) {
        out.push({ path: where, message: `expected a list like ${show(documented)}, got ${show(actual)}` });
        return;
      }
      if (actual.length !== documented.length) {
        out.push({
          path: where,
          message: `expected ${documented.length} item(s) (${show(documented)}), got ${actual.length} (${show(actual)})`,
        });
        return;
      }
      documented.forEach((item, i) => {
        walk(item, actual[i], childSchema(schema, documented, i), [...path, i]);
      });
      return;
    }
    if (documented !== null && typeof documented === 'object') {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
        out.push({
          path: where,
          message: `expected an object like ${show(documented)}, got ${show(actual)}`,
        });
        return;
      }
      for (const [k, item] of Object.entries(documented)) {
        const childPath = [...path, k];
        if (!Object.hasOwn(actual, k)) {
          if (free.some((prefix) => isWithin(childPath, prefix))) continue;
          out.push({
            path: formatJsonPath(childPath),
            message: `missing; the documented reply has ${show(item)}`,
          });
          continue;
        }
        walk(item, (actual as Record<string, unknown>)[k], childSchema(schema, documented, k), childPath);
      }
      return;
    }
    if (!Object.is(documented, actual)) {
      out.push({ path: where, message: `expected ${show(documented)}, got ${show(actual)}` });
    }
  };
  walk(options.documented, options.actual, options.schema, []);
  return out;
}

/** Rules 1–4 above, for one documented value at one place. */
export function isGenerated(
  schema: JsonSchema | undefined,
  key: string | undefined,
  documented: unknown,
  carried: ReadonlySet<unknown>,
): boolean {
  if (schema?.[GENERATED_KEYWORD] === true) return true;
  if (documented !== null && typeof documented === 'object') return false;
  if (typeof schema?.format === 'string' && GENERATED_FORMATS.has(schema.format)) return true;
  if (carried.has(documented)) return false;
  if (key !== undefined && ID_KEY.test(key)) return true;
  return (
    typeof documented === 'string' && ISO_TIMESTAMP.test(documented) && !Number.isNaN(Date.parse(documented))
  );
}

/** Every string, number and boolean inside a value. */
export function primitivesOf(value: unknown, into = new Set<unknown>()): Set<unknown> {
  if (Array.isArray(value)) for (const item of value) primitivesOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) primitivesOf(item, into);
  } else if (value !== undefined && value !== null) into.add(value);
  return into;
}

/**
 * The schema of `value[key]`, given the schema of `value`: through `properties`, `items` (or a tuple's
 * items), `additionalProperties`, the `allOf` parts, and the `oneOf`/`anyOf` branch `value` fits.
 */
export function childSchema(
  schema: JsonSchema | undefined,
  value: unknown,
  key: string | number,
): JsonSchema | undefined {
  if (schema === undefined) return undefined;
  const resolved = branchFor(schema, value);
  for (const part of [resolved, ...schemasOf(resolved.allOf).map((s) => branchFor(s, value))]) {
    if (typeof key === 'number') {
      const tuple = tupleOf(part);
      if (tuple) return tuple.items[key] ?? (tuple.rest === false ? undefined : tuple.rest);
      if (isSchema(part.items)) return part.items;
      continue;
    }
    const properties = part.properties;
    if (isSchema(properties) && isSchema(properties[key])) return properties[key] as JsonSchema;
    if (isSchema(part.additionalProperties)) return part.additionalProperties;
  }
  return undefined;
}

/** The `oneOf`/`anyOf` branch a value fits best (by type, `const`s and required keys); the schema itself otherwise. */
export function branchFor(schema: JsonSchema, value: unknown): JsonSchema {
  const branches = [...schemasOf(schema.oneOf), ...schemasOf(schema.anyOf)];
  if (branches.length === 0) return schema;
  const fits = branches.find((branch) => fitsRoughly(branchFor(branch, value), value));
  return fits ? branchFor(fits, value) : schema;
}

function fitsRoughly(schema: JsonSchema, value: unknown): boolean {
  if ('const' in schema && !Object.is(schema.const, value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => Object.is(v, value))) return false;
  const types = typesOf(schema);
  if (types !== undefined && !jsonTypes(value).some((t) => types.includes(t))) return false;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const required: unknown[] = Array.isArray(schema.required) ? schema.required : [];
    if (required.some((key) => typeof key === 'string' && !Object.hasOwn(value, key))) return false;
    const properties = isSchema(schema.properties) ? schema.properties : {};
    for (const [key, property] of Object.entries(properties)) {
      if (!isSchema(property) || !Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if ('const' in property && !Object.is(property.const, item)) return false;
    }
  }
  return true;
}

/** A value as short JSON, for messages. */
export function show(value: unknown, max = 200): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
