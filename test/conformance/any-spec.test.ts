/**
 * Documents written without Parley in mind compile with no `x-parley-*` line, with warnings where a default
 * fills in (and are refused under `strict` with the same diagnostics), their generated code type-checks (the
 * snapshots under `test/fixtures/any-spec/__snapshots__` are in the tsconfig: `npm run typecheck` compiles
 * them, `any-spec.test-d.ts` checks their types), and a server built from the generated `register` with
 * simple handlers passes `parley conformance`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/index.js';
import { compile, generate, SpecError } from '../../codegen/index.js';
import { runConformance } from '../../conformance/index.js';
import { registerBoard } from '../fixtures/any-spec/__snapshots__/plain/board/server.gen.js';
import { rootContract } from '../fixtures/any-spec/__snapshots__/zod-sockets/root/contract.gen.js';
import { registerRoot } from '../fixtures/any-spec/__snapshots__/zod-sockets/root/server.gen.js';

const DIR = 'test/fixtures/any-spec';
const spec = (name: string) => `${DIR}/${name}.yaml`;

/** Under strict, also the strict-only rule: strings and lists clients send without a bound. */
const UNBOUNDED: Record<string, string[]> = {
  plain: ['error unbounded 38'],
  'zod-sockets': ['error unbounded 99'],
};

/** Every default that filled in, as `severity code line`. */
const DEFAULTS: Record<string, string[]> = {
  plain: ['warning error-template-invalid 9', 'warning error-event-missing 9'],
  'zod-sockets': [
    'warning message-name-missing 115',
    'warning message-name-missing 85',
    'warning example-missing 129',
    'warning example-missing 76',
    'warning example-missing 85',
    'warning error-template-invalid 19',
    'warning error-event-missing 19',
  ],
};

describe.each(['plain', 'zod-sockets'])('%s.yaml', (name) => {
  it('has no x-parley- extension, and compiles with a warning for each default', async () => {
    expect(readFileSync(spec(name), 'utf8')).not.toMatch(/^\s*x-parley-/m);
    const { diagnostics } = await compile(spec(name));
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}`)).toEqual(DEFAULTS[name]);
  });

  it('is refused under strict, each default an error', async () => {
    const refused = await compile(spec(name), { strict: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SpecError);
    expect((refused as SpecError).diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}`)).toEqual([
      ...(DEFAULTS[name] ?? []).map((d) => d.replace('warning', 'error')),
      ...(UNBOUNDED[name] ?? []),
    ]);
  });

  it('generates the snapshot files (type-checked by npm run typecheck)', async () => {
    const outDir = path.resolve(DIR, '__snapshots__', name);
    const { files } = await generate(spec(name), { outDir, runtime: '.' });
    for (const file of files) await expect(file.contents).toMatchFileSnapshot(path.join(outDir, file.path));
  });
});

describe('parley conformance against servers built from the generated register', () => {
  let io: Server;
  let url: string;

  beforeAll(async () => {
    const http = createServer();
    io = new Server(http);
    // The reset hook: these servers keep nothing, so a reset only closes the sockets; no auth, so any token.
    http.on('request', (req, res) => {
      if (req.method !== 'POST' || req.url !== '/__parley/reset') return;
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        io.disconnectSockets(true);
        for (const nsp of ['/board', '/']) io.of(nsp).disconnectSockets(true);
        const users = (JSON.parse(body) as { users?: { id: string }[] }).users ?? [];
        const tokens = Object.fromEntries(users.map((u) => [u.id, `token-${u.id}`]));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ tokens, expiredTokens: tokens }));
      });
    });
    const board = registerBoard(io.of('/board'), {
      join: (board) => ({ accepted: true, board }),
      move: ([piece, column], ctx) => ctx.emit.toSocket(ctx.socket).emit('moved', 'alice', piece, column),
      volume: () => {},
      ping: () => Date.now(),
      'list boards': () => ['lobby', 'tournament'],
    });
    io.of('/board').on('connection', (socket) => board.emitter.toSocket(socket).emit('tick'));
    const root = registerRoot(io.of('/'), {
      ping: (args) => ['pong', ...args],
      chat: ([message], ctx) => ctx.emit.toSocket(ctx.socket).emit('chat', message, { from: ctx.socket.id }),
      subscribe: () => {},
    });
    io.of('/').on('connection', (socket) => {
      const to = root.emitter.toSocket(socket);
      to.emit('time', new Date().toISOString());
      to.emit('rooms', [...socket.rooms]);
      to.emit('secret', 'only for you');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });

  it('a generated client gets a tuple ack whole (the rest spread over the ack arguments and collected again)', async () => {
    const socket = connect(url, { transports: ['websocket'] });
    try {
      await expect(createClient(socket, rootContract).ping(['something', 2])).resolves.toEqual([
        'pong',
        'something',
        2,
      ]);
    } finally {
      socket.close();
    }
  });

  it.each([
    ['plain', '/board'],
    ['zod-sockets', '/'],
  ])('%s.yaml passes, and says what it cannot test and why', async (name, namespace) => {
    const report = await runConformance({
      url,
      spec: spec(name),
      fixtures: `${DIR}/${name}.fixtures.yaml`,
      namespaces: [namespace],
      timeoutMs: 1000,
    });
    const failed = report.results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => `${r.id}: ${r.failures.map((f) => f.message).join('; ')}`)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(
      report.results
        .filter((r) => r.status !== 'failed')
        .map((r) => `${r.status} ${r.title}${r.reason ? `: ${r.reason}` : ''}`),
    ).toMatchSnapshot();
  });
});
