/**
 * Comparing two JSON Schemas, field by field: what changed, and whether the new schema accepts more values
 * (`widens`), fewer (`narrows`), different ones (`both`), or the same (`none`: docs). Direction-free: whether a
 * narrowing breaks anyone depends on who writes the payload, which `classify.ts` decides.
 *
 * Schemas are the IR's, resolved by the parser and circular where the spec recurses: a pair of schemas is
 * compared once.
 */
import { componentName, isSchema, typesOf } from '../ir/json-schema.js';
import type { JsonSchema } from '../ir/types.js';

export type Effect = 'narrows' | 'widens' | 'both' | 'none';

export type SchemaRule =
  | 'field-added'
  | 'field-removed'
  | 'field-required'
  | 'field-optional'
  | 'type-added'
  | 'type-removed'
  | 'type-changed'
  | 'nullable-added'
  | 'nullable-removed'
  | 'enum-added'
  | 'enum-removed'
  | 'constraint-tightened'
  | 'constraint-loosened'
  | 'constraint-changed'
  | 'additional-closed'
  | 'additional-opened'
  | 'item-added'
  | 'item-removed'
  | 'alternative-added'
  | 'alternative-removed'
  | 'default-changed'
  | 'docs';

export interface SchemaChange {
  /** Field path from the payload: `message.sender.avatar`, `messageIds[]`, `[1]`; `''` is the payload itself. */
  path: string;
  rule: SchemaRule;
  effect: Effect;
  /** Something new: a field, an enum value, a type, an alternative (a minor change where compatible). */
  addition?: boolean;
  /** `field-added`/`field-removed`: whether the field is required (in the schema that has it). */
  required?: boolean;
  /** `field-added`: the old object admitted no other fields, so strict readers reject the new one. */
  closedBefore?: boolean;
  /** `field-removed`: the new object admits no other fields, so writers that still send it are rejected. */
  closedAfter?: boolean;
  message: string;
  before?: unknown;
  after?: unknown;
}

const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

/** Every difference between `before` and `after`, outermost first. */
export function compareSchemas(before: JsonSchema, after: JsonSchema, path = ''): SchemaChange[] {
  const out: SchemaChange[] = [];
  const seen = new WeakMap<object, WeakSet<object>>();
  walk(unwrap(before), unwrap(after), path, out, seen, { before, after });
  return out;
}

/** `oneOf: [X, {type: null}]` is X, nullable: compared as X, with nullability compared on its own. */
function unwrap(schema: JsonSchema): JsonSchema {
  return nullableInner(schema) ?? schema;
}

function nullableInner(schema: JsonSchema): JsonSchema | undefined {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const rest = options.filter((o: JsonSchema) => !isNull(o));
    if (rest.length === 1 && rest.length < options.length && isSchema(rest[0])) return rest[0];
  }
  return undefined;
}

function isNull(schema: JsonSchema): boolean {
  return (
    schema.type === 'null' ||
    (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null)
  );
}

/** Whether `null` is a valid value. */
function nullable(schema: JsonSchema, original: JsonSchema): boolean {
  if (nullableInner(original)) return true;
  const t = schema.type;
  if (t === 'null' || (Array.isArray(t) && t.includes('null'))) return true;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.some((o: JsonSchema) => isNull(o))) return true;
  }
  return Array.isArray(schema.enum) && schema.enum.includes(null);
}

/** The JSON types a schema allows (without `null`); undefined: any. */
function nonNullTypes(schema: JsonSchema): Set<string> | undefined {
  const list = typesOf(schema);
  return list && new Set(list.filter((x) => x !== 'null'));
}

