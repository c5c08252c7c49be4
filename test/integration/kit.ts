/**
 * What every integration test uses: a real server on port 0 with its own data folder, sockets of a user on one
 * of its namespaces, and ways to wait for what the server must do. Tests wait for events, acks and state, never
 * for time: the machine is shared and a fixed pause is either too short (flaky) or too long (slow). The one
 * exception is an absence ("nothing arrives"), which cannot be awaited: `quietWindow` (through `expectQuiet` or
 * `collect(...).after()`) watches for it over a bounded window, opened once the action has been handled (its
 * ack came back), so the window measures the server's fan-out, not the action.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { expect, vi } from 'vitest';
import { type RunningServer, type ServerOptions, startServer } from '../../server/app.js';
import { createLogger } from '../../server/log.js';

/** How long something that must happen may take on a loaded machine. */
export const ARRIVAL_MS = 5000;
/** How long to watch for something that must not happen, after the action was handled. */
export const QUIET_MS = 300;

const RATE_CLASSES = ['message', 'typing', 'reaction', 'call', 'broadcast'];

export const SECRET = 'integration-test-secret-0123456789abcdef';

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  /** `connectAs(this, namespace, user, options)`. */
  connect(namespace: string, user: string | null, options?: ConnectOptions): Promise<Socket>;
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
  const t: TestServer = {
    server: await startServer(settings),
    dataDir,
    connect: (namespace, user, options) => connectAs(t, namespace, user, options),
    async restart() {
      await t.server.close();
      t.server = await startServer(settings);
    },
    async close() {
      await t.server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Something to listen on: a `socket.io-client` socket, or a generated typed client (which has `.socket`). */
export interface Listenable {
  // biome-ignore lint/suspicious/noExplicitAny: both a raw socket and a typed client's overloads fit here
  on(event: any, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  off(event: any, listener: (...args: any[]) => void): unknown;
}

export interface Where<T> {
  /** Only payloads (the first argument) for which this holds count. */
  where?: (payload: T) => boolean;
}

/** Sockets opened through the kit, with where they connected, for `closeAll`. */
const opened = new Map<Socket, { server: TestServer; namespace: string }>();

export interface SocketOptions {
  /** The token to present instead of one issued for the user. */
  token?: string;
  /** Where the handshake carries the token: the auth object (default) or the query string. */
  via?: 'auth' | 'query';
}

/** A socket of `user` (`null`: no token) on `namespace`, not connected yet, so listeners can be added first. */
export async function socketAs(
  server: TestServer,
  namespace: string,
  user: string | null,
  { token, via = 'auth' }: SocketOptions = {},
): Promise<Socket> {
  const credential = token ?? (user === null ? undefined : await server.server.auth.issueToken!(user));
  const socket = io(`${server.server.url}${namespace}`, {
    ...(credential !== undefined && via === 'auth' ? { auth: { token: credential } } : { auth: {} }),
    ...(credential !== undefined && via === 'query' ? { query: { token: credential } } : {}),
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    autoConnect: false,
  });
  opened.set(socket, { server, namespace });
  return socket;
}

/** Has `closeAll` close a socket a test made itself (the seeds' own client code does). */
export function track<S extends Socket>(server: TestServer, namespace: string, socket: S): S {
  opened.set(socket, { server, namespace });
  return socket;
}

/** Connects `socket`: resolves on `connect`, rejects with the `connect_error`. */
export function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
    socket.connect();
  });
}

export interface ConnectOptions extends SocketOptions {
  /** An event the server sends once the session is open (`authenticated`, say): resolves after it. */
  welcome?: string;
}

/** A connected socket of `user` on `namespace` (after `welcome`, when given); closed by `closeAll`. */
export async function connectAs(
  server: TestServer,
  namespace: string,
  user: string | null,
  { welcome, ...options }: ConnectOptions = {},
): Promise<Socket> {
  const socket = await socketAs(server, namespace, user, options);
  const welcomed = welcome === undefined ? undefined : nextEvent(socket, welcome);
  await connected(socket);
  await welcomed;
  return socket;
}

/**
 * Resolves once the server has processed the disconnect of `socket` (a socket the kit opened), however it comes:
 * `socket.disconnect()`, a cut transport, the server's own. Presence and last seen are stored by then.
 */
export function serverDrops(socket: Socket): Promise<void> {
  const where = opened.get(socket);
  if (!where) throw new Error('serverDrops: a socket the kit did not open');
  const atServer =
    socket.id === undefined ? undefined : where.server.server.io.of(where.namespace).sockets.get(socket.id);
  if (!atServer) return where.server.server.chat.settled();
  return new Promise<unknown>((resolve) => atServer.once('disconnect', resolve)).then(() =>
    where.server.server.chat.settled(),
  );
}

/** Closes one socket (a tab) and waits until the server has processed it. */
export async function closeSocket(socket: Socket): Promise<void> {
  const dropped = serverDrops(socket);
  socket.disconnect();
  await dropped;
}

/**
 * Disconnects every socket the kit opened and waits until each server has processed the disconnects
 * (presence, last seen), so the next test starts from everyone offline.
 */
export async function closeAll(): Promise<void> {
  const sockets = [...opened.keys()];
  await Promise.all(sockets.map(closeSocket));
  for (const socket of sockets) opened.delete(socket);
}

