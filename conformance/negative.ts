/**
 * Invalid payloads derived from an operation's payload schema, each wrong in exactly one way, starting from a
 * valid payload (the operation's example): a required field missing, a field of the wrong type, an unknown
 * property where `additionalProperties: false`, a string over its `maxLength`, a value outside its `enum`,
 * and a payload of the wrong kind altogether. Only top-level fields (and the items of a list payload) are
 * mutated. Every candidate is checked against the schema, so none that is in fact valid is kept.
 */
import type { IRPayload, JsonSchema } from '../codegen/index.js';
import { branchFor, isSchema, jsonTypes, typesOf } from './compare.js';

export interface InvalidPayload {
  /** Short, for case names: `"content" missing`. */
  name: string;
  /** The arguments to emit (a single payload is one argument). */
  args: unknown[];
}

export const UNKNOWN_PROPERTY = '__parley_unknown';

/** Values tried, in order, when a value of another type is needed. */
const OTHER_TYPE_VALUES: unknown[] = [12345, 'not-the-right-type', true, { unexpected: true }, [], null];

/**
 * The invalid payloads for `payload`, built from `valid` (the payload as a single value, or the list of
 * arguments of a tuple). `isValid` tells whether a list of arguments matches the payload schema.
 */
export function invalidPayloads(
  payload: IRPayload,
  valid: unknown,
  isValid: (args: unknown[]) => boolean,
): InvalidPayload[] {
  const out: InvalidPayload[] = [];
  const add = (name: string, args: unknown[]) => {
    if (out.some((o) => o.name === name)) return;
    if (!isValid(args)) out.push({ name, args });
  };
  if (payload.kind === 'none') return out;
  if (payload.kind === 'args') {
    const given = Array.isArray(valid) ? valid : payload.items.map(sampleOf);
    if (given.length > 0) add(`argument ${given.length} missing`, given.slice(0, -1));
    payload.items.forEach((schema, i) => {
      const other = otherTypeValue(schema);
      if (other.found) {
        add(
          `argument ${i + 1} of the wrong type (${kindOf(other.value)})`,
          given.map((arg, j) => (j === i ? other.value : arg)),
        );
      }
    });
    return out;
  }

  const root = payload.schema;
  const base = valid === undefined ? sampleOf(root) : valid;
  const schema = branchFor(root, base);
  const wrongKind = otherTypeValue(root);
  if (wrongKind.found) {
    add(`wrong kind of payload (${kindOf(wrongKind.value)}, not ${describeTypes(root)})`, [wrongKind.value]);
  }

  if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
    const object = base as Record<string, unknown>;
    const properties = isSchema(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
    const required = (Array.isArray(schema.required) ? schema.required : []).filter(
      (key): key is string => typeof key === 'string',
    );
    for (const key of required) {
      const { [key]: _dropped, ...rest } = object;
      add(`"${key}" missing`, [rest]);
    }
    for (const [key, property] of Object.entries(properties)) {
      if (!isSchema(property)) continue;
      const other = otherTypeValue(property);
      if (other.found) {
        add(`"${key}" of the wrong type (${kindOf(other.value)})`, [{ ...object, [key]: other.value }]);
      }
      const tooLong = overMaxLength(property);
      if (tooLong !== undefined) {
        add(`"${key}" over its maxLength (${tooLong.length} characters)`, [{ ...object, [key]: tooLong }]);
      }
      const outside = outsideEnum(property);
      if (outside.found) add(`"${key}" outside its enum`, [{ ...object, [key]: outside.value }]);
    }
    if (schema.additionalProperties === false) {
      add(`unknown property "${UNKNOWN_PROPERTY}"`, [{ ...object, [UNKNOWN_PROPERTY]: true }]);
    }
  } else if (Array.isArray(base)) {
    const items = isSchema(schema.items) ? schema.items : undefined;
    if (items !== undefined) {
      const first = base.length > 0 ? base : [sampleOf(items)];
      const replaceFirst = (value: unknown) => [value, ...first.slice(1)];
      const other = otherTypeValue(items);
      if (other.found) add(`an item of the wrong type (${kindOf(other.value)})`, [replaceFirst(other.value)]);
      const tooLong = overMaxLength(items);
      if (tooLong !== undefined) {
        add(`an item over its maxLength (${tooLong.length} characters)`, [replaceFirst(tooLong)]);
      }
      const outside = outsideEnum(items);
      if (outside.found) add('an item outside its enum', [replaceFirst(outside.value)]);
    }
  } else {
    const tooLong = overMaxLength(schema);
    if (tooLong !== undefined) add(`over its maxLength (${tooLong.length} characters)`, [tooLong]);
    const outside = outsideEnum(schema);
    if (outside.found) add('outside its enum', [outside.value]);
  }
  return out;
}