function walk(
  before: JsonSchema,
  after: JsonSchema,
  path: string,
  out: SchemaChange[],
  seen: WeakMap<object, WeakSet<object>>,
  originals: { before: JsonSchema; after: JsonSchema } = { before, after },
): void {
  const pairs = seen.get(before) ?? new WeakSet();
  if (pairs.has(after)) return;
  pairs.add(after);
  seen.set(before, pairs);
  const where = path === '' ? 'the payload' : `\`${path}\``;
  const add = (c: Omit<SchemaChange, 'path'>): void => {
    out.push({ path, ...c });
  };

  // null
  const nb = nullable(before, originals.before);
  const na = nullable(after, originals.after);
  if (!nb && na) add({ rule: 'nullable-added', effect: 'widens', message: `${where} may now be null` });
  if (nb && !na)
    add({ rule: 'nullable-removed', effect: 'narrows', message: `${where} may no longer be null` });

  types(before, after, where, add);
  enums(before, after, where, add);
  constraints(before, after, where, add);
  docs(before, after, where, add);
  properties(before, after, path, out, seen);
  items(before, after, path, out, seen);
  alternatives(before, after, path, out, seen);
}

type Add = (c: Omit<SchemaChange, 'path'>) => void;

function types(before: JsonSchema, after: JsonSchema, where: string, add: Add): void {
  const tb = nonNullTypes(before);
  const ta = nonNullTypes(after);
  if (!tb && !ta) return;
  if (!tb && ta) {
    add({
      rule: 'type-removed',
      effect: 'narrows',
      message: `${where} is now restricted to ${[...ta].join(' | ')}`,
      after: [...ta],
    });
    return;
  }
  if (tb && !ta) {
    add({
      rule: 'type-added',
      effect: 'widens',
      addition: true,
      message: `${where} may now be of any type`,
      before: [...tb],
    });
    return;
  }
  if (!tb || !ta) return;
  // integer ⊂ number
  const covers = (set: Set<string>, t: string): boolean =>
    set.has(t) || (t === 'integer' && set.has('number'));
  const removed = [...tb].filter((t) => !covers(ta, t));
  const added = [...ta].filter((t) => !covers(tb, t));
  if (removed.length && added.length && removed.length === tb.size) {
    add({
      rule: 'type-changed',
      effect: 'both',
      message: `${where} changed type from ${[...tb].join(' | ')} to ${[...ta].join(' | ')}`,
      before: [...tb],
      after: [...ta],
    });
    return;
  }
  for (const t of removed) {
    const narrowed = t === 'number' && ta.has('integer');
    add({
      rule: 'type-removed',
      effect: 'narrows',
      message: narrowed ? `${where} must now be an integer` : `${where} may no longer be ${t}`,
      before: t,
    });
  }
  for (const t of added) {
    if (t === 'number' && tb.has('integer')) {
      add({
        rule: 'type-added',
        effect: 'widens',
        message: `${where} may now be any number, not only an integer`,
        after: t,
      });
      continue;
    }
    add({
      rule: 'type-added',
      effect: 'widens',
      addition: true,
      message: `${where} may now be ${t}`,
      after: t,
    });
  }
}

function enums(before: JsonSchema, after: JsonSchema, where: string, add: Add): void {
  const values = (s: JsonSchema): unknown[] | undefined =>
    Array.isArray(s.enum)
      ? s.enum.filter((v) => v !== null)
      : s.const !== undefined && s.const !== null
        ? [s.const]
        : undefined;
  const vb = values(before);
  const va = values(after);
  const show = (v: unknown): string => JSON.stringify(v);
  if (!vb && !va) return;
  if (!vb && va) {
    add({
      rule: 'constraint-tightened',
      effect: 'narrows',
      message: `${where} is now limited to ${va.map(show).join(', ')}`,
      after: va,
    });
    return;
  }
  if (vb && !va) {
    add({
      rule: 'constraint-loosened',
      effect: 'widens',
      message: `${where} is no longer limited to ${vb.map(show).join(', ')}`,
      before: vb,
    });
    return;
  }
  if (!vb || !va) return;
  const key = (v: unknown): string => JSON.stringify(v);
  const kb = new Set(vb.map(key));
  const ka = new Set(va.map(key));
  for (const v of vb) {
    if (!ka.has(key(v)))
      add({
        rule: 'enum-removed',
        effect: 'narrows',
        message: `${where} no longer allows ${show(v)}`,
        before: v,
      });
  }
  for (const v of va) {
    if (!kb.has(key(v))) {
      add({
        rule: 'enum-added',
        effect: 'widens',
        addition: true,
        message: `${where} now allows ${show(v)}`,
        after: v,
      });
    }
  }
}

const LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

function constraints(before: JsonSchema, after: JsonSchema, where: string, add: Add): void {
  const num = (s: JsonSchema, k: string): number | undefined =>
    typeof s[k] === 'number' ? (s[k] as number) : undefined;
  for (const k of [...LOWER, ...UPPER]) {
    const b = num(before, k);
    const a = num(after, k);
    if (b === a) continue;
    const lower = (LOWER as readonly string[]).includes(k);
    const tighter = a === undefined ? false : b === undefined ? true : lower ? a > b : a < b;
    const text = `${where}: ${k} ${b ?? '(none)'} → ${a ?? '(none)'}`;
    add({
      rule: tighter ? 'constraint-tightened' : 'constraint-loosened',
      effect: tighter ? 'narrows' : 'widens',
      message: text,
      before: b,
      after: a,
    });
  }
  const mb = num(before, 'multipleOf');
  const ma = num(after, 'multipleOf');
  if (mb !== ma) {
    const effect: Effect =
      mb === undefined
        ? 'narrows'
        : ma === undefined
          ? 'widens'
          : ma % mb === 0
            ? 'narrows'
            : mb % ma === 0
              ? 'widens'
              : 'both';
    const rule =
      effect === 'narrows'
        ? 'constraint-tightened'
        : effect === 'widens'
          ? 'constraint-loosened'
          : 'constraint-changed';
    add({
      rule,
      effect,
      message: `${where}: multipleOf ${mb ?? '(none)'} → ${ma ?? '(none)'}`,
      before: mb,
      after: ma,
    });
  }
  for (const k of ['pattern', 'format'] as const) {
    const b = typeof before[k] === 'string' ? (before[k] as string) : undefined;
    const a = typeof after[k] === 'string' ? (after[k] as string) : undefined;
    if (b === a) continue;
    const effect: Effect = b === undefined ? 'narrows' : a === undefined ? 'widens' : 'both';
    const rule =
      effect === 'narrows'
        ? 'constraint-tightened'
        : effect === 'widens'
          ? 'constraint-loosened'
          : 'constraint-changed';
    add({ rule, effect, message: `${where}: ${k} ${b ?? '(none)'} → ${a ?? '(none)'}`, before: b, after: a });
  }
  const ub = before.uniqueItems === true;
  const ua = after.uniqueItems === true;
  if (ub !== ua) {
    add({
      rule: ua ? 'constraint-tightened' : 'constraint-loosened',
      effect: ua ? 'narrows' : 'widens',
      message: `${where}: items ${ua ? 'must now be unique' : 'no longer need to be unique'}`,
    });
  }
  if (JSON.stringify(before.default) !== JSON.stringify(after.default)) {
    add({
      rule: 'default-changed',
      effect: 'none',
      message: `${where}: default ${JSON.stringify(before.default) ?? '(none)'} → ${JSON.stringify(after.default) ?? '(none)'}`,
      before: before.default,
      after: after.default,
    });
  }
}