/** The socket under a typed client, or the socket itself. */
function underlying(source: Listenable): Socket {
  return 'socket' in source ? (source as { socket: Socket }).socket : (source as Socket);
}

/** Every event a socket receives meanwhile, for the message of a test that failed waiting. */
function arrivals(source: Listenable): { seen: () => string; stop: () => void } {
  const socket = underlying(source);
  const got: string[] = [];
  const on = (event: string, ...args: unknown[]) => got.push(`${event} ${brief(args)}`);
  socket.onAny(on);
  return {
    seen: () => (got.length === 0 ? 'nothing arrived' : `arrived instead: ${got.join('; ')}`),
    stop: () => socket.offAny(on),
  };
}

function brief(args: unknown[]): string {
  const text = args.length === 0 ? '' : JSON.stringify(args.length === 1 ? args[0] : args);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/**
 * The next `event` on `source` (that matches `where`): its first argument. Fails after `timeoutMs` naming what
 * did arrive meanwhile.
 */
export function nextEvent<T = unknown>(
  source: Listenable,
  event: string,
  { where, timeoutMs = ARRIVAL_MS }: Where<T> & { timeoutMs?: number } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const meanwhile = arrivals(source);
    const done = () => {
      clearTimeout(timer);
      source.off(event, on);
      meanwhile.stop();
    };
    const on = (payload: T) => {
      if (where && !where(payload)) return;
      done();
      resolve(payload);
    };
    const timer = setTimeout(() => {
      const why = `no ${where ? 'matching ' : ''}"${event}" within ${timeoutMs} ms (${meanwhile.seen()})`;
      done();
      reject(new Error(why));
    }, timeoutMs);
    source.on(event, on);
  });
}

/**
 * The one fixed wait of the kit, for absences only: something that must not happen cannot be awaited, only
 * watched for a bounded time. Call it once the action has been handled (its ack, or the event that must come,
 * is back), so the window covers the fan-out and not the action.
 */
export function quietWindow(windowMs = QUIET_MS): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, windowMs));
}

export interface Recording<T> {
  /** Every matching payload so far, in order of arrival. */
  readonly got: T[];
  /** The payloads of one of the recorded events. */
  of(event: string): T[];
  /** The recorded events' names, in order of arrival. */
  events(): string[];
  stop(): void;
  /** Waits the quiet window (`QUIET_MS`), stops, and resolves with everything recorded. */
  after(windowMs?: number): Promise<T[]>;
}

/** Records `events` (`'*'`: every event) on `source` from now on: first arguments, those that match `where`. */
export function collect<T = unknown>(
  source: Listenable,
  events: string | string[],
  { where }: Where<T> = {},
): Recording<T> {
  const got: T[] = [];
  const names: string[] = [];
  const record = (event: string, payload: T) => {
    if (where && !where(payload)) return;
    got.push(payload);
    names.push(event);
  };
  const listeners = [events].flat().map((event) => {
    if (event === '*') {
      const socket = underlying(source);
      socket.onAny(record);
      return () => socket.offAny(record);
    }
    const on = (payload: T) => record(event, payload);
    source.on(event, on);
    return () => source.off(event, on);
  });
  const stop = () => {
    for (const off of listeners) off();
  };
  return {
    got,
    of: (event) => got.filter((_, i) => names[i] === event),
    events: () => [...names],
    stop,
    async after(windowMs = QUIET_MS) {
      await quietWindow(windowMs);
      stop();
      return got;
    },
  };
}

/**
 * Starts watching `source` for `events` that must not arrive; `verify()` (after the action was handled) waits
 * the quiet window and fails with what arrived.
 */
export function expectQuiet<T = unknown>(
  source: Listenable,
  events: string | string[],
  options: Where<T> = {},
): { verify(windowMs?: number): Promise<void> } {
  const recording = collect(source, events, options);
  return {
    async verify(windowMs) {
      await recording.after(windowMs);
      const arrived = recording.events().map((event, i) => ({ event, payload: recording.got[i] }));
      expect(arrived, `expected no ${[events].flat().join(' / ')}`).toEqual([]);
    },
  };
}

/** Emits and resolves with the ack (a server that acks every event also makes this a barrier). */
export async function emitAck<T = unknown>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  try {
    return (await socket.timeout(ARRIVAL_MS).emitWithAck(event, ...args)) as T;
  } catch (error) {
    throw new Error(`no ack for "${event}" within ${ARRIVAL_MS} ms (${String(error)})`);
  }
}

/** What every dialect's error event carries at least. */
export interface WireError {
  code: string;
  message: string;
  [field: string]: unknown;
}

/**
 * The error event (`error` unless said otherwise) that emitting `event` causes: the runtime acks an event
 * without a reply once it has handled it (after any error event), so the ack bounds the wait.
 */
export async function errorOf<T = WireError>(
  socket: Socket,
  event: string,
  payload: unknown,
  errorEvent = 'error',
): Promise<T> {
  const error = nextEvent<T>(socket, errorEvent);
  await emitAck(socket, event, payload);
  return error;
}

/** Resolves once `check` holds (polled: server state no event announces); fails after `ARRIVAL_MS` naming `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error(`not within ${ARRIVAL_MS} ms: ${what}`);
    },
    { timeout: ARRIVAL_MS, interval: 20 },
  );
}
