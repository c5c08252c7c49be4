/** What every emitter needs besides the IR: where generated code imports the runtime and the client from. */
import path from 'node:path';

export interface EmitOptions {
  /** Absolute path of the output folder. */
  outDir: string;
  /**
   * The Parley package generated code imports its runtime from: a package name (`parley-socketio`, the CLI's
   * default, gives `parley-socketio/runtime` and `parley-socketio/client`) or a path to a Parley checkout (`.`
   * gives relative imports of `./runtime/index.js` and `./client/index.js`).
   */
  runtime: string;
  /** The previous contents of generated files by path, where an emitter can reuse its own earlier output. */
  previous?: ReadonlyMap<string, string>;
}

/** The runtime's import specifier as seen from the generated file `fromFile` (relative to `outDir`). */
export function runtimeSpecifier(options: EmitOptions, fromFile: string): string {
  return runtimeImportFrom(options.runtime, path.dirname(path.resolve(options.outDir, fromFile)));
}

/** The typed client's import specifier as seen from the generated file `fromFile`. */
export function clientSpecifier(options: EmitOptions, fromFile: string): string {
  return packageImportFrom(options.runtime, 'client', path.dirname(path.resolve(options.outDir, fromFile)));
}

/** The runtime's import specifier as seen from a module in the folder `fromDir`. */
export function runtimeImportFrom(runtime: string, fromDir: string): string {
  return packageImportFrom(runtime, 'runtime', fromDir);
}

/** `parley/<part>` for a package name, or a relative import of the checkout's `<part>/index.ts`. */
function packageImportFrom(runtime: string, part: 'runtime' | 'client', fromDir: string): string {
  if (!runtime.startsWith('.') && !path.isAbsolute(runtime)) return `${runtime}/${part}`;
  return relativeImport(fromDir, path.resolve(runtime, part, 'index.ts'));
}

/** An ESM import specifier from `fromDir` to the TypeScript module `target` (`../x/y.js`). */
export function relativeImport(fromDir: string, target: string): string {
  const rel = path.relative(fromDir, target.replace(/\.ts$/, '.js')).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
