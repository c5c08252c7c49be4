/**
 * The server side of `bench/transport.ts`: one variant per process, started by it (pinned to its own core,
 * with `--expose-gc`) and driven over IPC; Parley's code is loaded from `dist/` (`npm run build`). Not meant
 * to be run by hand.
 *
 *   raw-ack        Socket.IO alone: `message:send` acks the documented reply; `--recovery on` adds
 *                  `connectionStateRecovery` as `parley serve --recovery` has it
 *   parley-ack     the same event bound with `bindNamespace` and the generated canonical contract: the payload
 *                  is validated, the handler returns the documented reply (no database); `--outbound on|off`
 *                  also checks the reply (development default) or not (production)
 *   raw-fanout     `message:send` emits the documented `message:created` to the room with `io.to(room).emit`
 *   parley-fanout  the same through `createEmitter(...).to(room).emit` (validates once per emit when on)
 *   reference      the reference server (`startServer`): SQLite in a temp folder, JWT handshake, rate limits
 *                  that cannot run out; `--users n` seeds users `bench-1…n`, each alone in channel `bench-i`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import type * as wire from '../generated/canonical/schemas.gen.js';

/**
 * Parley's code as `npm run build` compiled it (dist/), as a deployment runs it: under tsx, every named closure
 * gets esbuild's `__name(fn, …)`, a property that costs ~250 bytes per function object and time per creation,
 * which the runtime (a closure per listener per socket, several per emit) would pay and raw Socket.IO not.
 */
const fromDist = <M>(file: string) =>
  import(pathToFileURL(path.resolve(import.meta.dirname, '../dist', file)).href) as Promise<M>;
const { canonicalContract } = await fromDist<typeof import('../generated/canonical/contract.gen.js')>(
  'generated/canonical/contract.gen.js',
);
const { bindNamespace, createEmitter } =
  await fromDist<typeof import('../runtime/server.js')>('runtime/server.js');
const { startServer } = await fromDist<typeof import('../server/app.js')>('server/app.js');
const { createLogger } = await fromDist<typeof import('../server/log.js')>('server/log.js');
const { loadSeedData } = await fromDist<typeof import('../server/store/index.js')>('server/store/index.js');

export type Variant = 'raw-ack' | 'parley-ack' | 'raw-fanout' | 'parley-fanout' | 'reference';

/** The documented examples the variants answer with (from asyncapi.yaml, passed by the orchestrator). */
export interface Examples {
  reply: wire.MessageSendReplyPayloadInput;
  created: wire.MessageCreatedPayloadInput;
}

export type ServerCommand = { type: 'heap' } | { type: 'stop' };

export type ServerReply =
  | { type: 'ready'; url: string; tokens: Record<string, string> }
  | { type: 'heap'; heapUsed: number; rss: number; connections: number };

/** The room the fan-out variants broadcast to; a connection whose handshake says `{ member: true }` joins it. */
const FANOUT_ROOM = 'bench-room';
const JWT_SECRET = 'bench-transport-secret-0123456789abcdef';
const RATE_CLASSES = ['message', 'typing', 'reaction', 'call', 'broadcast'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    outbound: { type: 'string', default: 'off' },
    users: { type: 'string', default: '0' },
    examples: { type: 'string', default: '{}' },
    recovery: { type: 'string', default: 'off' },
  },
});
const variant = positionals[0] as Variant;
const examples = JSON.parse(values.examples) as Examples;
const validate = values.outbound === 'on';

async function rawServer(
  setup: (io: Server) => void,
): Promise<{ url: string; io: Server; close(): Promise<void> }> {
  const http = createServer();
  const io = new Server(http, {
    serveClient: false,
    // As `parley serve --recovery` has it (app.ts), to tell its cost apart.
    ...(values.recovery === 'on'
      ? { connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: false } }
      : {}),
  });
  setup(io);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    close: () => new Promise((resolve) => io.close(() => resolve())),
  };
}

type Ack = (reply: unknown) => void;

/** The reference server's temp folder, removed however the process ends. */
let removeOnExit = () => {};
process.on('exit', () => removeOnExit());
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(130));

async function start(): Promise<{
  url: string;
  io: Server;
  tokens: Record<string, string>;
  close(): Promise<void>;
}> {
  switch (variant) {
    case 'raw-ack': {
      const s = await rawServer((io) =>
        io.on('connection', (socket) =>
          socket.on('message:send', (_payload: unknown, ack: Ack) => ack(examples.reply)),
        ),
      );
      return { ...s, tokens: {} };
    }
    case 'parley-ack': {
      const s = await rawServer((io) =>
        bindNamespace(
          io.of('/'),
          canonicalContract,
          { 'message:send': () => examples.reply },
          { validateOutbound: validate },
        ),
      );
      return { ...s, tokens: {} };
    }
    case 'raw-fanout':
    case 'parley-fanout': {
      const s = await rawServer((io) => {
        const nsp = io.of('/');
        const emitter = createEmitter(nsp, canonicalContract, { validate });
        const emit =
          variant === 'raw-fanout'
            ? () => nsp.to(FANOUT_ROOM).emit('message:created', examples.created)
            : () => emitter.to(FANOUT_ROOM).emit('message:created', examples.created);
        nsp.on('connection', (socket) => {
          if ((socket.handshake.auth as { member?: boolean }).member) socket.join(FANOUT_ROOM);
          socket.on('message:send', (_payload: unknown, ack: Ack) => {
            emit();
            ack(examples.reply);
          });
        });
      });
      return { ...s, tokens: {} };
    }
    case 'reference': {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
      removeOnExit = () => rmSync(dataDir, { recursive: true, force: true });
      const server = await startServer({
        port: 0,
        host: '127.0.0.1',
        dataDir,
        auth: { JWT_SECRET },
        logger: createLogger({ level: 'silent' }),
        validateOutbound: validate,
        domain: {
          rateLimits: Object.fromEntries(RATE_CLASSES.map((c) => [c, { burst: 1e9, perSecond: 1e9 }])),
        },
      });
      const users = Array.from({ length: Number(values.users) }, (_, i) => `bench-${i + 1}`);
      if (users.length > 0) {
        await loadSeedData(server.store, {
          users: users.map((id) => ({ id, username: id })),
          rooms: users.map((id) => ({ id, name: id, kind: 'channel', members: [id] })),
        });
      }
      const tokens: Record<string, string> = {};
      for (const user of ['alice', ...users])
        tokens[user] = await (server.auth.issueToken as (u: string) => Promise<string>)(user);
      return {
        url: server.url,
        io: server.io,
        tokens,
        close: () => server.close(),
      };
    }
    default:
      throw new Error(`unknown variant "${variant}"`);
  }
}

const send = (reply: ServerReply) => process.send?.(reply);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const server = await start();
send({ type: 'ready', url: server.url, tokens: server.tokens });

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
process.on('message', async (command: ServerCommand) => {
  if (command.type === 'heap') {
    // Several full collections apart, so that what only weak references or finalizers hold goes too.
    for (let i = 0; i < 4; i++) {
      gc();
      await settle();
    }
    const { heapUsed, rss } = process.memoryUsage();
    send({ type: 'heap', heapUsed, rss, connections: server.io.engine.clientsCount });
  } else if (command.type === 'stop') {
    const timer = setTimeout(() => process.exit(0), 2000);
    timer.unref();
    await server.close().catch(() => {});
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
