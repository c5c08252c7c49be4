/**
 * JSON Schema → the rows of a payload table: one row per field, with its type, whether it is required, its
 * constraints and its description. Schemas come from the IR as the parser resolved them, so they may be
 * circular: a schema met again on its own path becomes one row that points back to where it was described.
 */
import { componentName, isSchema, type Tuple, tupleOf, typesOf } from '../codegen/ir/json-schema.js';
import type { IRPayload, JsonSchema } from '../codegen/ir/types.js';

export interface FieldRow {
  /** Dotted path from the payload: `message.sender._id`, `messageIds[]`, `[0]` (first argument). `''`: the payload itself. */
  path: string;
  /** Nesting depth, for indentation. */
  depth: number;
  /** `string`, `object (MessengerMessage)`, `array of string`, `string | null`, `one of`, ... */
  type: string;
  required: boolean;
  /** Human-readable constraints: `minLength 1`, `one of: text, image, file`, `no other fields`. */
  constraints: string[];
  description?: string;
  /** Set when the row stands for a schema already described above it (a recursive schema). */
  recursive?: string;
  /** Shown instead of the path: `option 1 of 2` for an alternative of a `oneOf`/`anyOf`/`allOf`. */
  label?: string;
}

/** The rows of a payload: `[]` for an event without one. */
export function payloadRows(payload: IRPayload): FieldRow[] {
  if (payload.kind === 'none') return [];
  const rows: FieldRow[] = [];
  if (payload.kind === 'args') {
    tupleRows(payload, '', 0, [], rows);
    return rows;
  }
  const { schema } = payload;
  // An object payload is described by its fields; any other payload is one row for the value itself.
  if (isObjectSchema(schema) && !hasAlternatives(schema)) {
    rows.push({ ...describe(schema), path: '', depth: 0, required: true });
    children(schema, '', 1, [schema], rows);
  } else {
    walk(schema, '', 0, true, [], rows);
  }
  return rows;
}

function walk(
  schema: JsonSchema,
  path: string,
  depth: number,
  required: boolean,
  stack: JsonSchema[],
  rows: FieldRow[],
  label?: string,
): void {
  const inner = nullableInner(schema);
  const seen = stack.includes(schema) ? schema : inner && stack.includes(inner) ? inner : undefined;
  if (seen) {
    const name = componentName(seen) ?? 'the schema above';
    rows.push({
      path,
      depth,
      type: seen === schema ? name : typeLabel(schema),
      required,
      constraints: [],
      description: (schema.description ?? seen.description) as string | undefined,
      recursive: name,
      ...(label ? { label } : {}),
    });
    return;
  }
  rows.push({ ...describe(schema), path, depth, required, ...(label ? { label } : {}) });
  children(schema, path, depth + 1, [...stack, schema], rows);
}

/** The rows under a schema, at depth `next`: object fields, array items, tuple items, union alternatives. */
function children(
  schema: JsonSchema,
  path: string,
  next: number,
  stack: JsonSchema[],
  rows: FieldRow[],
): void {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, child] of Object.entries(properties)) {
      walk(child, join(path, name), next, required.has(name), stack, rows);
    }
  }
  const items = schema.items;
  const tuple = tupleOf(schema);
  if (tuple) {
    tupleRows(tuple, path, next, stack, rows);
  } else if (isSchema(items) && !isScalar(items)) {
    walk(items, `${path}[]`, next, true, stack, rows);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const shown = options.filter((o: JsonSchema) => !isNullSchema(o)); // null is shown as `| null` in the type
    if (shown.length < 2 && key !== 'allOf') {
      // `oneOf: [X, {type: null}]` is X, nullable: X's fields belong to this row.
      if (shown[0]) children(shown[0], path, next, [...stack, shown[0]], rows);
      continue;
    }
    shown.forEach((option: JsonSchema, i: number) => {
      const word = key === 'allOf' ? 'part' : 'option';
      walk(option, path, next, true, stack, rows, `${word} ${i + 1} of ${shown.length}`);
    });
  }
}

const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

