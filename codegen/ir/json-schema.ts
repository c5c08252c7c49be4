/**
 * The parser inlines every `$ref`, so schemas arrive as an object graph that is circular where the spec
 * recurses. Tools that want a plain JSON Schema document (Modelina, ajv) get one from here: each component
 * schema, each named root and each anonymous schema that recurs becomes a definition, referenced by `$ref`.
 */
import type { JsonSchema } from './types.js';

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

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
