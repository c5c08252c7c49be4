/**
 * `parley generate` against a bare `@asyncapi/parser` parse of the same spec, side by side, interleaved so that
 * machine noise hits both alike; medians are compared.
 *
 *   npm run build && npm run bench:codegen [-- --runs 9 --spec asyncapi.yaml]
 *
 * Process: wall time of a whole process, as a user waits for it (Node start, imports, work): the bare parse,
 * `parley generate` with Modelina's cached output (the usual run), and with an empty output folder (cold).
 * In-process: the work alone, after a warm-up: `parser.parse` against `generate()`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromFile, Parser } from '@asyncapi/parser';
import { generate } from '../codegen/index.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, spec: { type: 'string', default: 'asyncapi.yaml' } },
});
const runs = Number(values.runs);
const spec = values.spec;
const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
if (!existsSync(cli)) {
  console.error('Run `npm run build` first: the benchmark times the compiled CLI, as `npx parley` runs it.');
  process.exit(1);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const time = (fn: () => void) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const node = (...args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'ignore' });

const warmOut = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
node(cli, 'generate', '--spec', spec, '--out', warmOut, '--no-stubs', '--runtime', root); // fill Modelina's cache
const samples = { parse: [] as number[], warm: [] as number[], cold: [] as number[] };
for (let i = 0; i < runs; i++) {
  samples.parse.push(time(() => node(path.join(root, 'bench/parse-only.mjs'), spec)));
  samples.warm.push(
    time(() => node(cli, 'generate', '--spec', spec, '--out', warmOut, '--no-stubs', '--runtime', root)),
  );
  const coldOut = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  samples.cold.push(
    time(() => node(cli, 'generate', '--spec', spec, '--out', coldOut, '--no-stubs', '--runtime', root)),
  );
  rmSync(coldOut, { recursive: true });
}

// In-process: the same work without Node's start-up and imports.
const parser = new Parser();
const inProcess = { parse: [] as number[], generate: [] as number[] };
const previous = new Map<string, string>();
for (const file of (await generate(spec, { outDir: warmOut, runtime: root })).files)
  previous.set(file.path, file.contents);
for (let i = 0; i < runs + 2; i++) {
  let start = performance.now();
  await fromFile(parser, spec).parse();
  const parse = performance.now() - start;
  start = performance.now();
  await generate(spec, { outDir: warmOut, runtime: root, previous });
  if (i >= 2) {
    inProcess.parse.push(parse);
    inProcess.generate.push(performance.now() - start);
  }
}
rmSync(warmOut, { recursive: true });

const size = (await readFile(spec)).length;
const row = (name: string, ms: number, base: number) =>
  `| ${name} | ${ms.toFixed(0)} ms | ${(ms / base).toFixed(2)}× |`;
const p = median(samples.parse);
const ip = median(inProcess.parse);
console.log(
  `\n${spec} (${(size / 1024).toFixed(1)} KiB), ${runs} interleaved runs, medians, Node ${process.version}\n`,
);
console.log('| process | wall time | vs bare parse |\n|---|---|---|');
console.log(row('bare `@asyncapi/parser` parse', p, p));
console.log(row('`parley generate` (Modelina output cached)', median(samples.warm), p));
console.log(row('`parley generate` (empty output folder)', median(samples.cold), p));
console.log('\n| in-process, warm | time | vs bare parse |\n|---|---|---|');
console.log(row('`parser.parse`', ip, ip));
console.log(row('`generate()` (parse, IR, validate, emit)', median(inProcess.generate), ip));