/** A tuple's items, `[0]`, `[1]`…, then what may follow them, `[2…]` (optional; absent for a closed tuple). */
function tupleRows(
  { items, rest }: Pick<Tuple, 'items' | 'rest'>,
  path: string,
  depth: number,
  stack: JsonSchema[],
  rows: FieldRow[],
): void {
  items.forEach((item, i) => {
    walk(item, `${path}[${i}]`, depth, true, stack, rows);
  });
  if (rest !== false) walk(rest, `${path}[${items.length}…]`, depth, false, stack, rows);
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object' || (schema.type === undefined && isSchema(schema.properties));
}

function hasAlternatives(schema: JsonSchema): boolean {
  return ['oneOf', 'anyOf', 'allOf'].some((k) => Array.isArray(schema[k]));
}

/** X of `oneOf`/`anyOf: [X, {type: null}]`: a nullable X. */
function nullableInner(schema: JsonSchema): JsonSchema | undefined {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const shown = options.filter((o: JsonSchema) => !isNullSchema(o));
    if (shown.length === 1 && shown.length < options.length) return shown[0] as JsonSchema;
  }
  return undefined;
}

function isNullSchema(schema: JsonSchema): boolean {
  return (
    schema.type === 'null' ||
    (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null)
  );
}

/** A schema whose whole meaning fits in its type and constraints (no fields, items or alternatives). */
function isScalar(schema: JsonSchema): boolean {
  return !schema.properties && !schema.items && !hasAlternatives(schema);
}

/** The type label, constraints and description of one schema. */
export function describe(schema: JsonSchema): Omit<FieldRow, 'path' | 'depth' | 'required'> {
  const row: Omit<FieldRow, 'path' | 'depth' | 'required'> = {
    type: typeLabel(schema),
    constraints: constraints(schema),
  };
  if (typeof schema.description === 'string') row.description = schema.description;
  else if (typeof schema.title === 'string') row.description = schema.title;
  return row;
}

export function typeLabel(schema: JsonSchema): string {
  const name = componentName(schema);
  let base: string;
  const types = typesOf(schema) ?? [];
  const alternatives = (['oneOf', 'anyOf'] as const).find((k) => Array.isArray(schema[k]));
  if (alternatives) {
    const options = schema[alternatives] as JsonSchema[];
    const nonNull = options.filter((o) => !isNullSchema(o));
    base =
      nonNull.length === 1 && nonNull[0]
        ? typeLabel(nonNull[0])
        : `${alternatives === 'oneOf' ? 'one of' : 'any of'} ${nonNull.length}`;
    if (nonNull.length < options.length) base += ' | null';
  } else if (Array.isArray(schema.allOf)) {
    base = `all of ${schema.allOf.length}`;
  } else if (schema.const !== undefined) {
    base = typeof schema.const === 'string' ? 'string' : schema.const === null ? 'null' : typeof schema.const;
  } else if (types.length === 0) {
    base = Array.isArray(schema.enum) ? 'enum' : 'any';
  } else {
    base = types
      .map((t) => {
        if (t !== 'array') return t;
        const tuple = tupleOf(schema);
        if (tuple) return `tuple of ${tuple.items.length}${tuple.rest === false ? '' : ' or more'}`;
        if (isSchema(schema.items)) return `array of ${typeLabel(schema.items)}`;
        return 'array';
      })
      .join(' | ');
  }
  return name ? `${base} (${name})` : base;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  if (schema.const !== undefined) out.push(`exactly ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum)) out.push(`one of: ${schema.enum.map(show).join(', ')}`);
  if (typeof schema.format === 'string') out.push(`format ${schema.format}`);
  if (typeof schema.pattern === 'string') out.push(`pattern /${schema.pattern}/`);
  const bound = (key: string, label: string): void => {
    const v = schema[key];
    if (typeof v === 'number') out.push(`${label} ${v}`);
  };
  bound('minLength', 'minLength');
  bound('maxLength', 'maxLength');
  bound('minimum', '≥');
  bound('exclusiveMinimum', '>');
  bound('maximum', '≤');
  bound('exclusiveMaximum', '<');
  bound('multipleOf', 'multiple of');
  bound('minItems', 'minItems');
  bound('maxItems', 'maxItems');
  bound('minProperties', 'minProperties');
  bound('maxProperties', 'maxProperties');
  if (schema.uniqueItems === true) out.push('unique items');
  if (schema.additionalProperties === false) out.push('no other fields');
  if (schema.additionalItems === false && Array.isArray(schema.items)) out.push('no further items');
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.deprecated === true) out.push('deprecated');
  return out;
}
