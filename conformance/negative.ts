/**
 * Invalid payloads derived from an operation's payload schema, each wrong in exactly one way, starting from a
 * valid payload (the operation's example): a required field missing, a field of the wrong type, an unknown
 * property where `additionalProperties: false`, a string over its `maxLength`, a value outside its `enum`,
 * a string under its `minLength`, a number outside its range, and a payload of the wrong kind altogether.
 * Fields are mutated at the top level and inside nested objects and lists of objects (two levels down); a
 * list payload through its first item. Every candidate is checked against the schema, so none that is in
 * fact valid is kept.
 */
import type { IRPayload, JsonSchema } from '../codegen/index.js';
import { isSchema, jsonTypes, typesOf } from '../codegen/ir/json-schema.js';
import { branchFor } from './compare.js';
import { sampleOf } from './sample.js';

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
    // After the listed arguments: none more for a closed tuple, only the rest's type for a rest tuple (an open
    // one takes anything, so neither candidate is kept for it).
    const listed = given.slice(0, payload.items.length);
    if (payload.rest === false) add(`an argument too many (${listed.length + 1})`, [...listed, 'extra']);
    else {
      const other = otherTypeValue(payload.rest);
      if (other.found) {
        add(`argument ${listed.length + 1} of the wrong type (${kindOf(other.value)})`, [
          ...listed,
          other.value,
        ]);
      }
    }
    return out;
  }

  const root = payload.schema;
  const base = valid === undefined ? sampleOf(root) : valid;
  const schema = branchFor(root, base);
  const wrongKind = otherTypeValue(root);
  if (wrongKind.found) {
    add(`wrong kind of payload (${kindOf(wrongKind.value)}, not ${describeTypes(root)})`, [wrongKind.value]);
  }

  if (isObject(base)) {
    for (const m of objectMutations(schema, base, '', 0)) add(m.name, [m.value]);
  } else if (Array.isArray(base)) {
    const items = isSchema(schema.items) ? schema.items : undefined;
    if (items !== undefined) {
      const first = base.length > 0 ? base : [sampleOf(items)];
      for (const [what, value] of slotMutations(items)) add(`an item ${what}`, [[value, ...first.slice(1)]]);
    }
  } else {
    for (const [what, value] of slotMutations(schema))
      if (!what.startsWith('of the wrong')) add(what, [value]);
  }
  return out;
}

/** How deep inside the payload fields are mutated (`offer.sdp` is depth 1). */
const MAX_DEPTH = 2;

interface Mutation {
  name: string;
  value: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * An object's mutations, each one field wrong (`prefix` names where the object is: `offer.`): required fields
 * missing, each field's slot mutations, an unknown property where none is allowed, then the same inside the
 * fields that hold objects (or lists of them, through their first item), down to `MAX_DEPTH`.
 */
function objectMutations(
  schema: JsonSchema,
  object: Record<string, unknown>,
  prefix: string,
  depth: number,
): Mutation[] {
  const out: Mutation[] = [];
  const properties = isSchema(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  const required = (Array.isArray(schema.required) ? schema.required : []).filter(
    (key): key is string => typeof key === 'string',
  );
  for (const key of required) {
    const { [key]: _dropped, ...rest } = object;
    out.push({ name: `"${prefix}${key}" missing`, value: rest });
  }
  const nested: Mutation[] = [];
  for (const [key, property] of Object.entries(properties)) {
    if (!isSchema(property)) continue;
    for (const [what, value] of slotMutations(property)) {
      out.push({ name: `"${prefix}${key}" ${what}`, value: { ...object, [key]: value } });
    }
    if (depth >= MAX_DEPTH || !Object.hasOwn(object, key)) continue;
    const inner = object[key];
    const innerSchema = branchFor(property, inner);
    const set = (value: unknown) => ({ ...object, [key]: value });
    if (isObject(inner)) {
      for (const m of objectMutations(innerSchema, inner, `${prefix}${key}.`, depth + 1)) {
        nested.push({ name: m.name, value: set(m.value) });
      }
    } else if (Array.isArray(inner) && inner.length > 0 && isSchema(innerSchema.items)) {
      const itemSchema = branchFor(innerSchema.items, inner[0]);
      const item = (value: unknown) => set([value, ...inner.slice(1)]);
      for (const [what, value] of slotMutations(itemSchema)) {
        nested.push({ name: `"${prefix}${key}[0]" ${what}`, value: item(value) });
      }
      if (isObject(inner[0])) {
        for (const m of objectMutations(itemSchema, inner[0], `${prefix}${key}[0].`, depth + 1)) {
          nested.push({ name: m.name, value: item(m.value) });
        }
      }
    }
  }
  if (schema.additionalProperties === false) {
    out.push({
      name: `unknown property "${prefix}${UNKNOWN_PROPERTY}"`,
      value: { ...object, [UNKNOWN_PROPERTY]: true },
    });
  }
  return [...out, ...nested];
}

/** The ways a value in one place can be wrong under `schema`: `[what, value]`, e.g. `["over its maxLength (6 characters)", "xxxxxx"]`. */
function slotMutations(schema: JsonSchema): [string, unknown][] {
  const out: [string, unknown][] = [];
  const other = otherTypeValue(schema);
  if (other.found) out.push([`of the wrong type (${kindOf(other.value)})`, other.value]);
  const tooLong = overMaxLength(schema);
  if (tooLong !== undefined) out.push([`over its maxLength (${tooLong.length} characters)`, tooLong]);
  const tooShort = underMinLength(schema);
  if (tooShort !== undefined) out.push([`under its minLength (${tooShort.length} characters)`, tooShort]);
  const outside = outsideEnum(schema);
  if (outside.found) out.push(['outside its enum', outside.value]);
  const below = outsideRange(schema, 'minimum');
  if (below !== undefined) out.push([`under its minimum (${below})`, below]);
  const above = outsideRange(schema, 'maximum');
  if (above !== undefined) out.push([`over its maximum (${above})`, above]);
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

function underMinLength(schema: JsonSchema): string | undefined {
  const min = schema.minLength;
  if (typeof min !== 'number' || min < 1 || !(allowedTypes(schema)?.has('string') ?? true)) return undefined;
  return 'x'.repeat(min - 1);
}

/** One below the minimum (or at an exclusive one), one above the maximum; for numbers. */
function outsideRange(schema: JsonSchema, bound: 'minimum' | 'maximum'): number | undefined {
  if (!(allowedTypes(schema)?.has('number') || allowedTypes(schema)?.has('integer'))) return undefined;
  const exclusive = bound === 'minimum' ? schema.exclusiveMinimum : schema.exclusiveMaximum;
  if (typeof exclusive === 'number') return exclusive;
  const limit = schema[bound];
  if (typeof limit !== 'number') return undefined;
  return bound === 'minimum' ? limit - 1 : limit + 1;
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
