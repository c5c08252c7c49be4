/**
 * Parley's transport against raw Socket.IO in the same run: each scenario runs its baseline and its candidates
 * in interleaved rounds (the order alternating), so that machine noise hits both alike; medians are compared.
 *
 *   npm run build && npm run bench:transport [-- --rounds 7 --duration 1 --connections 16 --window 32
 *     --members 50 --fanout-window 32 --idle 2000 --memory-rounds 3 --only ack,fanout,memory
 *     --memory raw,recovery,bound,reference --profile <dir>]
 *
 * Every server is a process of its own on core 0 (bench/transport-server.ts, running Parley's compiled code
 * from dist/, as a deployment does), and the load generator another on core 1 (bench/transport-load.ts: bare
 * `ws` speaking the Engine.IO/Socket.IO wire protocol), pinned with `taskset` when the machine has it. The
 * payloads are the documented examples of `asyncapi.yaml` (`message:send`, its reply, `message:created`).
 * Besides throughput and latency, each row shows the server's CPU (/proc): its share of a core, and CPU time
 * per message, which other processes on the machine disturb less than throughput.
 *
 * 1. Ack round trip: `message:send` acked with the documented reply by a raw Socket.IO handler, against the
 *    same event bound with `bindNamespace` and the generated canonical contract (inbound validation and the
 *    runtime's dispatch; with outbound checks on, the development default, the reply's validation too).
 *    Closed loop: `--window` messages in flight on each of `--connections` connections; acks/s, p50/p99
 *    send → ack.
 * 2. Reference server end to end: `startServer` (SQLite in a temp folder, JWT handshake, limits that cannot
 *    run out, no outbound checks as in production) storing each `message:send`, in the same rounds as 1.
 *    Not like for like: it shows what the domain and persistence cost on top of the transport.
 * 3. Room fan-out: one sender triggers, the server emits `message:created` to a room of `--members`
 *    connections with `io.to(room).emit` or Parley's `createEmitter(...).to(room).emit`; deliveries/s and
 *    p50/p99 trigger → delivery.
 * 4. Memory per idle connection: heap used after forced GCs (`--expose-gc`) with `--idle` connections more
 *    than a warm start of 50, on raw Socket.IO and on the reference server (signed in with a JWT), a fresh
 *    server process per round. `--memory raw,recovery,bound,reference` adds raw Socket.IO with
 *    `connectionStateRecovery` (the reference server's `--recovery`), and raw Socket.IO with `bindNamespace(canonical)`, to tell the
 *    costs apart.
 *
 * `--profile <dir>` writes a V8 CPU profile of each server process (open it in Chrome DevTools).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import * as schemas from '../generated/canonical/schemas.gen.js';
// Types only: these modules are the child processes' entry points.
import type { Command, LoadResult, Reply } from './transport-load.js';
import type { Examples, ServerCommand, ServerReply, Variant } from './transport-server.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    duration: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '0.25' },
    connections: { type: 'string', default: '16' },
    window: { type: 'string', default: '32' },
    members: { type: 'string', default: '50' },
    'fanout-window': { type: 'string', default: '32' },
    idle: { type: 'string', default: '2000' },
    'memory-rounds': { type: 'string', default: '3' },
    only: { type: 'string', default: 'ack,fanout,memory' },
    memory: { type: 'string', default: 'raw,reference' },
    profile: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const durationMs = Number(values.duration) * 1000;
const warmupMs = Number(values.warmup) * 1000;
const connections = Number(values.connections);
const window = Number(values.window);
const members = Number(values.members);
const fanoutWindow = Number(values['fanout-window']);
const idle = Number(values.idle);
const memoryRounds = Number(values['memory-rounds']);
const only = new Set(values.only.split(','));
const root = path.resolve(import.meta.dirname, '..');

/**
 * A source of the servers' code newer than its compiled file in dist/, if any. (A source not compiled at all
 * is left to the import that needs it, which fails loudly.)
 */
function staleBuild(): string | undefined {
  for (const dir of ['runtime', 'server', 'generated']) {
    for (const file of readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
      const source = path.join(root, dir, file);
      const built = path.join(root, 'dist', dir, file.replace(/\.ts$/, '.js'));
      if (existsSync(built) && statSync(built).mtimeMs < statSync(source).mtimeMs)
        return path.join(dir, file);
    }
  }
  return undefined;
}
if (!existsSync(path.join(root, 'dist/server/app.js'))) {
  console.error(
    "Run `npm run build` first: the servers run Parley's compiled code (dist/), as a deployment does.",
  );
  process.exit(1);
}
// Older compiled code is measured all the same (someone may be editing the sources), but the output says so.
const stale = staleBuild();

