/**
 * `parley generate` against a bare `@asyncapi/parser` parse (its default rulesets) of the same document, side by
 * side, interleaved so that machine noise hits both alike; medians are compared.
 *
 *   npm run build && npm run bench:codegen [-- --runs 5 --spec asyncapi.yaml]
 *
 * Cold: each run is a new Node process (start-up and imports included), as a user waits for `npx parley`.
 * Warm: in one process after a warm-up, as `--watch` regenerates: `parser.parse` against `generate()`.
 * Watch: `parley generate --watch` running; one message's schema is changed and saved, and the time until the
 * process reports the files written is taken.
 *
 * "One message changed" edits the first `maxLength` of the document to a value not used before, so nothing is
 * served from a cache that an earlier run filled (Modelina runs again for that namespace). The benchmark works
 * on a copy of the spec (a document without external `$ref`s) and a cache folder of its own (`PARLEY_CACHE_DIR`),
 * filled by a first run that is timed too.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Parser } from '@asyncapi/parser';
import { generate } from '../codegen/index.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, spec: { type: 'string', default: 'asyncapi.yaml' } },
});
const runs = Number(values.runs);
const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
if (!existsSync(cli)) {
  console.error('Run `npm run build` first: the benchmark times the compiled CLI, as `npx parley` runs it.');
  process.exit(1);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
const spec = path.join(work, 'spec.yaml');
const original = readFileSync(values.spec, 'utf8');
writeFileSync(spec, original);
const cacheDir = path.join(work, 'cache');
process.env.PARLEY_CACHE_DIR = cacheDir;
const env = { ...process.env, PARLEY_CACHE_DIR: cacheDir };

let edits = 0;
/** One message changed: the first `maxLength` set to a value no earlier run has seen. */
function changeOneMessage(): void {
  edits++;
  const text = original.replace(
    /maxLength: (\d+)/,
    (_m, n: string) => `maxLength: ${Number(n) + 1000 + edits}`,
  );
  if (text === original) throw new Error(`${values.spec} has no maxLength to change`);
  writeFileSync(spec, text);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const time = (fn: () => void) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const node = (...args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'ignore', env });
const parleyGenerate = (out: string, ...more: string[]) =>
  node(cli, 'generate', '--spec', spec, '--out', out, '--no-stubs', '--runtime', root, ...more);

// The first run on a machine: empty output folder, empty cache (the schema validator is compiled, Modelina
// runs for every namespace).
const out = path.join(work, 'out');
const first = time(() => parleyGenerate(out));
parleyGenerate(out, '--check'); // the full rulesets' verdict on the original document, cached

const cold = {
  parse: [] as number[],
  unchanged: [] as number[],
  changed: [] as number[],
  check: [] as number[],
};
for (let i = 0; i < runs; i++) {
  writeFileSync(spec, original);
  cold.parse.push(time(() => node(path.join(root, 'bench/parse-only.mjs'), spec)));
  parleyGenerate(out); // back to the original document's output
  cold.unchanged.push(time(() => parleyGenerate(out)));
  cold.check.push(time(() => parleyGenerate(out, '--check')));
  changeOneMessage();
  cold.changed.push(time(() => parleyGenerate(out)));
}

// Warm, in this process: the same work without Node's start-up and imports.
writeFileSync(spec, original);
const parser = new Parser();
const previous = new Map<string, string>();
for (const file of (await generate(spec, { outDir: out, runtime: root })).files)
  previous.set(file.path, file.contents);
const warm = { parse: [] as number[], unchanged: [] as number[], changed: [] as number[] };
for (let i = 0; i < runs + 2; i++) {
  writeFileSync(spec, original);
  let start = performance.now();
  await parser.parse(readFileSync(spec, 'utf8'), { source: spec });
  const parse = performance.now() - start;
  start = performance.now();
  await generate(spec, { outDir: out, runtime: root, previous });
  const unchanged = performance.now() - start;
  changeOneMessage();
  start = performance.now();
  await generate(spec, { outDir: out, runtime: root, previous });
  if (i >= 2) {
    warm.parse.push(parse);
    warm.unchanged.push(unchanged);
    warm.changed.push(performance.now() - start);
  }
}

// Watch: from saving the spec to the process saying what it wrote.
writeFileSync(spec, original);
const watchOut = path.join(work, 'watch-out');
const watcher = spawn(
  process.execPath,
  [cli, 'generate', '--spec', spec, '--out', watchOut, '--no-stubs', '--runtime', root, '--watch'],
  { cwd: root, env },
);
let output = '';
watcher.stdout.on('data', (chunk: Buffer) => {
  output += chunk.toString();
});
const watched: number[] = [];
let written = '';
try {
  await until(watcher, () => output.includes('watching'));
  for (let i = 0; i < runs; i++) {
    const seen = output.length;
    changeOneMessage();
    const start = performance.now();
    await until(watcher, () => /written/.test(output.slice(seen)));
    watched.push(performance.now() - start);
    written = /(\d+ written)/.exec(output.slice(seen))?.[1] ?? '?';
    await new Promise((r) => setTimeout(r, 300)); // let the watcher settle before the next save
  }
} finally {
  watcher.kill();
  rmSync(work, { recursive: true, force: true });
}

const p = median(cold.parse);
const w = median(warm.parse);
const row = (name: string, ms: number, base: number) =>
  `| ${name} | ${ms.toFixed(0)} ms | ${(ms / base).toFixed(2)}× |`;
console.log(
  `\n${values.spec} (${(original.length / 1024).toFixed(1)} KiB), ${runs} interleaved runs, medians, Node ${process.version}\n`,
);
console.log('| cold: a new process per run | wall time | vs bare parse |\n|---|---|---|');
console.log(row('bare `@asyncapi/parser` parse (default rulesets)', p, p));
console.log(row('`parley generate`, spec unchanged since the last run', median(cold.unchanged), p));
console.log(row('`parley generate`, one message changed', median(cold.changed), p));
console.log(
  row('`parley generate --check`, spec unchanged (rulesets verdict cached)', median(cold.check), p),
);
console.log(row('`parley generate`, first run (empty output folder and cache; once)', first, p));
console.log('\n| warm: in one process | time | vs bare parse |\n|---|---|---|');
console.log(row('`parser.parse` (default rulesets)', w, w));
console.log(row('`generate()`, spec unchanged', median(warm.unchanged), w));
console.log(row('`generate()`, one message changed', median(warm.changed), w));
console.log(
  `\n\`parley generate --watch\`: one message changed and saved → files written (${written}): ${median(watched).toFixed(0)} ms (median; runs: ${watched.map((ms) => ms.toFixed(0)).join(', ')} ms)`,
);

async function until(child: ChildProcess, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (child.exitCode !== null) throw new Error(`the watch process exited (${child.exitCode})`);
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
