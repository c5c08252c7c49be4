/**
 * The only stage that touches the file system. Writes only files whose contents changed (so watchers and
 * incremental builds stay quiet), removes generated files the spec no longer produces, and in check mode
 * writes nothing and reports what is stale.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type GeneratedFile, HEADER } from '../print/ts.js';

export interface WriteReport {
  /** Files written (new or changed), or in check mode: files missing or different. */
  changed: string[];
  /** Generated files that the spec no longer produces: removed, or in check mode: to be removed. */
  removed: string[];
  unchanged: string[];
}

/**
 * The generated files under `outDir` by relative path: `*.gen.ts` files starting with our header. Files
 * without it were not written by us and are never touched.
 */
export async function readGenerated(outDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.gen.ts')) continue;
    const full = path.join(entry.parentPath, entry.name);
    const text = await readFile(full, 'utf8');
    if (text.startsWith(HEADER)) found.set(path.relative(outDir, full).split(path.sep).join('/'), text);
  }
  return found;
}

export async function writeFiles(
  outDir: string,
  files: GeneratedFile[],
  previous: ReadonlyMap<string, string>,
  check = false,
): Promise<WriteReport> {
  const report: WriteReport = { changed: [], removed: [], unchanged: [] };
  const wanted = new Set(files.map((file) => file.path));
  for (const file of files) {
    if (previous.get(file.path) === file.contents) {
      report.unchanged.push(file.path);
      continue;
    }
    report.changed.push(file.path);
    if (check) continue;
    const target = path.join(outDir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.contents);
  }
  for (const existing of [...previous.keys()].sort()) {
    if (wanted.has(existing)) continue;
    report.removed.push(existing);
    if (!check) await rm(path.join(outDir, existing));
  }
  return report;
}