// ------------------------------------------------------------------------------------------- processes

const taskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return os.cpus().length >= 2;
  } catch {
    return false;
  }
})();

const children = new Set<ChildProcess>();

/** `node --import tsx <script>` on `core` (when taskset is there), with an IPC channel. */
function spawnNode(core: number, script: string, args: string[], nodeFlags: string[] = []): ChildProcess {
  const command = [process.execPath, ...nodeFlags, '--import', 'tsx', path.join(root, script), ...args];
  const [file, ...rest] = (taskset ? ['taskset', '-c', String(core), ...command] : command) as [string];
  const child = spawn(file, rest, { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** The child's next message of type `type`; rejects when it reports an error or exits first. */
function next<M extends { type: string }>(child: ChildProcess, type: string): Promise<M> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: M | { type: 'error'; message: string }) => {
      if (message.type === 'error') {
        done();
        reject(new Error((message as { message: string }).message));
      } else if (message.type === type) {
        done();
        resolve(message as M);
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`a benchmark process exited (code ${code}) while waiting for "${type}"`));
    };
    const done = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function stop(child: ChildProcess, message: object): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send(message);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// However this process ends, its children end too (SIGTERM: a server removes its temp folder).
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
});
process.on('SIGINT', () => process.exit(130));

const load = spawnNode(1, 'bench/transport-load.ts', []);
const tell = <T extends Reply['type']>(command: Command, type: T) => {
  load.send(command);
  return next<Extract<Reply, { type: T }>>(load, type);
};
const measure = async (command: Command): Promise<LoadResult> => (await tell(command, 'result')).result;

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    return (Number(fields[11]) + Number(fields[12])) / clockTicks; // fields 14 and 15: utime, stime
  } catch {
    return undefined;
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Measured extends LoadResult {
  /** Share of one core the server and the load generator used during the measured window. */
  serverCpu?: number;
  loadCpu?: number;
}

/** Runs `command` and samples both processes' CPU time over its measured window. */
async function measured(
  server: ServerProcess,
  command: Extract<Command, { type: 'ack' | 'fanout' }>,
): Promise<Measured> {
  const pending = measure(command);
  await sleep(command.warmupMs);
  const s0 = cpuSeconds(server.child.pid);
  const l0 = cpuSeconds(load.pid);
  await sleep(command.durationMs);
  const s1 = cpuSeconds(server.child.pid);
  const l1 = cpuSeconds(load.pid);
  const result = await pending;
  const share = (a?: number, b?: number) =>
    a === undefined || b === undefined ? undefined : (b - a) / (command.durationMs / 1000);
  return { ...result, serverCpu: share(s0, s1), loadCpu: share(l0, l1) };
}

interface ServerProcess {
  child: ChildProcess;
  url: string;
  tokens: Record<string, string>;
}

async function startVariant(variant: Variant, args: string[] = []): Promise<ServerProcess> {
  const child = spawnNode(
    0,
    'bench/transport-server.ts',
    [variant, ...args, '--examples', JSON.stringify(examples)],
    // `--profile <dir>`: a V8 CPU profile of each server process, written when it stops (open in Chrome DevTools).
    [
      '--expose-gc',
      ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : []),
    ],
  );
  const ready = await next<Extract<ServerReply, { type: 'ready' }>>(child, 'ready');
  return { child, url: ready.url, tokens: ready.tokens };
}
const stopServer = (server: ServerProcess) => stop(server.child, { type: 'stop' } satisfies ServerCommand);
const heap = (server: ServerProcess) => {
  server.child.send({ type: 'heap' } satisfies ServerCommand);
  return next<Extract<ServerReply, { type: 'heap' }>>(server.child, 'heap');
};

// ------------------------------------------------------------------------------------------- examples

