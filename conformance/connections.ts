/**
 * The harness's Socket.IO connections and the log of everything they receive. Every connection of a case
 * writes into one `EventLog`, in arrival order, from before it connects (so events sent on connection are
 * seen too) until it is closed.
 */
import { io, type Socket } from 'socket.io-client';

export interface Received {
  /** Position in the log. */
  seq: number;
  /** Which connection: `actor`, `observer`, `outsider`, `actor (2nd tab)`, `target`, ... */
  label: string;
  user: string;
  event: string;
  /**
   * The arguments, without the trailing offset Socket.IO appends when the server has connection state
   * recovery on (see `raw`).
   */
  args: unknown[];
  /** The arguments as received, offset included. */
  raw: unknown[];
}

type Waiter = { match: (entry: Received) => boolean; resolve: (entry: Received | undefined) => void };

export class EventLog {
  readonly entries: Received[] = [];
  private readonly waiters = new Set<Waiter>();

  add(entry: Omit<Received, 'seq'>): void {
    const full = { ...entry, seq: this.entries.length };
    this.entries.push(full);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(full)) {
        this.waiters.delete(waiter);
        waiter.resolve(full);
      }
    }
  }

  /** The position the next entry will have: entries from here on came after this moment. */
  mark(): number {
    return this.entries.length;
  }

  since(mark: number, match: (entry: Received) => boolean = () => true): Received[] {
    return this.entries.slice(mark).filter(match);
  }

  /**
   * Resolves once nothing has arrived for `ms` (at most `maxMs` in all): on a loaded machine the events of a
   * set-up step can trail it, and must not be counted as the next step's.
   */
  async quiet(ms: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    for (;;) {
      const before = this.entries.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (this.entries.length === before || Date.now() >= deadline) return;
    }
  }

  /** The first entry from `mark` on that matches, waiting up to `ms` for it; `undefined` if none came. */
  waitFor(mark: number, match: (entry: Received) => boolean, ms: number): Promise<Received | undefined> {
    const found = this.since(mark, match)[0];
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        match,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(undefined);
      }, ms);
      this.waiters.add(waiter);
    });
  }
}

export interface ConnectOptions {
  /** The server's base URL (`http://localhost:3000`). */
  url: string;
  namespace: string;
  label: string;
  user: string;
  /** The token, and where the handshake carries it (`auth.token`, `query.token`); none: no token. */
  token?: { value: string; source: string };
  log: EventLog;
  timeoutMs: number;
}

/** Why a connection was refused: Socket.IO's `connect_error` (`message`, `data`). */
export interface ConnectRefusal {
  message: string;
  data: unknown;
}

export class Connection {
  readonly label: string;
  readonly user: string;
  readonly socket: Socket;
  /** Set when the socket disconnected, with Socket.IO's reason (`io server disconnect`, ...). */
  disconnectReason: string | undefined;
  private readonly disconnectWaiters: (() => void)[] = [];

  private constructor(options: ConnectOptions) {
    this.label = options.label;
    this.user = options.user;
    const { token } = options;
    this.socket = io(namespaceUrl(options.url, options.namespace), {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      autoConnect: false,
      timeout: options.timeoutMs,
      ...(token?.source === 'query.token' ? { query: { token: token.value } } : {}),
      auth: token && token.source !== 'query.token' ? { token: token.value } : {},
    });
    this.socket.onAny((event: string, ...raw: unknown[]) => {
      const args = this.recovering && typeof raw.at(-1) === 'string' ? raw.slice(0, -1) : raw;
      options.log.add({ label: this.label, user: this.user, event, args, raw });
    });
    this.socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      for (const wake of this.disconnectWaiters.splice(0)) wake();
    });
  }

  /** Opens a connection: resolves once connected, or with the refusal (`connect_error`) or a timeout. */
  static open(
    options: ConnectOptions,
  ): Promise<{ connection: Connection; refused?: ConnectRefusal; timedOut?: boolean }> {
    const connection = new Connection(options);
    const { socket } = connection;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        cleanup();
        resolve({ connection, timedOut: true });
      }, options.timeoutMs);
      const onConnect = () => {
        cleanup();
        resolve({ connection });
      };
      const onError = (error: Error & { data?: unknown }) => {
        cleanup();
        resolve({ connection, refused: { message: error.message, data: error.data } });
      };
      const cleanup = () => {
        clearTimeout(timer);
        socket.off('connect', onConnect);
        socket.off('connect_error', onError);
      };
      socket.once('connect', onConnect);
      socket.once('connect_error', onError);
      socket.connect();
    });
  }

  /**
   * Whether the server has connection state recovery on: it then gave the socket a session id (kept by
   * socket.io-client as `_pid`) and appends an offset (a string) to every event it sends but volatile ones.
   */
  get recovering(): boolean {
    return typeof (this.socket as unknown as { _pid?: unknown })._pid === 'string';
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  emit(event: string, args: readonly unknown[]): void {
    this.socket.emit(event, ...args);
  }

  /** Emits with an acknowledgement callback; resolves with the ack's arguments, or `undefined` after `ms`. */
  emitWithAck(event: string, args: readonly unknown[], ms: number): Promise<unknown[] | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), ms);
      this.socket.emit(event, ...args, (...reply: unknown[]) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  /** Resolves when the socket disconnects, or after `ms` (`false` then). */
  waitForDisconnect(ms: number): Promise<boolean> {
    if (this.disconnectReason !== undefined) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.disconnectWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close(): void {
    this.socket.offAny();
    this.socket.disconnect();
  }
}

/** `http://host:3000` + `/messenger`, whatever the URL's trailing slash or path. */
export function namespaceUrl(url: string, namespace: string): string {
  const base = new URL(url);
  return `${base.origin}${namespace}`;
}