function docs(before: JsonSchema, after: JsonSchema, where: string, add: Add): void {
  for (const k of ['description', 'title', 'deprecated', 'examples'] as const) {
    if (JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    add({
      rule: 'docs',
      effect: 'none',
      message: `${where}: ${k} changed`,
      before: before[k],
      after: after[k],
    });
  }
}

const closed = (s: JsonSchema): boolean => s.additionalProperties === false;

function properties(
  before: JsonSchema,
  after: JsonSchema,
  path: string,
  out: SchemaChange[],
  seen: WeakMap<object, WeakSet<object>>,
): void {
  const pb = (isSchema(before.properties) ? before.properties : {}) as Record<string, JsonSchema>;
  const pa = (isSchema(after.properties) ? after.properties : {}) as Record<string, JsonSchema>;
  const rb = new Set(Array.isArray(before.required) ? (before.required as string[]) : []);
  const ra = new Set(Array.isArray(after.required) ? (after.required as string[]) : []);
  const names = [...new Set([...Object.keys(pb), ...Object.keys(pa), ...rb, ...ra])];
  for (const name of names) {
    const field = join(path, name);
    const b = pb[name];
    const a = pa[name];
    const inBefore = b !== undefined || rb.has(name);
    const inAfter = a !== undefined || ra.has(name);
    if (!inBefore && inAfter) {
      const required = ra.has(name);
      out.push({
        path: field,
        rule: 'field-added',
        effect: required ? 'narrows' : closed(before) ? 'widens' : 'none',
        addition: true,
        required,
        closedBefore: closed(before),
        message: `\`${field}\`: new ${required ? 'required' : 'optional'} field`,
      });
      continue;
    }
    if (inBefore && !inAfter) {
      const required = rb.has(name);
      out.push({
        path: field,
        rule: 'field-removed',
        effect: closed(after) ? 'both' : 'widens',
        required,
        closedAfter: closed(after),
        message: `\`${field}\`: ${required ? 'required' : 'optional'} field removed`,
      });
      continue;
    }
    if (!rb.has(name) && ra.has(name)) {
      out.push({
        path: field,
        rule: 'field-required',
        effect: 'narrows',
        message: `\`${field}\` is now required`,
      });
    }
    if (rb.has(name) && !ra.has(name)) {
      out.push({
        path: field,
        rule: 'field-optional',
        effect: 'widens',
        message: `\`${field}\` is now optional`,
      });
    }
    if (b && a) walk(unwrap(b), unwrap(a), field, out, seen, { before: b, after: a });
  }

  const ab = before.additionalProperties;
  const aa = after.additionalProperties;
  const where = path === '' ? 'the payload' : `\`${path}\``;
  const isObject = (s: JsonSchema): boolean => s.type === 'object' || isSchema(s.properties);
  if (!isObject(before) && !isObject(after)) return;
  if (ab !== false && aa === false) {
    out.push({
      path,
      rule: 'additional-closed',
      effect: 'narrows',
      message: `${where} no longer admits other fields`,
    });
  } else if (ab === false && aa !== false) {
    out.push({
      path,
      rule: 'additional-opened',
      effect: 'widens',
      message: `${where} now admits other fields`,
    });
  } else if (isSchema(ab) && isSchema(aa)) {
    walk(unwrap(ab), unwrap(aa), join(path, '*'), out, seen, { before: ab, after: aa });
  }
}

function items(
  before: JsonSchema,
  after: JsonSchema,
  path: string,
  out: SchemaChange[],
  seen: WeakMap<object, WeakSet<object>>,
): void {
  const ib = before.items;
  const ia = after.items;
  if (isSchema(ib) && isSchema(ia)) {
    walk(unwrap(ib), unwrap(ia), `${path}[]`, out, seen, { before: ib, after: ia });
    return;
  }
  if (Array.isArray(ib) && Array.isArray(ia)) {
    compareTuple(ib as JsonSchema[], ia as JsonSchema[], path, out, seen, before.additionalItems === false);
    return;
  }
  if (ib !== undefined && ia !== undefined) {
    out.push({
      path,
      rule: 'type-changed',
      effect: 'both',
      message: `\`${path || 'the payload'}\` changed between a list and a tuple`,
    });
  }
}

/** Tuple items, also used for the arguments of an emit (`args` payloads). */
export function compareTuple(
  before: JsonSchema[],
  after: JsonSchema[],
  path: string,
  out: SchemaChange[],
  seen: WeakMap<object, WeakSet<object>> = new WeakMap(),
  closedBefore = true,
): void {
  const n = Math.max(before.length, after.length);
  for (let i = 0; i < n; i++) {
    const b = before[i];
    const a = after[i];
    const at = `${path}[${i}]`;
    if (b && a) walk(unwrap(b), unwrap(a), at, out, seen, { before: b, after: a });
    else if (a) {
      out.push({
        path: at,
        rule: 'item-added',
        effect: closedBefore ? 'both' : 'narrows',
        addition: true,
        required: true,
        closedBefore,
        message: `\`${at}\`: new argument`,
      });
    } else {
      out.push({ path: at, rule: 'item-removed', effect: 'both', message: `\`${at}\`: argument removed` });
    }
  }
}

/** `oneOf`/`anyOf`/`allOf` alternatives, paired by equality, component name, discriminating `const`, then order. */
function alternatives(
  before: JsonSchema,
  after: JsonSchema,
  path: string,
  out: SchemaChange[],
  seen: WeakMap<object, WeakSet<object>>,
): void {
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const ob = (Array.isArray(before[key]) ? before[key] : []).filter(
      (s: JsonSchema) => !isNull(s),
    ) as JsonSchema[];
    const oa = (Array.isArray(after[key]) ? after[key] : []).filter(
      (s: JsonSchema) => !isNull(s),
    ) as JsonSchema[];
    if (!ob.length && !oa.length) continue;
    const pairs = pairUp(ob, oa);
    const where = path === '' ? 'the payload' : `\`${path}\``;
    for (const [b, a, i] of pairs) {
      const at = `${path || '(payload)'} ‹${key} ${i + 1}›`;
      if (b && a) walk(unwrap(b), unwrap(a), path, out, seen, { before: b, after: a });
      else if (a) {
        const name = componentName(a);
        out.push({
          path,
          rule: 'alternative-added',
          effect: key === 'allOf' ? 'narrows' : 'widens',
          addition: true,
          message: `${where}: new ${key} alternative${name ? ` ${name}` : ''} (${at})`,
        });
      } else if (b) {
        const name = componentName(b);
        out.push({
          path,
          rule: 'alternative-removed',
          effect: key === 'allOf' ? 'widens' : 'narrows',
          message: `${where}: ${key} alternative${name ? ` ${name}` : ''} removed (${at})`,
        });
      }
    }
  }
}