/** A value of a type the schema does not allow, when its type is constrained. */
function otherTypeValue(schema: JsonSchema): { found: boolean; value?: unknown } {
  const allowed = allowedTypes(schema);
  if (allowed === undefined) return { found: false };
  const fits = (candidate: unknown) => jsonTypes(candidate).some((t) => allowed.has(t));
  const index = OTHER_TYPE_VALUES.findIndex((candidate) => !fits(candidate));
  return index < 0 ? { found: false } : { found: true, value: OTHER_TYPE_VALUES[index] };
}

/** The JSON types a schema allows, from `type`, `const`, `enum` and its `oneOf`/`anyOf` branches. */
function allowedTypes(schema: JsonSchema): Set<string> | undefined {
  const types = typesOf(schema);
  if (types !== undefined) {
    const set = new Set(types);
    if (set.has('number')) set.add('integer');
    return set;
  }
  if ('const' in schema) return new Set(jsonTypes(schema.const));
  if (Array.isArray(schema.enum)) return new Set(schema.enum.flatMap((v) => jsonTypes(v)));
  const branches = [schema.oneOf, schema.anyOf].flatMap((b) => (Array.isArray(b) ? b.filter(isSchema) : []));
  if (branches.length === 0) return undefined;
  const union = new Set<string>();
  for (const branch of branches) {
    const inner = allowedTypes(branch);
    if (inner === undefined) return undefined;
    for (const t of inner) union.add(t);
  }
  return union;
}

function describeTypes(schema: JsonSchema): string {
  const allowed = allowedTypes(schema);
  if (allowed === undefined) return 'the documented payload';
  return [...allowed]
    .filter((t) => t !== 'integer' || !allowed.has('number'))
    .map((t) => KINDS[t] ?? t)
    .join(' or ');
}

const KINDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

/** `a number`, `an object`, `a list`: a value's kind, for case names. */
export function kindOf(value: unknown): string {
  const type = jsonTypes(value).at(-1) as string;
  return KINDS[type] ?? type;
}

function overMaxLength(schema: JsonSchema): string | undefined {
  const max = schema.maxLength;
  if (typeof max !== 'number' || !(allowedTypes(schema)?.has('string') ?? true)) return undefined;
  return 'x'.repeat(max + 1);
}

function outsideEnum(schema: JsonSchema): { found: boolean; value?: unknown } {
  if (!Array.isArray(schema.enum) || schema.enum.length === 0) return { found: false };
  const values = schema.enum;
  if (values.every((v) => typeof v === 'string')) {
    let candidate = 'not-in-the-enum';
    while (values.includes(candidate)) candidate += '_';
    return { found: true, value: candidate };
  }
  if (values.every((v) => typeof v === 'number')) {
    return { found: true, value: Math.max(...(values as number[])) + 1 };
  }
  return { found: false };
}

/** A plausible valid value for a schema without an example (best effort; the checker has the last word). */
export function sampleOf(schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  const branch = [schema.oneOf, schema.anyOf].flatMap((b) => (Array.isArray(b) ? b.filter(isSchema) : []))[0];
  if (branch) return sampleOf(branch);
  const type = typesOf(schema)?.[0] ?? (isSchema(schema.properties) ? 'object' : undefined);
  switch (type) {
    case 'string': {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
      return 'x'.repeat(Math.max(1, min));
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items = isSchema(schema.items) ? schema.items : {};
      return Array.from({ length: min }, () => sampleOf(items));
    }
    case 'object': {
      const properties = isSchema(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
      const required = Array.isArray(schema.required) ? schema.required : [];
      return Object.fromEntries(
        required
          .filter((key): key is string => typeof key === 'string')
          .map((key) => [key, isSchema(properties[key]) ? sampleOf(properties[key]) : 'x']),
      );
    }
    default:
      return 'x';
  }
}
