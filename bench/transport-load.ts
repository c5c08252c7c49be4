/**
 * The load generator of `bench/transport.ts`, a process of its own (pinned to its own core): bare `ws`
 * connections speaking the Engine.IO 4 / Socket.IO 5 wire protocol by hand, because socket.io-client as a
 * generator makes the server work 1.7× harder per message (see ../shared/reading/performance-anchors.md)
 * and would blur the comparison.
 *
 * The frames it needs: `0{…}` open (from the server), `40{auth}` connect to `/` with the handshake's `auth`,
 * `40{"sid":…}` connected or `44{…}` refused, `42<id>["event",payload]` an event asking for an ack,
 * `43<id>[reply]` the ack, `42["event",…]` a server event, `2`/`3` ping and pong.
 *
 * Driven by `bench/transport.ts` over IPC (`Command` below); not meant to be run by hand.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

export type Command =
  /** Opens `auths.length` connections to `url` (at most `parallel` handshakes at once) as set `set`. */
  | { type: 'open'; set: string; url: string; auths: (object | null | undefined)[]; parallel?: number }
  | { type: 'close'; set: string }
  /**
   * Closed loop on every connection of `set`: `window` `event`s in flight per connection, each sent again as
   * soon as its ack arrives. Connection i sends `payloads[i % payloads.length]`, with a fresh UUID in
   * `uniqueKey` when given (an idempotency key must differ per message). Acks are counted, and their latency
   * recorded, during `durationMs` after `warmupMs`.
   */
  | {
      type: 'ack';
      set: string;
      event: string;
      payloads: object[];
      uniqueKey?: string;
      window: number;
      warmupMs: number;
      durationMs: number;
    }
  /**
   * One sender (set `sender`, its first connection) triggers `event` in a closed loop of `window`; every
   * connection of `members` counts the server events it receives. The k-th event a member receives answers
   * the k-th trigger (one sender, one ordered connection each), which gives each delivery's latency.
   */
  | {
      type: 'fanout';
      sender: string;
      members: string;
      event: string;
      payload: object;
      window: number;
      warmupMs: number;
      durationMs: number;
    }
  | { type: 'exit' };

export interface LoadResult {
  /** Acks (ack) or deliveries (fanout) per second during the measured window. */
  rate: number;
  /** Latency in ms: send → ack, or trigger → delivery. */
  p50: number;
  p99: number;
  /** Acks whose reply was a failure (`"ok":false`): a benchmark of error paths would be meaningless. */
  failures: number;
  /** The first ack received, for the orchestrator's sanity check. */
  sample?: string;
}

export type Reply =
  | { type: 'opened'; set: string; count: number }
  | { type: 'closed'; set: string }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };

const ACK = 0x33; // '3' after '4'
const EVENT = 0x32; // '2' after '4'
const RING = 4096; // send times per connection, by ack id; window must stay below this

class Connection {
  readonly ws: WebSocket;
  /** Called for each `43<id>[…]` (id parsed) and each `42…` server event. */
  onAck: (id: number, data: Buffer) => void = () => {};
  onEvent: () => void = () => {};
  nextId = 0;
  readonly sentAt = new Float64Array(RING);

  private constructor(ws: WebSocket) {
    this.ws = ws;
  }

  static open(url: string, auth: object | null | undefined): Promise<Connection> {
    const wsUrl = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    const connection = new Connection(ws);
    return new Promise((resolve, reject) => {
      let connected = false;
      ws.on('open', () =>
        // `undefined` crosses IPC as `null`: no auth either way.
        ws.send(auth == null ? '40' : `40${JSON.stringify(auth)}`),
      );
      ws.on('error', (error) => {
        if (!connected) reject(error);
      });
      ws.on('close', () => {
        if (!connected) reject(new Error(`${wsUrl}: closed before the Socket.IO connect`));
      });
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0x34 /* 4 */) {
          if (data[1] === ACK) {
            let id = 0;
            for (let i = 2; data[i] !== 0x5b /* [ */; i++) id = id * 10 + (data[i] as number) - 0x30;
            connection.onAck(id, data);
          } else if (data[1] === EVENT) {
            connection.onEvent();
          } else if (data[1] === 0x30 /* 0: connected */) {
            connected = true;
            resolve(connection);
          } else if (data[1] === 0x34 /* 4: connect_error */) {
            reject(new Error(`connect_error: ${data.toString()}`));
          }
        } else if (data.length === 1 && data[0] === 0x32 /* 2: ping */) {
          ws.send('3');
        }
      });
    });
  }
}

const sets = new Map<string, Connection[]>();

async function open(
  url: string,
  auths: (object | null | undefined)[],
  parallel: number,
): Promise<Connection[]> {
  const out: Connection[] = new Array(auths.length);
  let next = 0;
  const worker = async () => {
    while (next < auths.length) {
      const i = next++;
      out[i] = await Connection.open(url, auths[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, auths.length) }, worker));
  return out;
}

function closeAll(connections: Connection[]): Promise<void> {
  return Promise.all(
    connections.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          c.ws.once('close', () => resolve());
          c.ws.terminate();
        }),
    ),
  ).then(() => undefined);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

