/**
 * The server side's checks (the binding, the emitter): synchronous where the schema allows it. Built on
 * `check.ts`, which the client shares without this module's zod import. Internal: not part of the public API.
 */
import { z } from 'zod';
import { type ArgsCheck, type ArgsContract, prepare, schemaOf, toCheck } from './check.js';

export { type ArgsCheck, type ArgsContract, checkArgs } from './check.js';

/**
 * How each schema object is parsed (per schema, not per socket or message): `sync`, zod's `safeParse`, several
 * times cheaper than `safeParseAsync` and without a promise; `async`, `safeParseAsync` as before.
 */
const parseModes = new WeakMap<z.ZodType, 'sync' | 'async'>();

/**
 * Functions that zod only ever calls synchronously, by the key they have in a definition: checks' `when`
 * guards (zod's own, on every length or size check) and error maps (a check's message becomes one).
 */
const SYNC_FUNCTION_KEYS: ReadonlySet<string> = new Set(['when', 'error']);

/**
 * Whether parsing may call a function of the application: a refinement (`refine`, `superRefine`, `check`,
 * `z.custom`, `z.instanceof`), a transform (`transform`, `preprocess`, codecs, `trim` and its kind), a catch value,
 * `z.lazy`'s getter (or meet a `z.promise`). Any such function may return a promise, and zod's synchronous parse calls it, drops the
 * promise and throws: the function would run twice for one message, and if the dropped promise rejects, the
 * process gets an unhandled rejection (fatal by default). So those schemas keep the asynchronous parse.
 * Conservative: any function in the schema's definition or in those of the schemas it contains counts, except
 * the ones in `SYNC_FUNCTION_KEYS`. Generated schemas contain none.
 */
function mayCallApplicationCode(value: unknown, seen: Set<object>, key?: string): boolean {
  if (typeof value === 'function') return key === undefined || !SYNC_FUNCTION_KEYS.has(key);
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  // A schema or a check: its definition (the instance itself is full of methods). A custom check keeps its
  // function out of its definition when it comes from `superRefine` or `check(fn)`. `z.promise` calls no
  // application code but needs the asynchronous parse (and, inside an object, breaks zod's synchronous one).
  const internals = (value as { _zod?: { def?: { type?: unknown; check?: unknown } } })._zod;
  if (internals !== undefined) {
    const def = internals.def;
    if (def === undefined) return false;
    if (def.type === 'custom' || def.check === 'custom' || def.type === 'promise') return true;
    return mayCallApplicationCode(def, seen);
  }
  for (const [name, item] of Object.entries(value)) {
    if (mayCallApplicationCode(item, seen, name)) return true;
  }
  return false;
}

function parseModeOf(schema: z.ZodType): 'sync' | 'async' {
  let mode = parseModes.get(schema);
  if (mode === undefined) {
    mode = mayCallApplicationCode(schema, new Set()) ? 'async' : 'sync';
    parseModes.set(schema, mode);
  }
  return mode;
}

/** Whether `error` is zod's "Encountered Promise during synchronous parse" (also from another copy of zod). */
function isAsyncParseError(error: unknown): boolean {
  return (
    error instanceof z.core.$ZodAsyncError ||
    (error instanceof Error && error.constructor.name === '$ZodAsyncError')
  );
}

/**
 * `schema` against `input`, synchronously when the schema calls no application code (see
 * `mayCallApplicationCode`), asynchronously otherwise. Should a synchronous parse still meet a promise (zod
 * throws `$ZodAsyncError`: a function the scan missed), it falls back to the asynchronous parse,
 * and the schema is parsed asynchronously from then on. Whatever else the schema throws is thrown, or rejects
 * the promise.
 */
function parseSyncFirst(schema: z.ZodType, input: unknown): ArgsCheck | Promise<ArgsCheck> {
  if (parseModeOf(schema) === 'sync') {
    try {
      return toCheck(schema.safeParse(input));
    } catch (error) {
      if (!isAsyncParseError(error)) throw error;
      parseModes.set(schema, 'async');
    }
  }
  return schema.safeParseAsync(input).then(toCheck);
}

/**
 * The check of an inbound message: synchronous (a plain `ArgsCheck`) unless the payload schema is asynchronous,
 * in which case a promise of it (async refinements and transforms run). May throw what the schema throws.
 */
export function checkArgsSyncFirst(
  op: ArgsContract,
  args: readonly unknown[],
  strict: boolean,
): ArgsCheck | Promise<ArgsCheck> {
  const prepared = prepare(op, args, strict);
  if ('done' in prepared) return prepared.done;
  return parseSyncFirst(schemaOf(op), prepared.input);
}

/** A single value against a schema (replies), synchronously unless the schema is asynchronous. */
export function checkValueSyncFirst(schema: z.ZodType, value: unknown): ArgsCheck | Promise<ArgsCheck> {
  return parseSyncFirst(schema, value);
}
