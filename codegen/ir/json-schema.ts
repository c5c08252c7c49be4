/**
 * JSON Schema helpers every stage shares (IR, validation, emitters, docs, diff, harness): what a schema is,
 * which types it writes, how a tuple is read. And the conversion to a plain JSON Schema document: the parser
 * inlines every `$ref`, so schemas arrive as an object graph that is circular where the spec recurses; tools
 * that want a plain document (Modelina, ajv) get one here, each component schema, each named root and each
 * anonymous schema that recurs becoming a definition, referenced by `$ref`.
 */
import type { JsonSchema } from './types.js';

/** A schema object (not `true`/`false`, not a list of schemas). */
export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schemas of a list-valued keyword (`oneOf`, `allOf`, draft-07 `items: [...]`); `[]` when it is not a list. */
export function schemasOf(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? value.filter(isSchema) : [];
}

/** The JSON types a schema's `type` writes, or `undefined` when it writes none (any type, as far as `type` says). */
export function typesOf(schema: JsonSchema): string[] | undefined {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

/** The JSON types of a value: `integer` values are `number`s too. */
export function jsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  if (typeof value === 'object') return ['object'];
  return [typeof value];
}

/**
 * A tuple: its listed items and what may follow them. `rest: false` closes it (`additionalItems: false`, or
 * 2020-12 `items: false` after `prefixItems`); a schema types every further item; an open tuple (nothing said)
 * gets `{}`, any value, as JSON Schema allows.
 */
export interface Tuple {
  items: JsonSchema[];
  /** The keyword the items are listed under, for pointers: `items` (draft-07) or `prefixItems` (2020-12). */
  itemsKey: 'items' | 'prefixItems';
  rest: JsonSchema | false;
  /** The keyword `rest` comes from: `additionalItems` (draft-07) or `items` (2020-12). */
  restKey: 'additionalItems' | 'items';
}

/**
 * Read a tuple in every form the parser accepts: draft-07 `items: [...]` with `additionalItems`, 2020-12
 * `prefixItems` with `items`, and `type: array` with only `additionalItems` (no items listed, each further one
 * typed: how zod-sockets writes `z.tuple([]).rest(x)`). `undefined` for a list schema (`items: {...}`) or no array.
 */
export function tupleOf(schema: JsonSchema): Tuple | undefined {
  if (Array.isArray(schema.prefixItems)) {
    return {
      items: schemasOf(schema.prefixItems),
      itemsKey: 'prefixItems',
      rest: restOf(schema.items),
      restKey: 'items',
    };
  }
  const listed = Array.isArray(schema.items);
  const restOnly =
    schema.items === undefined && schema.additionalItems !== undefined && schema.type === 'array';
  if (!listed && !restOnly) return undefined;
  return {
    items: schemasOf(schema.items),
    itemsKey: 'items',
    rest: restOf(schema.additionalItems),
    restKey: 'additionalItems',
  };
}

/**
 * Several arguments as one draft-07 array schema: the listed items, each required (a tuple means "these
 * arguments"), then what may follow. How ajv checks them, and Modelina types them.
 */
export function argsSchema(items: JsonSchema[], rest: JsonSchema | false): JsonSchema {
  // draft-07 wants at least one schema in an `items` list: with none, every argument is the rest.
  if (items.length === 0)
    return rest === false ? { type: 'array', maxItems: 0 } : { type: 'array', items: rest };
  return { type: 'array', items, additionalItems: rest, minItems: items.length };
}

function restOf(value: unknown): JsonSchema | false {
  if (value === false) return false;
  return isSchema(value) ? value : {};
}

export interface SchemaDocument {
  /** Definitions by name: the named roots, the component schemas they reach, and recurring anonymous ones. */
  definitions: Record<string, JsonSchema>;
}

const COMPONENT_ID = 'x-parser-schema-id';

/** The component name of a schema, or undefined for an anonymous one. */
export function componentName(schema: JsonSchema): string | undefined {
  const sid = schema[COMPONENT_ID];
  return typeof sid === 'string' && !sid.startsWith('<anonymous') ? sid : undefined;
}

/**
 * Convert named root schemas into one definitions table. A root that is itself a component is a `$ref` to
 * it. `x-parser-*`, `$id` and `$schema` keys are dropped; the input is not modified. `refPrefix` is how a
 * definition is referenced (`#/definitions/`).
 */
export function toDefinitions(
  roots: Record<string, JsonSchema>,
  refPrefix = '#/definitions/',
): SchemaDocument {
  const names = new Map<object, string>();
  const definitions: Record<string, JsonSchema> = {};
  const recurring = findRecurringAnonymous(Object.values(roots));
  let anonymous = 0;

  const nameOf = (schema: JsonSchema): string | undefined => {
    const known = names.get(schema);
    if (known) return known;
    const name = componentName(schema) ?? (recurring.has(schema) ? `Recursive${++anonymous}` : undefined);
    if (name) names.set(schema, name);
    return name;
  };

  const define = (name: string, schema: JsonSchema): void => {
    if (name in definitions) return;
    definitions[name] = {}; // reserve first: a cycle back to it becomes a $ref
    definitions[name] = convert(schema, true);
  };

  const convert = (schema: JsonSchema, top = false): JsonSchema => {
    if (!top) {
      const name = nameOf(schema);
      if (name) {
        define(name, schema);
        return { $ref: `${refPrefix}${name}` };
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      // `$id`/`$schema` would change how the `$ref`s resolve, or which draft a validator applies.
      if (key.startsWith('x-parser-') || key === '$id' || key === '$schema') continue;
      out[key] = convertValue(key, value);
    }
    return out;
  };

  const convertValue = (key: string, value: unknown): unknown => {
    if (key === 'properties' || key === 'definitions' || key === '$defs' || key === 'patternProperties') {
      return Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, convert(v)]),
      );
    }
    if (key === 'examples' || key === 'enum' || key === 'const' || key === 'default' || key === 'required')
      return value;
    if (Array.isArray(value)) return value.map((v) => (isSchema(v) ? convert(v) : v));
    if (isSchema(value)) return convert(value);
    return value;
  };

  for (const [name, schema] of Object.entries(roots)) {
    const component = componentName(schema);
    if (component && component !== name) {
      define(component, schema);
      names.set(schema, component);
      definitions[name] = { $ref: `${refPrefix}${component}` };
    } else {
      names.set(schema, name);
      define(name, schema);
    }
  }
  return { definitions };
}

/** Anonymous schemas that are reached again while still on their own path: they need a name to be cut. */
function findRecurringAnonymous(roots: JsonSchema[]): Set<object> {
  const found = new Set<object>();
  const onPath = new Set<object>();
  const done = new Set<object>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (onPath.has(value)) {
      found.add(value);
      return;
    }
    if (done.has(value)) return;
    onPath.add(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) walk(child);
    onPath.delete(value);
    done.add(value);
  };
  roots.forEach(walk);
  return found;
}
