/**
 * Which component schemas a namespace reaches, what their consts are called, and in which order they are
 * defined: a component used by another comes first (strongly connected components, Tarjan), and inside a
 * recursive group every member not yet defined is read only from an object property, where a getter defers it.
 */
import { isSchema } from '../../ir/json-schema.js';
import type { JsonSchema } from '../../ir/types.js';
import { isIdentifier, pascalCase, ts } from '../../print/ts.js';
import { INPUT_SUFFIX, Z } from './constants.js';
import { pointerSegment } from './context.js';
import { componentId } from './keywords.js';

export interface PlannedComponent {
  /** The component's key (`x-parser-schema-id`). */
  id: string;
  /** Its const (and output type) in the generated file. */
  name: string;
  schema: JsonSchema;
  /** Const names of its recursive group; empty when it does not recurse. */
  cycle: ReadonlySet<string>;
  /** Const names not yet defined when it is: itself and the members of its group that follow it. */
  pending: ReadonlySet<string>;
}

interface Edge {
  id: string;
  /** Read while the const is initialised: not from inside an object property. */
  eager: boolean;
  path: string;
}

interface Found {
  id: string;
  schema: JsonSchema;
  edges: Edge[];
  index: number;
}

/** Components reached from `roots`, in definition order; `taken` names are avoided (payload consts, `z`). */
export function planComponents(roots: readonly unknown[], taken: Iterable<string>): PlannedComponent[] {
  const found = discover(roots);
  const names = nameAll([...found.values()], new Set(taken));
  const plan: PlannedComponent[] = [];
  for (const group of stronglyConnected(found)) {
    const recursive = group.length > 1 || group.some((c) => c.edges.some((e) => e.id === c.id));
    const ordered = recursive ? orderGroup(group, names) : group;
    const cycle = new Set(recursive ? ordered.map((c) => names.get(c.id)!) : []);
    ordered.forEach((c, i) => {
      const pending = new Set(ordered.slice(i).map((m) => names.get(m.id)!));
      plan.push({ id: c.id, name: names.get(c.id)!, schema: c.schema, cycle, pending });
    });
  }
  return plan;
}

/** Every component reachable from the roots, by id in discovery order, with the components each one reads. */
function discover(roots: readonly unknown[]): Map<string, Found> {
  const found = new Map<string, Found>();
  const register = (schema: JsonSchema, id: string): void => {
    if (found.has(id)) return;
    const entry: Found = { id, schema, edges: [], index: found.size };
    found.set(id, entry);
    scanChildren(schema, '', true, newSeen(), (child, childId, eager, path) => {
      entry.edges.push({ id: childId, eager, path });
      register(child, childId);
    });
  };
  for (const root of roots) {
    if (!isSchema(root)) continue;
    const id = componentId(root);
    if (id === undefined)
      scanChildren(root, '', true, newSeen(), (child, childId) => register(child, childId));
    else register(root, id);
  }
  return found;
}

type OnComponent = (schema: JsonSchema, id: string, eager: boolean, path: string) => void;

/** Anonymous schemas already walked; one walked eagerly need not be walked again lazily. */
interface Seen {
  eager: Set<object>;
  lazy: Set<object>;
}

const newSeen = (): Seen => ({ eager: new Set(), lazy: new Set() });

/** Walk the anonymous schemas under `schema`, reporting each component met (and not walking into it). */
function scanChildren(schema: JsonSchema, path: string, eager: boolean, seen: Seen, on: OnComponent): void {
  for (const [child, segment, viaProperty] of children(schema)) {
    if (!isSchema(child)) continue;
    const childPath = `${path}/${segment}`;
    const childEager = eager && !viaProperty;
    const id = componentId(child);
    if (id !== undefined) {
      on(child, id, childEager, childPath);
      continue;
    }
    // An anonymous schema can recur (a `$ref` to a non-component): walk it once per eagerness.
    if (seen.eager.has(child) || (!childEager && seen.lazy.has(child))) continue;
    (childEager ? seen.eager : seen.lazy).add(child);
    scanChildren(child, childPath, childEager, seen, on);
  }
}

/** Keywords whose value is a schema, a list of schemas, or a map of them. */
const SINGLE = [
  'additionalProperties',
  'additionalItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
];
const LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAPS = ['properties', 'patternProperties', 'dependencies', 'dependentSchemas'];