/** The first example of each message this benchmark sends, from the spec, checked against the schemas. */
function loadExamples(): Examples & { send: schemas.MessageSendPayloadInput } {
  const doc = parse(readFileSync(path.join(root, 'asyncapi.yaml'), 'utf8')) as {
    channels: {
      canonical: { messages: Record<string, { name: string; examples?: { payload: unknown }[] }> };
    };
  };
  const example = (name: string) => {
    const message = Object.values(doc.channels.canonical.messages).find((m) => m.name === name);
    const payload = message?.examples?.[0]?.payload;
    if (payload === undefined) throw new Error(`asyncapi.yaml: the canonical "${name}" has no example`);
    return payload;
  };
  return {
    send: schemas.MessageSendPayload.parse(example('message:send')),
    reply: schemas.MessageSendReplyPayload.parse(example('message:send reply')),
    created: schemas.MessageCreatedPayload.parse(example('message:created')),
  };
}
const examples = loadExamples();

// ------------------------------------------------------------------------------------------- reporting

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const rate = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(0));
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;

interface Row {
  name: string;
  results: Measured[];
}

/**
 * One line per variant: medians, the ratio of medians to the first row (the baseline), the ratios of each
 * round to the baseline's in the same round (their median and range), latency, and the server's CPU: its share of a core (near 100 %: the server is the
 * bottleneck, as it should be) and CPU time per message, which noise from other processes moves less.
 */
function table(unit: string, per: string, rows: Row[]): void {
  const base = rows[0] as Row;
  const baseRate = median(base.results.map((r) => r.rate));
  const costs = (row: Row) =>
    row.results.flatMap((x) => (x.serverCpu === undefined ? [] : [(x.serverCpu / x.rate) * 1e6]));
  const baseCost = median(costs(base));
  console.log(
    `\n| variant | ${unit} (median) | vs raw | per-round ratio: median (range) | p50 ms | p99 ms | server CPU | ` +
      `server µs/${per} | vs raw | generator CPU |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const pct = (x: number) => (Number.isNaN(x) ? '?' : `${(x * 100).toFixed(0)} %`);
  for (const row of rows) {
    const r = median(row.results.map((x) => x.rate));
    const ratios = row.results.map((x, i) => x.rate / (base.results[i] as Measured).rate);
    const range = `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
    const cost = median(costs(row));
    console.log(
      `| ${row.name} | ${rate(r)} | ${(r / baseRate).toFixed(2)}× | ${range} | ` +
        `${ms(median(row.results.map((x) => x.p50)))} | ${ms(median(row.results.map((x) => x.p99)))} | ` +
        `${pct(median(row.results.map((x) => x.serverCpu ?? Number.NaN)))} | ` +
        `${Number.isNaN(cost) ? '?' : cost.toFixed(1)} | ${(cost / baseCost).toFixed(2)}× | ` +
        `${pct(median(row.results.map((x) => x.loadCpu ?? Number.NaN)))} |`,
    );
  }
}

/** Interleaved rounds over `variants`: the order alternates so that drift does not favour one side. */
async function interleave(variants: { name: string; run: () => Promise<Measured> }[]): Promise<Row[]> {
  const rows: Row[] = variants.map((v) => ({ name: v.name, results: [] }));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants.keys() : [...variants.keys()].reverse();
    for (const i of order)
      (rows[i] as Row).results.push(await (variants[i] as (typeof variants)[number]).run());
  }
  return rows;
}

function check(name: string, result: LoadResult, expect: string): void {
  if (result.failures > 0 || (result.sample !== undefined && !result.sample.includes(expect))) {
    throw new Error(
      `${name}: the server answered with failures (${result.failures}): ${result.sample?.slice(0, 300)}`,
    );
  }
}

// ------------------------------------------------------------------------------------------- scenarios

