/** A real server on port 0 with its own data folder, and real clients connected to it. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { type RunningServer, type ServerOptions, startServer } from '../../server/app.js';
import { createLogger } from '../../server/log.js';

const RATE_CLASSES = ['message', 'typing', 'reaction', 'call', 'broadcast'];

export const SECRET = 'integration-test-secret-0123456789abcdef';

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  /** A socket of `user` on `namespace`, connected (or the connect_error thrown). */
  connect(namespace: string, user: string | null, options?: { token?: string }): Promise<Socket>;
  /** Start a new server on the same data folder (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-it-'));
  const settings: ServerOptions = {
    port: 0,
    dataDir,
    auth: { JWT_SECRET: SECRET },
    logger: createLogger({ level: 'silent' }),
    // Tests send as the same few users in quick succession: limits that cannot run out, unless a test (about
    // rate limits) passes its own domain options.
    domain: {
      rateLimits: Object.fromEntries(RATE_CLASSES.map((c) => [c, { burst: 10_000, perSecond: 10_000 }])),
    },
    ...options,
  };
  const sockets: Socket[] = [];
  const t: TestServer = {
    server: await startServer(settings),
    dataDir,
    async connect(namespace, user, { token } = {}) {
      const auth = token ?? (user ? await t.server.auth.issueToken!(user) : undefined);
      const socket = io(`${t.server.url}${namespace}`, {
        auth: auth ? { token: auth } : {},
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => reject(error));
      });
      return socket;
    },
    async restart() {
      for (const s of sockets.splice(0)) s.disconnect();
      await t.server.close();
      t.server = await startServer(settings);
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await t.server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** The next `event` on `socket`, or a rejection after `ms`. */
export function next<T = unknown>(socket: Socket, event: string, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    const on = (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, on);
  });
}

/** Resolves with every `event` received within `ms` (to check that nothing arrives). */
export function collect<T = unknown>(socket: Socket, event: string, ms = 300): Promise<T[]> {
  const got: T[] = [];
  const on = (payload: T) => got.push(payload);
  socket.on(event, on);
  return new Promise((resolve) =>
    setTimeout(() => {
      socket.off(event, on);
      resolve(got);
    }, ms),
  );
}
