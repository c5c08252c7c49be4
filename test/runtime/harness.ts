/**
 * A hand-written contract (the shape `parley generate` writes) and a real Socket.IO server/client harness
 * for the runtime tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { type Socket as ClientSocket, io as connect } from 'socket.io-client';
import { z } from 'zod';
import type { NamespaceContract } from '../../runtime/index.js';

const AckError = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
  }),
});

export const chatContract = {
  namespace: '/chat',
  name: 'chat',
  auth: { handshake: [] },
  errors: {
    event: 'chat:error',
    payload: { error: { code: '{code}', message: 'failed {event}: {message}' }, issues: '{issues}' },
    ack: { ok: false, error: { code: '{code}', message: '{message}', issues: '{issues}' } },
  },
  receive: {
    // an object payload with an ack
    'chat:send_message': {
      event: 'chat:send_message',
      method: 'sendMessage',
      args: 'value',
      payload: z.object({ room: z.string().min(1), text: z.string().min(1).max(200) }),
      reply: z.union([z.object({ ok: z.literal(true), id: z.string() }), AckError]),
      failure: { via: 'ack' },
    },
    // a bare string payload, no ack
    'set-status': {
      event: 'set-status',
      method: 'setStatus',
      args: 'value',
      payload: z.enum(['online', 'away']),
      failure: { via: 'event', event: 'chat:error' },
    },
    // a bare string payload with an ack
    'join-room': {
      event: 'join-room',
      method: 'joinRoom',
      args: 'value',
      payload: z.string().min(1),
      reply: z.union([z.object({ ok: z.literal(true), room: z.string() }), AckError]),
      failure: { via: 'ack' },
    },
    // an array payload (one argument that is a list)
    'mark-read': {
      event: 'mark-read',
      method: 'markRead',
      args: 'value',
      payload: z.array(z.string()).min(1),
      reply: z.union([z.object({ ok: z.literal(true), count: z.number().int() }), AckError]),
      failure: { via: 'ack' },
    },
    // no payload, an ack returning a list
    'list-rooms': {
      event: 'list-rooms',
      method: 'listRooms',
      args: 'none',
      reply: z.union([z.array(z.string()), AckError]),
      failure: { via: 'ack' },
    },
    // two arguments (a tuple, spread)
    move: {
      event: 'move',
      method: 'move',
      args: 'args',
      payload: z.tuple([z.string(), z.number().int()]),
      reply: z.union([z.object({ ok: z.literal(true), at: z.string() }), AckError]),
      failure: { via: 'ack' },
    },
    // `:` and `-` in the name, no ack, its own error event
    'room:leave-now': {
      event: 'room:leave-now',
      method: 'roomLeaveNow',
      args: 'value',
      payload: z.object({ room: z.string() }),
      failure: { via: 'event', event: 'room:error' },
    },
  },
  send: {
    'chat:message': {
      event: 'chat:message',
      args: 'value',
      payload: z.object({
        room: z.string(),
        text: z.string(),
        sentAt: z.iso.datetime().transform((value) => new Date(value)),
      }),
    },
    'presence:update': {
      event: 'presence:update',
      args: 'args',
      payload: z.tuple([z.string(), z.enum(['online', 'away'])]),
    },
    'server:ping': { event: 'server:ping', args: 'none' },
  },
} as const satisfies NamespaceContract;

/** A namespace that documents no error shape at all: its failures only reach the server's log. */
export const bareContract = {
  namespace: '/bare',
  name: 'bare',
  auth: { handshake: [] },
  errors: {},
  receive: {
    echo: {
      event: 'echo',
      method: 'echo',
      args: 'value',
      payload: z.string(),
      reply: z.string(),
      failure: {
        via: 'log',
        reason: '/bare documents neither an error ack its reply accepts nor an error event (x-parley-errors)',
      },
    },
    note: {
      event: 'note',
      method: 'note',
      args: 'value',
      payload: z.string(),
      failure: { via: 'log', reason: '/bare documents no error event' },
    },
  },
  send: {},
} as const satisfies NamespaceContract;

export interface Harness {
  io: Server;
  port: number;
  connect(namespace: string): Promise<ClientSocket>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const http = createServer();
  const io = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const sockets: ClientSocket[] = [];
  return {
    io,
    port,
    connect: async (namespace) => {
      io.of(namespace); // a client can only connect to a namespace the server has created
      const socket = connect(`http://127.0.0.1:${port}${namespace}`, {
        forceNew: true,
        transports: ['websocket'],
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    close: async () => {
      for (const socket of sockets) socket.disconnect();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

/** The next `event` on `socket`, with its arguments; rejects after `ms`. */
export function nextEvent(socket: ClientSocket, event: string, ms = 2000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args);
    };
    socket.once(event, listener);
  });
}

/** Every event `socket` receives from now on, in order. */
export function record(socket: ClientSocket): { events: [string, ...unknown[]][] } {
  const log: { events: [string, ...unknown[]][] } = { events: [] };
  socket.onAny((event: string, ...args: unknown[]) => log.events.push([event, ...args]));
  return log;
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