function pairUp(
  before: JsonSchema[],
  after: JsonSchema[],
): [JsonSchema | undefined, JsonSchema | undefined, number][] {
  const used = new Set<number>();
  const match = new Map<number, number>();
  const tryMatch = (same: (b: JsonSchema, a: JsonSchema) => boolean): void => {
    before.forEach((b, i) => {
      if (match.has(i)) return;
      const j = after.findIndex((a, k) => !used.has(k) && same(b, a));
      if (j >= 0) {
        match.set(i, j);
        used.add(j);
      }
    });
  };
  tryMatch((b, a) => b === a || fingerprint(b) === fingerprint(a));
  tryMatch((b, a) => componentName(b) !== undefined && componentName(b) === componentName(a));
  tryMatch((b, a) => discriminator(b) !== undefined && discriminator(b) === discriminator(a));
  // What is left pairs in order only when both sides have the same number of alternatives.
  if (before.length === after.length) tryMatch(() => true);
  const out: [JsonSchema | undefined, JsonSchema | undefined, number][] = [];
  before.forEach((b, i) => {
    const j = match.get(i);
    out.push([b, j === undefined ? undefined : after[j], j ?? i]);
  });
  after.forEach((a, j) => {
    if (!used.has(j)) out.push([undefined, a, j]);
  });
  return out;
}

/** The `const` values of an object alternative's properties: `success=true`. */
function discriminator(schema: JsonSchema): string | undefined {
  const props = isSchema(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  const parts = Object.entries(props)
    .filter(([, p]) => isSchema(p) && p.const !== undefined)
    .map(([k, p]) => `${k}=${JSON.stringify(p.const)}`);
  return parts.length ? parts.sort().join('&') : undefined;
}

/** A structural fingerprint, cut at recursion and at named components. */
function fingerprint(schema: unknown, depth = 0, stack: object[] = []): string {
  if (typeof schema !== 'object' || schema === null) return JSON.stringify(schema) ?? 'undefined';
  if (stack.includes(schema)) return '<cycle>';
  if (depth > 0 && isSchema(schema) && componentName(schema)) return `<${componentName(schema)}>`;
  const next = [...stack, schema];
  if (Array.isArray(schema)) return `[${schema.map((s) => fingerprint(s, depth + 1, next)).join(',')}]`;
  const keys = Object.keys(schema)
    .filter((k) => !k.startsWith('x-parser-'))
    .sort();
  return `{${keys.map((k) => `${k}:${fingerprint((schema as Record<string, unknown>)[k], depth + 1, next)}`).join(',')}}`;
}
