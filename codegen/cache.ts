/**
 * The compiler's disk cache: what is costly to compute, keyed by everything it depends on (the compiled
 * AsyncAPI JSON Schema validator by the specs version; the full rulesets' verdict by the content of every file
 * read; Modelina's output by its input). `PARLEY_CACHE_DIR`, else `node_modules/.cache/parley` of the working directory's project, else the
 * OS cache folder. A missing or unwritable cache only costs time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function cacheDir(): string {
  if (process.env.PARLEY_CACHE_DIR) return path.resolve(process.env.PARLEY_CACHE_DIR);
  const modules = path.resolve('node_modules');
  if (existsSync(modules)) return path.join(modules, '.cache', 'parley');
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'parley');
}

export function readCache(name: string): string | undefined {
  try {
    return readFileSync(path.join(cacheDir(), name), 'utf8');
  } catch {
    return undefined;
  }
}

/** Written to a temporary name and renamed, so a concurrent run never reads half a file. */
export function writeCache(name: string, contents: string): void {
  try {
    const file = path.join(cacheDir(), name);
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, contents);
    renameSync(temp, file);
  } catch {
    // read-only or full disk: the next run computes it again
  }
}

export function hash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(part).update('\0');
  return h.digest('hex').slice(0, 32);
}