async function ackScenarios(): Promise<void> {
  const servers = {
    raw: await startVariant('raw-ack'),
    parley: await startVariant('parley-ack', ['--outbound', 'off']),
    parleyChecked: await startVariant('parley-ack', ['--outbound', 'on']),
    reference: await startVariant('reference', ['--users', String(connections), '--outbound', 'off']),
  };
  const users = Array.from({ length: connections }, (_, i) => `bench-${i + 1}`);
  for (const [name, server] of Object.entries(servers)) {
    const auths =
      name === 'reference' ? users.map((u) => ({ token: server.tokens[u] })) : users.map(() => undefined);
    await tell({ type: 'open', set: name, url: server.url, auths }, 'opened');
  }
  const run = (set: keyof typeof servers, warm: number, duration: number) => () =>
    measured(servers[set], {
      type: 'ack',
      set,
      event: 'message:send',
      // Each reference connection writes to its own room (its user is its only member).
      payloads: set === 'reference' ? users.map((u) => ({ ...examples.send, roomId: u })) : [examples.send],
      uniqueKey: 'clientMessageId',
      window,
      warmupMs: warm,
      durationMs: duration,
    });
  // Warm every server (JIT, zod's compiled schemas, SQLite's page cache) before anything counts.
  for (const set of Object.keys(servers) as (keyof typeof servers)[]) {
    check(set, await run(set, 700, 300)(), '"ok":true');
  }
  const rows = await interleave(
    (Object.keys(servers) as (keyof typeof servers)[]).map((set) => ({
      name: set,
      run: run(set, warmupMs, durationMs),
    })),
  );
  for (const row of rows) for (const r of row.results) check(row.name, r, '"ok":true');
  const byName = Object.fromEntries(rows.map((r) => [r.name, r])) as Record<keyof typeof servers, Row>;

  console.log(
    `\n### 1. Ack round trip: \`message:send\` → documented reply, ${connections} connections × ${window} in flight`,
  );
  table('acks/s', 'ack', [
    { ...byName.raw, name: 'raw Socket.IO handler' },
    { ...byName.parley, name: 'Parley `bindNamespace`, inbound validation (production)' },
    {
      ...byName.parleyChecked,
      name: 'Parley `bindNamespace`, inbound + reply validation (development default)',
    },
  ]);
  console.log(
    '\n### 2. Reference server end to end (NOT like for like: stores every message in SQLite, JWT session, ' +
      'rooms, `message:created` back to the sender)',
  );
  table('acks/s', 'ack', [
    { ...byName.raw, name: 'raw Socket.IO handler (no storage)' },
    { ...byName.parley, name: 'Parley `bindNamespace` (no storage)' },
    { ...byName.reference, name: 'reference server `startServer`, SQLite (production settings)' },
  ]);
  for (const name of Object.keys(servers)) await tell({ type: 'close', set: name }, 'closed');
  await Promise.all(Object.values(servers).map(stopServer));
}

async function fanoutScenario(): Promise<void> {
  const servers = {
    raw: await startVariant('raw-fanout'),
    parley: await startVariant('parley-fanout', ['--outbound', 'off']),
    parleyChecked: await startVariant('parley-fanout', ['--outbound', 'on']),
  };
  for (const [name, server] of Object.entries(servers)) {
    const memberAuths = Array.from({ length: members }, () => ({ member: true }));
    await tell({ type: 'open', set: `${name}:members`, url: server.url, auths: memberAuths }, 'opened');
    await tell({ type: 'open', set: `${name}:sender`, url: server.url, auths: [undefined] }, 'opened');
  }
  const run = (set: keyof typeof servers, warm: number, duration: number) => () =>
    measured(servers[set], {
      type: 'fanout',
      sender: `${set}:sender`,
      members: `${set}:members`,
      event: 'message:send',
      payload: examples.send,
      window: fanoutWindow,
      warmupMs: warm,
      durationMs: duration,
    });
  for (const set of Object.keys(servers) as (keyof typeof servers)[]) await run(set, 700, 300)();
  const rows = await interleave(
    (Object.keys(servers) as (keyof typeof servers)[]).map((set) => ({
      name: set,
      run: run(set, warmupMs, durationMs),
    })),
  );
  const byName = Object.fromEntries(rows.map((r) => [r.name, r])) as Record<keyof typeof servers, Row>;
  console.log(
    `\n### 3. Room fan-out: \`message:created\` (documented example) to ${members} members, one sender, ` +
      `${fanoutWindow} triggers in flight`,
  );
  table('deliveries/s', 'delivery', [
    { ...byName.raw, name: 'raw `io.to(room).emit`' },
    { ...byName.parley, name: 'Parley `createEmitter(...).to(room).emit`, no validation (production)' },
    { ...byName.parleyChecked, name: 'Parley emitter, validated once per emit (development default)' },
  ]);
  for (const name of Object.keys(servers)) {
    await tell({ type: 'close', set: `${name}:members` }, 'closed');
    await tell({ type: 'close', set: `${name}:sender` }, 'closed');
  }
  await Promise.all(Object.values(servers).map(stopServer));
}

/** The servers scenario 4 can compare; `--memory` picks them (the first is the baseline). */
const MEMORY_VARIANTS: Record<
  string,
  { name: string; variant: Variant; args: string[]; auth: (s: ServerProcess) => object | undefined }
