/**
 * What an `x-parley-errors` template tells about the errors a server sends: the constant fields every error
 * has (`success: false`, `ok: false`), where the code goes (`{code}`), and which fields hold text the server
 * writes (`{message}`, `{event}`, `{issues}`, or a string that mixes text and placeholders).
 */

export type JsonPath = (string | number)[];

export interface ErrorShape {
  /** Fields with a fixed value in every error, by path. */
  constants: { path: JsonPath; value: unknown }[];
  /** Where `{code}` goes (a string that is exactly `{code}`). */
  code: JsonPath[];
  /** Fields the server fills in freely: compared by schema only. */
  free: JsonPath[];
}

const PLACEHOLDER = /\{(code|message|event|issues)\}/;

export function errorShape(template: unknown): ErrorShape | undefined {
  if (template === undefined) return undefined;
  const shape: ErrorShape = { constants: [], code: [], free: [] };
  const walk = (value: unknown, path: JsonPath): void => {
    if (typeof value === 'string') {
      if (value === '{code}') shape.code.push(path);
      else if (PLACEHOLDER.test(value)) shape.free.push(path);
      else shape.constants.push({ path, value });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...path, i]);
      });
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
      return;
    }
    shape.constants.push({ path, value });
  };
  walk(template, []);
  return shape;
}

export function valueAt(value: unknown, path: JsonPath): { found: boolean; value: unknown } {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return { found: true, value: current };
}

/**
 * Whether `value` has the template's constant fields (`success: false`): `true`/`false`, or `undefined` when
 * the template has none, so errors cannot be told from other values by their shape.
 */
export function isErrorValue(shape: ErrorShape | undefined, value: unknown): boolean | undefined {
  if (shape === undefined || shape.constants.length === 0) return undefined;
  return shape.constants.every((c) => {
    const at = valueAt(value, c.path);
    return at.found && at.value === c.value;
  });
}

/** The code a value carries where the template puts `{code}`; `undefined` when the template has no code. */
export function errorCodeOf(shape: ErrorShape | undefined, value: unknown): unknown {
  const path = shape?.code[0];
  return path === undefined ? undefined : valueAt(value, path).value;
}

export function formatJsonPath(path: JsonPath): string {
  if (path.length === 0) return '(payload)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

/** `true` when `path` is `prefix` or lies inside it; a `*` in the prefix matches any key or index. */
export function isWithin(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => key === '*' || path[i] === key);
}

/** `data.messages.*.seq` → `['data', 'messages', '*', 'seq']` (digits become indices). */
export function parseJsonPath(text: string): JsonPath {
  return text.split('.').map((key) => (/^\d+$/.test(key) ? Number(key) : key));
}