/** Each sub-schema with its path segment and whether it is an object property's value. */
function* children(schema: JsonSchema): Generator<[unknown, string, boolean]> {
  for (const key of MAPS) {
    const map = schema[key];
    if (!isSchema(map)) continue;
    for (const [name, child] of Object.entries(map))
      yield [child, `${key}/${pointerSegment(name)}`, key === 'properties'];
  }
  for (const key of [...SINGLE, 'items']) {
    if (!Array.isArray(schema[key])) yield [schema[key], key, false];
  }
  for (const key of [...LISTS, 'items']) {
    const list = schema[key];
    if (Array.isArray(list)) for (const [i, child] of list.entries()) yield [child, `${key}/${i}`, false];
  }
}

/** Names the generated module cannot take for a const: keywords, `z`, and globals it uses. */
const RESERVED = new Set([Z, 'RegExp', 'undefined', 'NaN', 'Infinity', 'eval', 'arguments']);

function isReserved(name: string): boolean {
  return RESERVED.has(name) || ts.identifierToKeywordKind(ts.factory.createIdentifier(name)) !== undefined;
}

/** The component key when it is a usable identifier, else its PascalCase; never a taken name or `<name>Input`. */
function nameAll(components: readonly Found[], taken: Set<string>): Map<string, string> {
  const names = new Map<string, string>();
  for (const { id } of components) {
    let base = isIdentifier(id) && !isReserved(id) ? id : pascalCase(id);
    if (isReserved(base)) base = `${base}Schema`;
    let name = base;
    for (let n = 2; taken.has(name) || taken.has(name + INPUT_SUFFIX); n++) name = `${base}${n}`;
    taken.add(name).add(name + INPUT_SUFFIX);
    names.set(id, name);
  }
  return names;
}

/** Tarjan's algorithm: groups of mutually reachable components, each after every group it reads. */
function stronglyConnected(found: ReadonlyMap<string, Found>): Found[][] {
  const groups: Found[][] = [];
  const stack: Found[] = [];
  const state = new Map<string, { index: number; low: number; onStack: boolean }>();
  const connect = (v: Found): void => {
    const sv = { index: state.size, low: state.size, onStack: true };
    state.set(v.id, sv);
    stack.push(v);
    for (const edge of v.edges) {
      const w = found.get(edge.id)!;
      const sw = state.get(w.id);
      if (!sw) {
        connect(w);
        sv.low = Math.min(sv.low, state.get(w.id)!.low);
      } else if (sw.onStack) {
        sv.low = Math.min(sv.low, sw.index);
      }
    }
    if (sv.low !== sv.index) return;
    const group: Found[] = [];
    let w: Found;
    do {
      w = stack.pop()!;
      state.get(w.id)!.onStack = false;
      group.push(w);
    } while (w !== v);
    groups.push(group.sort((a, b) => a.index - b.index));
  };
  for (const v of found.values()) if (!state.has(v.id)) connect(v);
  return groups;
}

/**
 * Order a recursive group so that a member read eagerly by another (not from an object property, e.g. a
 * `oneOf` branch) is defined before it; discovery order breaks ties. No such order: zod cannot express it.
 */
function orderGroup(group: readonly Found[], names: ReadonlyMap<string, string>): Found[] {
  const members = new Set(group.map((c) => c.id));
  const done = new Set<string>();
  const ordered: Found[] = [];
  const left = [...group];
  while (left.length) {
    const ready = left.findIndex((c) =>
      c.edges.every((e) => !e.eager || !members.has(e.id) || done.has(e.id)),
    );
    if (ready < 0) throw eagerCycle(left, members, names);
    const [next] = left.splice(ready, 1);
    ordered.push(next!);
    done.add(next!.id);
  }
  return ordered;
}

function eagerCycle(
  left: readonly Found[],
  members: ReadonlySet<string>,
  names: ReadonlyMap<string, string>,
): Error {
  const reads = left.flatMap((c) =>
    c.edges
      .filter((e) => e.eager && members.has(e.id))
      .map((e) => `\`${c.id}\` reads \`${e.id}\` at ${e.path}`),
  );
  const first = names.get(left[0]!.id);
  return new Error(
    `Cannot generate zod for schema \`${left[0]!.id}\`: it recurses outside any object property (${reads.join('; ')}). ` +
      `zod can only defer a recursive reference inside an object property (a getter on \`${first}\`'s shape). ` +
      'Fix: put the recursive reference inside an object property, e.g. `{ type: object, properties: { children: { type: array, items: { $ref: ... } } } }`.',
  );
}
