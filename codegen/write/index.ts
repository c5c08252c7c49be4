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

export async function writeFiles(outDir: string, files: GeneratedFile[], check = false): Promise<WriteReport> {
  const report: WriteReport = { changed: [], removed: [], unchanged: [] };
  const wanted = new Set(files.map((file) => file.path));
  for (const file of files) {
    const target = path.join(outDir, file.path);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === file.contents) {
      report.unchanged.push(file.path);
      continue;
    }
    report.changed.push(file.path);
    if (check) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.contents);
  }
  for (const existing of await generatedFilesIn(outDir)) {
    if (wanted.has(existing)) continue;
    report.removed.push(existing);
    if (!check) await rm(path.join(outDir, existing));
  }
  return report;
}

/** Files under `dir` that we generated: `*.gen.ts` starting with our header. Others are never touched. */
async function generatedFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.gen.ts')) continue;
    const full = path.join(entry.parentPath, entry.name);
    const head = await readFile(full, 'utf8').then((text) => text.slice(0, HEADER.length));
    if (head === HEADER) found.push(path.relative(dir, full).split(path.sep).join('/'));
  }
  return found.sort();
}
