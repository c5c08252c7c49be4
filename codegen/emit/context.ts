/** What every emitter needs besides the IR: where generated code imports the runtime from. */
import path from 'node:path';

export interface EmitOptions {
  /** Absolute path of the output folder. */
  outDir: string;
  /**
   * The Parley package generated code imports its runtime from: a package name (`parley-socketio`, the CLI's
   * default, gives `parley-socketio/runtime`) or a path to a Parley checkout (`.` gives a relative import of `./runtime/index.js`).
   */
  runtime: string;
  /** The previous contents of generated files by path, where an emitter can reuse its own earlier output. */
  previous?: ReadonlyMap<string, string>;
}

/** The runtime's import specifier as seen from the generated file `fromFile` (relative to `outDir`). */
export function runtimeSpecifier(options: EmitOptions, fromFile: string): string {
  return runtimeImportFrom(options.runtime, path.dirname(path.resolve(options.outDir, fromFile)));
}

/** The runtime's import specifier as seen from a module in the folder `fromDir`. */
export function runtimeImportFrom(runtime: string, fromDir: string): string {
  if (!runtime.startsWith('.') && !path.isAbsolute(runtime)) return `${runtime}/runtime`;
  return relativeImport(fromDir, path.resolve(runtime, 'runtime', 'index.ts'));
}

/** An ESM import specifier from `fromDir` to the TypeScript module `target` (`../x/y.js`). */
export function relativeImport(fromDir: string, target: string): string {
  const rel = path.relative(fromDir, target.replace(/\.ts$/, '.js')).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
