/**
 * `npm run build:client`: the typed client for browsers, in `dist/browser/`. ESM with shared chunks, one entry
 * per namespace (`messenger.js`, …), each exporting socket.io-client's `io`, the namespace's
 * `create<Ns>Client` and wire description, and the client's error classes. The schemas (zod) are chunks of
 * their own that only a client created with `validate: true` loads.
 *
 * Prints what a page loads per entry before it validates anything (minified and gzip bytes, and what
 * validating adds), and fails when an entry loads zod up front or is over the budget (README, "Browsers").
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

/** Namespace entries: the generated clients. */
export const ENTRIES = ['canonical', 'messenger', 'threads', 'chatterbox', 'helpdesk', 'workspace'] as const;

/** Gzip bytes an entry may load before validating (its static imports, socket.io-client included). */
export const BUDGET_GZIP_BYTES = 20_000;

export interface EntrySize {
  entry: string;
  /** The entry and every chunk it imports statically: what a page loads to send and receive. */
  bytes: number;
  gzipBytes: number;
  /** What `validate: true` loads on top (the contract and zod). */
  validateBytes: number;
  validateGzipBytes: number;
  /** Source modules from zod among what the entry loads up front (none, or the build fails). */
  zodUpFront: number;
}

/** `parley-entry:messenger`: socket.io-client's `io`, the generated client, the error classes. */
const entries: Plugin = {
  name: 'parley-entries',
  setup(b) {
    b.onResolve({ filter: /^parley-entry:/ }, (args) => ({ path: args.path, namespace: 'parley-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'parley-entry' }, (args) => {
      const ns = args.path.slice('parley-entry:'.length);
      return {
        contents: [
          "export { io } from 'socket.io-client';",
          "export { AckTimeoutError, InboundValidationError, ParleyError, ReplyValidationError } from './client/index.ts';",
          `export * from './generated/${ns}/client.gen.ts';`,
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      };
    });
  },
};

export async function buildClient(outDir = path.join(root, 'dist/browser')): Promise<EntrySize[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: ENTRIES.map((ns) => ({ in: `parley-entry:${ns}`, out: ns })),
    plugins: [entries],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    outdir: outDir,
    chunkNames: 'chunks/[name]-[hash]',
    absWorkingDir: root,
    logLevel: 'silent',
  });
  return Promise.all(ENTRIES.map((ns) => sizeOf(result.metafile, ns)));
}

async function sizeOf(meta: Metafile, entry: string): Promise<EntrySize> {
  const outputs = meta.outputs;
  const entryFile = Object.keys(outputs).find((file) =>
    outputs[file]!.entryPoint?.endsWith(`parley-entry:${entry}`),
  );
  if (entryFile === undefined) throw new Error(`esbuild wrote no output for the ${entry} entry`);
  const upFront = closure([entryFile], outputs, 'import-statement');
  const all = closure([entryFile], outputs, 'any');
  const lazy = [...all].filter((file) => !upFront.has(file));
  const measure = async (files: Iterable<string>) => {
    let bytes = 0;
    let gzipBytes = 0;
    for (const file of files) {
      const contents = await readFile(
        path.resolve(root, file) /* metafile paths are relative to absWorkingDir */,
      );
      bytes += contents.length;
      gzipBytes += gzipSync(contents, { level: 9 }).length;
    }
    return { bytes, gzipBytes };
  };
  const now = await measure(upFront);
  const later = await measure(lazy);
  const zodUpFront = [...upFront]
    .flatMap((file) => Object.keys(outputs[file]!.inputs))
    .filter((input) => input.includes('node_modules/zod/')).length;
  return {
    entry,
    ...now,
    validateBytes: later.bytes,
    validateGzipBytes: later.gzipBytes,
    zodUpFront,
  };
}

/** The output files `from` loads: through static imports only, or through dynamic ones as well. */
function closure(
  from: string[],
  outputs: Metafile['outputs'],
  kinds: 'import-statement' | 'any',
): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]?.imports ?? []) {
      if (imported.external) continue;
      if (kinds === 'any' || imported.kind === 'import-statement') visit(imported.path);
    }
  };
  for (const file of from) visit(file);
  return seen;
}

/** The build's problems: zod loaded up front, or an entry over the budget. */
export function budgetProblems(sizes: EntrySize[]): string[] {
  return sizes.flatMap((size) => [
    ...(size.zodUpFront > 0
      ? [`${size.entry}.js loads zod before validating (${size.zodUpFront} modules): schemas must stay lazy`]
      : []),
    ...(size.gzipBytes > BUDGET_GZIP_BYTES
      ? [
          `${size.entry}.js loads ${size.gzipBytes} gzip bytes up front, over the budget of ${BUDGET_GZIP_BYTES}`,
        ]
      : []),
  ]);
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = path.join(root, 'dist/browser');
  const sizes = await buildClient(outDir);
  console.log(
    `dist/browser/: one ESM entry per namespace (gzip -9; budget ${kb(BUDGET_GZIP_BYTES)} up front)\n`,
  );
  console.log('| entry | up front | gzip | validate: true adds | gzip |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const s of sizes) {
    console.log(
      `| \`${s.entry}.js\` | ${kb(s.bytes)} | ${kb(s.gzipBytes)} | ${kb(s.validateBytes)} | ${kb(s.validateGzipBytes)} |`,
    );
  }
  const problems = budgetProblems(sizes);
  for (const problem of problems) console.error(`build:client: ${problem}`);
  if (problems.length > 0) process.exitCode = 1;
}