> = {
  raw: { name: 'raw Socket.IO (no auth)', variant: 'raw-ack', args: [], auth: () => undefined },
  recovery: {
    name: 'raw Socket.IO with `connectionStateRecovery` (as the reference server with --recovery)',
    variant: 'raw-ack',
    args: ['--recovery', 'on'],
    auth: () => undefined,
  },
  bound: {
    name: 'raw Socket.IO + `bindNamespace(canonical)` (no auth)',
    variant: 'parley-ack',
    args: [],
    auth: () => undefined,
  },
  reference: {
    name: 'reference server, JWT handshake (user alice: her rooms joined, presence, `session:ready`)',
    variant: 'reference',
    args: ['--outbound', 'off'],
    auth: (s) => ({ token: s.tokens.alice }),
  },
};

async function memoryScenario(): Promise<void> {
  const WARM = 50;
  const variants = values.memory.split(',').map((key) => {
    const v = MEMORY_VARIANTS[key];
    if (v === undefined)
      throw new Error(`--memory: unknown "${key}"; known: ${Object.keys(MEMORY_VARIANTS).join(', ')}`);
    return v;
  });
  const results = variants.map(() => ({ perConnection: [] as number[], rss: [] as number[] }));
  for (let round = 0; round < memoryRounds; round++) {
    const order = round % 2 === 0 ? variants.keys() : [...variants.keys()].reverse();
    for (const i of order) {
      const v = variants[i] as (typeof variants)[number];
      const server = await startVariant(v.variant, v.args);
      const auth = v.auth(server);
      await tell(
        { type: 'open', set: 'warm', url: server.url, auths: Array.from({ length: WARM }, () => auth) },
        'opened',
      );
      const before = await heap(server);
      await tell(
        { type: 'open', set: 'idle', url: server.url, auths: Array.from({ length: idle }, () => auth) },
        'opened',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await heap(server);
      if (after.connections !== WARM + idle) {
        throw new Error(`${v.name}: ${after.connections} connections open, expected ${WARM + idle}`);
      }
      (results[i] as (typeof results)[number]).perConnection.push((after.heapUsed - before.heapUsed) / idle);
      (results[i] as (typeof results)[number]).rss.push((after.rss - before.rss) / idle);
      await tell({ type: 'close', set: 'idle' }, 'closed');
      await tell({ type: 'close', set: 'warm' }, 'closed');
      await stopServer(server);
    }
  }
  console.log(
    `\n### 4. Memory per idle connection: ${idle} connections over a warm start of ${WARM}, heap used after ` +
      `forced GCs, a fresh server per round`,
  );
  console.log('\n| server | heap per connection (median) | vs raw | per-round | RSS per connection |');
  console.log('|---|---|---|---|---|');
  const base = median((results[0] as (typeof results)[number]).perConnection);
  variants.forEach((v, i) => {
    const r = results[i] as (typeof results)[number];
    const m = median(r.perConnection);
    const range = r.perConnection.map((x) => (x / 1024).toFixed(2)).join(', ');
    console.log(`| ${v.name} | ${kib(m)} | ${(m / base).toFixed(2)}× | ${range} | ${kib(median(r.rss))} |`);
  });
}

// ------------------------------------------------------------------------------------------- main

console.log(
  `Parley transport benchmark: Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ` +
    (taskset
      ? 'servers pinned to core 0, load generator (bare ws) to core 1 with taskset'
      : 'taskset not found (or one CPU): servers and the load generator share the cores, expect more noise'),
);
if (stale !== undefined) {
  console.log(
    `WARNING: dist/ is older than ${stale}: this measures the last build; \`npm run build\` first.`,
  );
}
console.log(
  `${rounds} interleaved rounds of ${values.duration} s (after ${values.warmup} s of settling), medians; ` +
    `memory: ${memoryRounds} rounds.`,
);
const started = performance.now();
try {
  for (const [name, scenario] of [
    ['ack', ackScenarios],
    ['fanout', fanoutScenario],
    ['memory', memoryScenario],
  ] as const) {
    if (!only.has(name)) continue;
    const start = performance.now();
    await scenario();
    console.log(`\n(${((performance.now() - start) / 1000).toFixed(0)} s)`);
  }
} finally {
  await stop(load, { type: 'exit' } satisfies Command);
  for (const child of children) child.kill('SIGTERM');
}
console.log(`\nTotal: ${((performance.now() - started) / 1000).toFixed(0)} s`);
