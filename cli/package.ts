/** This package's own manifest, found from this module whether it runs from the sources or from `dist/`. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Manifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

let cached: { manifest: Manifest; root: string } | undefined;

/** The package's folder and its package.json (the nearest one above this module). */
export function ownPackage(): { manifest: Manifest; root: string } {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
  cached = { manifest, root: dir };
  return cached;
}

/** The exact version this package is built and tested with (a peer's range is `^x.y.z`). */
export function testedVersion(name: string): string {
  const { manifest } = ownPackage();
  const version = manifest.dependencies[name] ?? manifest.devDependencies?.[name];
  if (version === undefined) throw new Error(`${name} is not a dependency of ${manifest.name}`);
  return version;
}
