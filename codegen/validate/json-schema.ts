/**
 * Schemas as the parser resolves them are object graphs: a recursive `$ref` becomes an object that contains
 * itself. JSON Schema validators want trees, so `toJsonSchema` turns the graph back into one, with
 * `definitions` and `$ref`s where it recurses.
 */
import type { IRPayload, JsonSchema } from '../ir/types.js';

type Container = Record<string, unknown> | unknown[];

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object';
const isRecord = (v: unknown): v is Record<string, unknown> => isContainer(v) && !Array.isArray(v);

/** Keys dropped from every schema object: they would change how `$ref`s resolve, or pick another draft. */
const DROPPED_KEYS = new Set(['$id', '$schema']);

/**
 * A tree-shaped draft-07 JSON Schema for a possibly circular schema graph. Every object met again while it
 * is still on the current path (a cycle) becomes `{ $ref: '#/definitions/<name>' }` (or `{ $ref: '#' }` for
 * the root), with its contents under the root's `definitions`; `<name>` is its `x-parser-schema-id` when
 * that is a plain name, `schema<N>` otherwise, never clashing with a `definitions` key the schema already
 * has. Objects shared without a cycle are copied. `$id` and `$schema` are dropped. The input is not modified.
 */
export function toJsonSchema(schema: JsonSchema): Record<string, unknown> {
  const recursive = findCycleTargets(schema);
  const own = isRecord(schema.definitions) ? schema.definitions : {};
  const names = new Map<object, string>();
  const definitions: Record<string, unknown> = {};
  const copies = new Map<object, unknown>();
  const onPath = new Set<object>();

  const nameOf = (node: Record<string, unknown>): string => {
    const id = node['x-parser-schema-id'];
    const stem = typeof id === 'string' && /^[A-Za-z0-9_.-]+$/.test(id) ? id : 'schema';
    let name = stem === 'schema' ? `schema${names.size + 1}` : stem;
    for (let n = 2; Object.hasOwn(own, name) || Object.hasOwn(definitions, name); n++) name = `${stem}${n}`;
    return name;
  };

  const copy = (node: unknown): unknown => {
    if (!isContainer(node)) return node;
    if (recursive.has(node)) {
      if (node === schema) return { $ref: '#' };
      let name = names.get(node);
      if (name === undefined) {
        name = nameOf(node as Record<string, unknown>);
        names.set(node, name);
        definitions[name] = true; // reserve the name before copying, which may meet `node` again
        definitions[name] = copyContents(node);
      }
      return { $ref: `#/definitions/${name}` };
    }
    const done = copies.get(node);
    if (done !== undefined) return done;
    const result = copyContents(node);
    copies.set(node, result);
    return result;
  };

  const copyContents = (node: Container): unknown => {
    if (onPath.has(node)) throw new Error('toJsonSchema: a cycle runs through arrays only.');
    onPath.add(node);
    try {
      if (Array.isArray(node)) return node.map(copy);
      return Object.fromEntries(
        Object.entries(node)
          .filter(([key]) => !DROPPED_KEYS.has(key))
          .map(([key, value]) => [key, copy(value)]),
      );
    } finally {
      onPath.delete(node);
    }
  };

  const root = copyContents(schema) as Record<string, unknown>;
  if (Object.keys(definitions).length === 0) return root;
  return {
    ...root,
    definitions: { ...(isRecord(root.definitions) ? root.definitions : {}), ...definitions },
  };
}

/**
 * The objects that close a cycle: met again while on the current depth-first path. Every cycle contains
 * one. When the object met again is an array, the first plain object after it on the path is taken instead,
 * since only a schema object can be replaced by a `$ref`.
 */
function findCycleTargets(root: unknown): Set<object> {
  const targets = new Set<object>();
  const done = new Set<object>();
  const path: Container[] = [];
  const visit = (node: unknown): void => {
    if (!isContainer(node) || done.has(node)) return;
    const at = path.indexOf(node);
    if (at !== -1) {
      const target = path.slice(at).find(isRecord);
      if (target) targets.add(target);
      return;
    }
    path.push(node);
    for (const value of Object.values(node)) visit(value);
    path.pop();
    done.add(node);
  };
  visit(root);
  return targets;
}

/**
 * The JSON Schema of an emit's arguments: the schema of a single value, or for several arguments a draft-07
 * tuple of exactly that many (`items: [...]`, `additionalItems: false`, `minItems`); `undefined` when the
 * event has no payload.
 */
export function payloadJsonSchema(payload: IRPayload): Record<string, unknown> | undefined {
  if (payload.kind === 'none') return undefined;
  if (payload.kind === 'value') return toJsonSchema(payload.schema);
  return toJsonSchema({
    type: 'array',
    items: payload.items,
    additionalItems: false,
    minItems: payload.items.length,
  });
}
