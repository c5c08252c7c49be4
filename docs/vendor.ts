/**
 * Finding what the AsyncAPI view needs: the installed `@asyncapi/react-component` bundle, and the spec's
 * source files under paths that do not depend on where the build ran.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AsyncapiBundle, SpecSource } from './html/index.js';

const PACKAGE = '@asyncapi/react-component';

/** The standalone bundle of `@asyncapi/react-component`, or undefined when the package is not installed. */
export function findAsyncapiBundle(from: string = import.meta.url): AsyncapiBundle | undefined {
  let manifest: string;
  try {
    manifest = createRequire(from).resolve(`${PACKAGE}/package.json`);
  } catch {
    return undefined;
  }
  const dir = path.dirname(manifest);
  const bundle: AsyncapiBundle = {
    script: path.join(dir, 'browser/standalone/index.js'),
    stylesheet: path.join(dir, 'styles/default.min.css'),
    license: path.join(dir, 'LICENSE'),
    version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version,
  };
  return [bundle.script, bundle.stylesheet, bundle.license].every((f) => existsSync(f)) ? bundle : undefined;
}

/** Spec files (the root first) under paths relative to their common folder, with `/`. */
export function specSources(files: { file: string; text: string }[]): SpecSource[] {
  const dirs = files.map((f) => path.dirname(path.resolve(f.file)));
  let common = dirs[0] ?? '.';
  for (const dir of dirs) {
    while (path.relative(common, dir).startsWith('..')) common = path.dirname(common);
  }
  return files.map((f) => ({
    path: path.relative(common, path.resolve(f.file)).split(path.sep).join('/'),
    text: f.text,
  }));
}
