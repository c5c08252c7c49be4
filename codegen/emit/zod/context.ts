/**
 * What every schema-kind emitter is given: where it is (for errors), which schemas are components, and the
 * bookkeeping that turns references to not-yet-defined components into getters.
 */
import type { JsonSchema } from '../../ir/types.js';
import type { ts } from '../../print/ts.js';
import { SCHEMA_ID } from './constants.js';

/** Turns a child schema into zod. Kinds recurse through it, so they never import the dispatcher (no import cycle). */
export type Visit = (schema: unknown, ctx: ZodContext) => ts.Expression;

/** Component const names, by object identity (the parser inlines `$ref`s) and by `x-parser-schema-id`. */
export interface ComponentTable {
  readonly byObject: ReadonlyMap<object, string>;
  readonly byId: ReadonlyMap<string, string>;
}

/**
 * What the nearest enclosing object property learns while its value is emitted.
 * `defer`: the value references a component whose const is not initialised yet, so the property must be a
 * getter (zod 4 reads object shapes lazily). `cyclic`: the value's type depends on the recursive group being
 * defined; TypeScript cannot infer `.default()` on such a value unless it sits in a getter.
 */
export interface Scope {
  defer: boolean;
  cyclic: boolean;
}

export interface ZodContext {
  readonly components: ComponentTable;
  /** The recursive group (strongly connected components) being defined; empty when it does not recurse. */
  readonly cycle: ReadonlySet<string>;
  /** Components not yet initialised where this expression runs: the one being defined and later ones in its group. */
  readonly pending: ReadonlySet<string>;
  /** What is being generated, for errors: "schema `Message`". */
  readonly where: string;
  /** JSON-pointer-like path from `where` to the schema at hand. */
  readonly path: string;
  readonly scope: Scope;
  /** Anonymous schemas being emitted, outermost first: one that contains itself cannot be printed. */
  readonly trail: readonly JsonSchema[];
  readonly visit: Visit;
}

export function newScope(): Scope {
  return { defer: false, cyclic: false };
}

/** The context of a child schema: `segments` are appended to the path (JSON pointer escaping). */
export function at(ctx: ZodContext, ...segments: (string | number)[]): ZodContext {
  const tail = segments.map((s) => `/${pointerSegment(String(s))}`).join('');
  return { ...ctx, path: ctx.path + tail };
}

/** A JSON pointer segment: `~` and `/` escaped. */
export function pointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** An error that says where, what was found and how to fix it. */
export function fail(ctx: ZodContext, found: string, fix: string): Error {
  return new Error(`Cannot generate zod for ${ctx.where} at ${ctx.path || '/'}: ${found}. Fix: ${fix}`);
}

/**
 * Emit an object property's value in a fresh scope. The caller turns the property into a getter when
 * `defer` comes back set; `cyclic` also flows to the enclosing scope (the type dependency remains).
 */
export function inProperty(ctx: ZodContext, emit: (ctx: ZodContext) => ts.Expression) {
  const scope = newScope();
  const expr = emit({ ...ctx, scope });
  if (scope.cyclic) ctx.scope.cyclic = true;
  return { expr, defer: scope.defer };
}

/** Emit a sub-expression and report whether it is cyclic; its flags still flow to the enclosing scope. */
export function tracked(ctx: ZodContext, emit: (ctx: ZodContext) => ts.Expression) {
  const scope = newScope();
  const expr = emit({ ...ctx, scope });
  if (scope.cyclic) ctx.scope.cyclic = true;
  if (scope.defer) ctx.scope.defer = true;
  return { expr, cyclic: scope.cyclic };
}

/** The component const a schema stands for, if it is (a reference to) a component. */
export function componentOf(schema: JsonSchema, table: ComponentTable): string | undefined {
  const byObject = table.byObject.get(schema);
  if (byObject) return byObject;
  const id = schema[SCHEMA_ID];
  return typeof id === 'string' ? table.byId.get(id) : undefined;
}