/** A growable list of latencies. */
class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  get(i: number): number {
    return this.data[i] as number;
  }
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `JSON.stringify(payload)` with a fresh UUID in `key` per call. */
function payloadMaker(payload: object, key: string | undefined): () => string {
  if (key === undefined) {
    const text = JSON.stringify(payload);
    return () => text;
  }
  const marker = '\u0000unique\u0000';
  const [before, after] = JSON.stringify({ ...payload, [key]: marker }).split(JSON.stringify(marker));
  return () => `${before}"${randomUUID()}"${after}`;
}

async function runAck(command: Extract<Command, { type: 'ack' }>): Promise<LoadResult> {
  if (command.window >= RING) throw new Error(`--window must be below ${RING}`);
  const connections = sets.get(command.set) ?? [];
  const frames = command.payloads.map((p) => payloadMaker(p, command.uniqueKey));
  const prefix = `["${command.event}",`;
  let measuring = false;
  let running = true;
  let count = 0;
  let failures = 0;
  let sample: string | undefined;
  const latencies = new Samples();
  const send = (c: Connection, frame: () => string) => {
    const id = c.nextId++;
    c.sentAt[id % RING] = performance.now();
    c.ws.send(`42${id}${prefix}${frame()}]`);
  };
  let finish: () => void = () => {};
  const drained = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let inFlight = 0;
  connections.forEach((c, i) => {
    const frame = frames[i % frames.length] as () => string;
    c.onAck = (id, data) => {
      inFlight--;
      sample ??= data.toString();
      if (measuring) {
        count++;
        latencies.push(performance.now() - (c.sentAt[id % RING] as number));
        if (data.includes('"ok":false')) failures++;
      }
      if (running) {
        send(c, frame);
        inFlight++;
      } else if (inFlight === 0) finish();
    };
    for (let k = 0; k < command.window; k++) {
      send(c, frame);
      inFlight++;
    }
  });
  await wait(command.warmupMs);
  measuring = true;
  const start = performance.now();
  await wait(command.durationMs);
  measuring = false;
  const elapsed = performance.now() - start;
  running = false;
  await Promise.race([drained, wait(10_000)]);
  for (const c of connections) c.onAck = () => {};
  const sorted = latencies.sorted();
  return {
    rate: (count / elapsed) * 1000,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    failures,
    sample,
  };
}

async function runFanout(command: Extract<Command, { type: 'fanout' }>): Promise<LoadResult> {
  const sender = sets.get(command.sender)?.[0];
  const members = sets.get(command.members) ?? [];
  if (sender === undefined) throw new Error(`no sender connection in set "${command.sender}"`);
  const frame = `["${command.event}",${JSON.stringify(command.payload)}]`;
  const triggeredAt = new Samples(); // by trigger index, this round
  let measuring = false;
  let running = true;
  let deliveries = 0;
  const latencies = new Samples();
  const received = members.map(() => 0);
  let triggers = 0;
  const trigger = () => {
    triggeredAt.push(performance.now());
    triggers++;
    sender.ws.send(`42${sender.nextId++}${frame}`);
  };
  members.forEach((m, i) => {
    m.onEvent = () => {
      const k = received[i] as number;
      received[i] = k + 1;
      if (measuring) {
        deliveries++;
        if (i % 10 === 0) latencies.push(performance.now() - triggeredAt.get(k));
      }
    };
  });
  let inFlight = 0;
  let finish: () => void = () => {};
  const drained = new Promise<void>((resolve) => {
    finish = resolve;
  });
  sender.onAck = () => {
    inFlight--;
    if (running) {
      trigger();
      inFlight++;
    } else if (inFlight === 0) finish();
  };
  for (let k = 0; k < command.window; k++) {
    trigger();
    inFlight++;
  }
  await wait(command.warmupMs);
  measuring = true;
  const start = performance.now();
  await wait(command.durationMs);
  measuring = false;
  const elapsed = performance.now() - start;
  running = false;
  await Promise.race([drained, wait(10_000)]);
  // Every member must have everything before the next round restarts the trigger count.
  const until = performance.now() + 10_000;
  while (received.some((n) => n < triggers) && performance.now() < until) await wait(5);
  sender.onAck = () => {};
  for (const m of members) m.onEvent = () => {};
  const sorted = latencies.sorted();
  return {
    rate: (deliveries / elapsed) * 1000,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    failures: 0,
  };
}

async function handle(command: Command): Promise<Reply | undefined> {
  switch (command.type) {
    case 'open': {
      const connections = await open(command.url, command.auths, command.parallel ?? 32);
      sets.set(command.set, [...(sets.get(command.set) ?? []), ...connections]);
      return { type: 'opened', set: command.set, count: connections.length };
    }
    case 'close':
      await closeAll(sets.get(command.set) ?? []);
      sets.delete(command.set);
      return { type: 'closed', set: command.set };
    case 'ack':
      return { type: 'result', result: await runAck(command) };
    case 'fanout':
      return { type: 'result', result: await runFanout(command) };
    case 'exit':
      await Promise.all([...sets.values()].map(closeAll));
      process.exit(0);
  }
}

process.on('message', (command: Command) => {
  handle(command).then(
    (reply) => reply && process.send?.(reply),
    (error: unknown) =>
      process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
// The orchestrator went away: nothing left to do.
process.on('disconnect', () => process.exit(0));
