/** `parley docs`: compile the spec and write the static docs site (HTML, SVG, search, Markdown). */
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatDiagnostic, SpecError } from '../codegen/diagnostics.js';
import { compile } from '../codegen/index.js';
import { buildDocs, findAsyncapiBundle, type SiteFile, specSources } from '../docs/index.js';

export interface DocsFlags {
  spec: string;
  out: string;
  /** Include the AsyncAPI React view when `@asyncapi/react-component` is installed. */
  asyncapiView: boolean;
}

/** Lists the files the last run wrote, so that the next one removes those it no longer writes. */
const MANIFEST = '.parley-docs.json';

export async function runDocs(flags: DocsFlags): Promise<number> {
  const started = performance.now();
  let compiled: Awaited<ReturnType<typeof compile>>;
  try {
    compiled = await compile(flags.spec);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(error.message);
    return 1;
  }
  for (const d of compiled.diagnostics) console.error(formatDiagnostic(d));

  let asyncapi: Parameters<typeof buildDocs>[1] = {};
  if (flags.asyncapiView) {
    const bundle = findAsyncapiBundle();
    if (bundle) {
      const sources = await Promise.all(
        compiled.specFiles.map(async (file) => ({ file, text: await readFile(file, 'utf8') })),
      );
      asyncapi = { asyncapi: { bundle, sources: specSources(sources) } };
    } else {
      console.warn(
        'note: no AsyncAPI view (asyncapi.html): @asyncapi/react-component is not installed. ' +
          'Install it (npm install --save-dev @asyncapi/react-component) or pass --no-asyncapi-view.',
      );
    }
  }
  const files = buildDocs(compiled.ir, asyncapi);

  const outDir = path.resolve(flags.out);
  const previous = await readManifest(outDir);
  if (previous === undefined) {
    console.error(
      `${flags.out}/ is not empty and was not written by parley docs (no ${MANIFEST}); nothing was written.\n` +
        'Fix: pass an empty or new folder with --out, or remove this one.',
    );
    return 1;
  }
  const wanted = new Set(files.map((f) => f.path));
  for (const old of previous) {
    if (!wanted.has(old)) await rm(path.join(outDir, old), { force: true });
  }
  let bytes = 0;
  for (const file of files) bytes += await writeSiteFile(outDir, file);
  await writeFile(path.join(outDir, MANIFEST), `${JSON.stringify([...wanted], null, 1)}\n`);

  const ms = Math.round(performance.now() - started);
  const pages = files.filter((f) => f.path.endsWith('.html')).length;
  const markdown = files.filter((f) => f.path.startsWith('markdown/')).length;
  console.log(
    `${flags.spec} → ${flags.out}/: ${pages} pages, ${markdown} Markdown files, ${files.length} files, ` +
      `${(bytes / 1024).toFixed(0)} KiB${asyncapi.asyncapi ? ' (AsyncAPI view included)' : ''} (${ms} ms).`,
  );
  console.log(`Open ${path.join(flags.out, 'index.html')} in a browser; it needs no server and no network.`);
  return 0;
}

/** The files of the previous run: `[]` for a missing or empty folder, undefined for a folder that is not ours. */
async function readManifest(outDir: string): Promise<string[] | undefined> {
  const text = await readFile(path.join(outDir, MANIFEST), 'utf8').catch(() => undefined);
  if (text !== undefined) return JSON.parse(text) as string[];
  const entries = await readdir(outDir).catch(() => []);
  return entries.length === 0 ? [] : undefined;
}

async function writeSiteFile(outDir: string, file: SiteFile): Promise<number> {
  const target = path.join(outDir, file.path);
  await mkdir(path.dirname(target), { recursive: true });
  if ('copyFrom' in file) {
    await copyFile(file.copyFrom, target);
    return (await stat(target)).size;
  }
  await writeFile(target, file.contents);
  return Buffer.byteLength(file.contents);
}
