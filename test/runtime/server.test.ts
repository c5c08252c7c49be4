import type { Socket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createClient } from '../../client/index.js';
import {
  AckTimeoutError,
  bindNamespace,
  createEmitter,
  forbidden,
  type Handlers,
  type NamespaceContract,
  OutboundValidationError,
  ParleyError,
  unauthenticated,
} from '../../runtime/index.js';
import {
  bareContract,
  chatContract,
  delay,
  type Harness,
  nextEvent,
  record,
  startHarness,
} from './harness.js';

type ChatHandlers = Handlers<typeof chatContract, { name: string }>;

const okHandlers: ChatHandlers = {
  'chat:send_message': (payload) => ({ ok: true, id: `${payload.room}:${payload.text.length}` }),
  'join-room': async (room, ctx) => {
    await ctx.socket.join(room);
    return { ok: true, room };
  },
  'mark-read': (ids) => ({ ok: true, count: ids.length }),
  'list-rooms': () => ['general', 'random'],
  move: ([piece, square]) => ({ ok: true, at: `${piece}@${square}` }),
};

let h: Harness;
let errors: { error: unknown; event: string }[];

beforeEach(async () => {
  h = await startHarness();
  errors = [];
});

afterEach(async () => {
  await h.close();
});

const onError = (error: unknown, info: { event: string }): void => {
  errors.push({ error, event: info.event });
};

function bindChat(handlers: ChatHandlers = okHandlers, validateOutbound = true) {
  return bindNamespace(h.io.of('/chat'), chatContract, handlers, {
    user: () => ({ name: 'ada' }),
    validateOutbound,
    onError,
  });
}

describe('bindNamespace: happy paths', () => {
  it('acks an object payload with the handler result, and gives the handler the parsed payload and context', async () => {
    const seen: unknown[] = [];
    bindChat({
      'chat:send_message': (payload, ctx) => {
        seen.push(payload, ctx.user, ctx.event, typeof ctx.socket.id);
        return { ok: true, id: 'm1' };
      },
    });
    const client = createClient(await h.connect('/chat'), chatContract);
    await expect(client.sendMessage({ room: 'general', text: 'hi' })).resolves.toEqual({
      ok: true,
      id: 'm1',
    });
    expect(seen).toEqual([{ room: 'general', text: 'hi' }, { name: 'ada' }, 'chat:send_message', 'string']);
  });

  it('handles a bare string, an array, no payload, a tuple and a name with ":" and "-"', async () => {
    const left: unknown[] = [];
    bindChat({ ...okHandlers, 'room:leave-now': (payload) => void left.push(payload) });
    const client = createClient(await h.connect('/chat'), chatContract);
    await expect(client.joinRoom('general')).resolves.toEqual({ ok: true, room: 'general' });
    await expect(client.markRead(['a', 'b', 'c'])).resolves.toEqual({ ok: true, count: 3 });
    await expect(client.listRooms()).resolves.toEqual(['general', 'random']);
    await expect(client.move(['knight', 42])).resolves.toEqual({ ok: true, at: 'knight@42' });
    client.roomLeaveNow({ room: 'general' });
    await vi.waitFor(() => expect(left).toEqual([{ room: 'general' }]));
  });

  it('lets handlers broadcast through ctx.emit', async () => {
    bindChat({
      'join-room': async (room, ctx) => {
        await ctx.socket.join(room);
        return { ok: true, room };
      },
      'chat:send_message': (payload, ctx) => {
        ctx.emit.to(payload.room).emit('chat:message', { ...payload, sentAt: '2024-01-01T00:00:00Z' });
        return { ok: true, id: 'm2' };
      },
    });
    const alice = createClient(await h.connect('/chat'), chatContract);
    const bob = createClient(await h.connect('/chat'), chatContract);
    await alice.joinRoom('general');
    await bob.joinRoom('general');
    const received = nextEvent(bob.socket, 'chat:message');
    await alice.sendMessage({ room: 'general', text: 'hello' });
    expect(await received).toEqual([{ room: 'general', text: 'hello', sentAt: '2024-01-01T00:00:00Z' }]);
  });

  it('answers a stray ack on an operation without a reply, empty, instead of leaving it hanging', async () => {
    bindChat({ 'set-status': () => 'ignored' });
    const socket = await h.connect('/chat');
    await expect(socket.timeout(1000).emitWithAck('set-status', 'away')).resolves.toBeUndefined();
    // and when it fails: the error goes to the error event, the ack is still answered
    const error = nextEvent(socket, 'chat:error');
    await expect(socket.timeout(1000).emitWithAck('set-status', 'sleeping')).resolves.toBeUndefined();
    expect((await error)[0]).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('bindNamespace: errors in the documented shape', () => {
  it('answers an invalid payload with the ack template, VALIDATION_FAILED and the issues; the handler does not run', async () => {
    const handler = vi.fn(() => ({ ok: true as const, id: 'never' }));
    bindChat({ 'chat:send_message': handler });
    const socket = await h.connect('/chat');
    const ack = await socket.timeout(1000).emitWithAck('chat:send_message', { room: 'general', text: '' });
    expect(ack).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('chat:send_message'),
        issues: [{ path: ['text'], message: expect.any(String), code: 'too_small' }],
      },
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports an invalid payload without an ack on the namespace error event, with the payload template', async () => {
    const handler = vi.fn();
    bindChat({ 'set-status': handler });
    const socket = await h.connect('/chat');
    const error = nextEvent(socket, 'chat:error');
    socket.emit('set-status', 'sleeping');
    const [payload] = await error;
    expect(payload).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^failed set-status: invalid payload/),
      },
      issues: [{ path: [], message: expect.any(String), code: 'invalid_value' }],
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports the error of an operation with a reply on the error event when the client passed no ack', async () => {
    bindChat();
    const socket = await h.connect('/chat');
    const error = nextEvent(socket, 'chat:error');
    socket.emit('join-room', 42);
    const [payload] = await error;
    expect(payload).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
      issues: [{ code: 'invalid_type' }],
    });
  });

  it("uses the operation's own error event when it has one", async () => {
    bindChat({ 'room:leave-now': () => undefined });
    const socket = await h.connect('/chat');
    const log = record(socket);
    const error = nextEvent(socket, 'room:error');
    socket.emit('room:leave-now', { room: 7 });
    const [payload] = await error;
    expect(payload).toMatchObject({ error: { code: 'VALIDATION_FAILED' }, issues: [{ path: ['room'] }] });
    expect(log.events.map(([event]) => event)).not.toContain('chat:error');
  });

  it('validates tuple arguments position by position', async () => {
    bindChat();
    const socket = await h.connect('/chat');
    const ack = await socket.timeout(1000).emitWithAck('move', 'knight', 4.5);
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', issues: [{ path: [1] }] } });
    const tooMany = await socket.timeout(1000).emitWithAck('move', 'knight', 4, 'extra');
    expect(tooMany).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', issues: [{ code: 'too_big' }] },
    });
  });

  it('answers NOT_IMPLEMENTED for an operation without a handler, by ack and by event', async () => {
    bindChat({});
    const socket = await h.connect('/chat');
    const ack = await socket.timeout(1000).emitWithAck('list-rooms');
    expect(ack).toMatchObject({
      ok: false,
      error: { code: 'NOT_IMPLEMENTED', message: expect.stringContaining('list-rooms') },
    });
    const error = nextEvent(socket, 'chat:error');
    socket.emit('set-status', 'away');
    expect((await error)[0]).toMatchObject({ error: { code: 'NOT_IMPLEMENTED' } });
  });

  it('sends a thrown ParleyError as its code, message and issues, without calling onError', async () => {
    bindChat({
      'join-room': () => {
        throw forbidden('members only');
      },
      'mark-read': () => {
        throw new ParleyError('CONFLICT', 'already read', {
          issues: [{ path: [0], message: 'read', code: 'custom' }],
        });
      },
    });
    const socket = await h.connect('/chat');
    expect(await socket.timeout(1000).emitWithAck('join-room', 'vip')).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'members only', issues: [] },
    });
    expect(await socket.timeout(1000).emitWithAck('mark-read', ['m1'])).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'already read',
        issues: [{ path: [0], message: 'read', code: 'custom' }],
      },
    });
    expect(errors).toEqual([]);
  });

  it('turns any other throw or rejection into INTERNAL with a generic message; the details go to onError only', async () => {
    const secret = new Error('connection string postgres://admin:hunter2@db');
    bindChat({
      'join-room': () => {
        throw secret;
      },
      'mark-read': async () => Promise.reject(new TypeError('boom')),
    });
    const socket = await h.connect('/chat');
    const first = await socket.timeout(1000).emitWithAck('join-room', 'general');
    expect(first).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal server error', issues: [] },
    });
    expect(JSON.stringify(first)).not.toContain('hunter2');
    const second = await socket.timeout(1000).emitWithAck('mark-read', ['x']);
    expect(second).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(errors).toEqual([
      { error: secret, event: 'join-room' },
      { error: expect.objectContaining({ message: 'boom' }), event: 'mark-read' },
    ]);
  });

  it('rejects the event with what `user` throws', async () => {
    bindNamespace(h.io.of('/chat'), chatContract, okHandlers, {
      user: () => {
        throw unauthenticated('log in first');
      },
      onError,
    });
    const socket = await h.connect('/chat');
    expect(await socket.timeout(1000).emitWithAck('list-rooms')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'log in first' },
    });
  });

  it('answers an unknown event with VALIDATION_FAILED naming the accepted events, by ack or by error event', async () => {
    bindChat();
    const socket = await h.connect('/chat');
    const ack = await socket.timeout(1000).emitWithAck('chat:delete_everything', { all: true });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', issues: [] } });
    const message = (ack as { error: { message: string } }).error.message;
    expect(message).toContain('unknown event "chat:delete_everything"');
    expect(message).toContain(
      'accepts: chat:send_message, set-status, join-room, mark-read, list-rooms, move, room:leave-now',
    );
    const error = nextEvent(socket, 'chat:error');
    socket.emit('nope');
    expect((await error)[0]).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^failed nope: unknown event "nope"/),
      },
    });
  });

  it('keeps answering after bad input, throws and unknown events', async () => {
    bindChat({
      ...okHandlers,
      'join-room': (room) => {
        if (room === 'crash') throw new Error('crash');
        return { ok: true, room };
      },
    });
    const socket = await h.connect('/chat');
    socket.emit('chat:send_message', 'not an object');
    socket.emit('chat:send_message');
    socket.emit('what-is-this', 1, 2, 3);
    await socket.timeout(1000).emitWithAck('join-room', 'crash');
    await socket.timeout(1000).emitWithAck('join-room', null);
    const client = createClient(socket, chatContract);
    await expect(client.joinRoom('general')).resolves.toEqual({ ok: true, room: 'general' });
    expect(socket.connected).toBe(true);
  });

  it('reports the failure of an operation whose ack cannot carry it on the error event, leaving the ack unanswered', async () => {
    const listOnly = {
      ...chatContract,
      receive: {
        ...chatContract.receive,
        'list-rooms': {
          ...chatContract.receive['list-rooms'],
          failure: { via: 'event', event: 'chat:error' },
        },
      },
    } as const satisfies NamespaceContract;
    bindNamespace(
      h.io.of('/chat'),
      listOnly,
      {
        'list-rooms': () => {
          throw forbidden('not yours');
        },
      },
      { onError },
    );
    const socket = await h.connect('/chat');
    const error = nextEvent(socket, 'chat:error');
    const refused = createClient(socket, listOnly, { timeoutMs: 200 }).listRooms();
    expect((await error)[0]).toMatchObject({
      error: { code: 'FORBIDDEN', message: 'failed list-rooms: not yours' },
    });
    await expect(refused).rejects.toThrow(
      `If it failed, this operation's ack cannot carry an error: see the "chat:error" event.`,
    );
  });

  it('sends nothing the contract does not document: without an error shape, failures go to onError and the ack stays unanswered', async () => {
    bindNamespace(h.io.of('/bare'), bareContract, {}, { onError });
    const socket = await h.connect('/bare');
    const heard: string[] = [];
    socket.onAny((event: string) => heard.push(event));
    socket.emit('note', 'hello');
    await vi.waitFor(() => expect(errors.map((e) => e.event)).toEqual(['note']));
    const client = createClient(socket, bareContract, { timeoutMs: 200 });
    const refused = client.echo('x');
    await expect(refused).rejects.toBeInstanceOf(AckTimeoutError);
    await expect(refused).rejects.toThrow(
      "If it failed, this operation's ack cannot carry an error (/bare documents neither an error ack its reply accepts nor an error event (x-parley-errors)): see the server log.",
    );
    expect(errors).toEqual([
      { error: expect.objectContaining({ code: 'NOT_IMPLEMENTED' }), event: 'note' },
      { error: expect.objectContaining({ code: 'NOT_IMPLEMENTED' }), event: 'echo' },
    ]);
    expect(heard).toEqual([]);
  });
});

describe('bindNamespace: replies', () => {
  const badReply = { 'list-rooms': () => [1, 2] } as unknown as ChatHandlers;

  it('answers INTERNAL for a reply that does not match, and reports it to onError, with validateOutbound', async () => {
    bindChat(badReply, true);
    const socket = await h.connect('/chat');
    expect(await socket.timeout(1000).emitWithAck('list-rooms')).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal server error', issues: [] },
    });
    expect(errors).toHaveLength(1);
    const reported = errors[0]!.error;
    expect(reported).toBeInstanceOf(OutboundValidationError);
    expect((reported as OutboundValidationError).message).toContain('"list-rooms"');
    expect(reported).toMatchObject({ code: 'INTERNAL', issues: [{ path: [], code: 'invalid_union' }] });
  });

  it('sends the reply unchecked with validateOutbound off', async () => {
    bindChat(badReply, false);
    const socket = await h.connect('/chat');
    expect(await socket.timeout(1000).emitWithAck('list-rooms')).toEqual([1, 2]);
    expect(errors).toEqual([]);
  });

  it('answers INTERNAL when the reply cannot even be sent (not JSON-serialisable)', async () => {
    bindChat({ 'list-rooms': () => [10n] } as unknown as ChatHandlers, false);
    const socket = await h.connect('/chat');
    expect(await socket.timeout(1000).emitWithAck('list-rooms')).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal server error' },
    });
    expect(errors).toEqual([{ error: expect.any(TypeError), event: 'list-rooms' }]);
  });

  it('validates each inbound message once', async () => {
    let parses = 0;
    const counted = {
      namespace: '/count',
      name: 'count',
      auth: { handshake: [] },
      errors: {},
      receive: {
        hit: {
          event: 'hit',
          method: 'hit',
          args: 'value',
          payload: z.string().refine(() => ++parses > 0),
          reply: z.string(),
          failure: { via: 'ack' },
        },
      },
      send: {},
    } as const satisfies NamespaceContract;
    bindNamespace(h.io.of('/count'), counted, { hit: (value) => value }, { onError });
    const socket = await h.connect('/count');
    await socket.timeout(1000).emitWithAck('hit', 'x');
    expect(parses).toBe(1);
  });
});

describe('bindNamespace: setup and teardown', () => {
  it('refuses a handler for an event the contract does not have', () => {
    const handlers = { 'chat:send-mesage': () => undefined } as unknown as ChatHandlers;
    expect(() => bindNamespace(h.io.of('/chat'), chatContract, handlers)).toThrow(/no such client event/);
  });

  it('stops handling after close()', async () => {
    const bound = bindChat();
    const socket = await h.connect('/chat');
    await expect(socket.timeout(1000).emitWithAck('list-rooms')).resolves.toEqual(['general', 'random']);
    bound.close();
    await expect(socket.timeout(200).emitWithAck('list-rooms')).rejects.toThrow(/timed out/);
  });

  it('binds sockets that connected before bindNamespace was called', async () => {
    const socket = await h.connect('/chat');
    bindChat();
    await expect(socket.timeout(1000).emitWithAck('list-rooms')).resolves.toEqual(['general', 'random']);
  });
});

describe('bindNamespace: shared listeners', () => {
  const events = Object.keys(chatContract.receive);
  const serverSockets = (): Socket[] => [...h.io.of('/chat').sockets.values()];

  it('attaches one listener per client event, the same function on every socket, and no per-socket extras', async () => {
    const early = await h.connect('/chat'); // connected before the binding
    const [before] = serverSockets() as [Socket];
    const disconnectListeners = before.listeners('disconnect').length;
    bindChat();
    await h.connect('/chat');
    await h.connect('/chat');
    const sockets = serverSockets();
    expect(sockets).toHaveLength(3);
    const [first, ...others] = sockets as [Socket, ...Socket[]];
    for (const event of events) {
      expect(first.listeners(event)).toHaveLength(1);
      for (const socket of others) expect(socket.listeners(event)).toEqual(first.listeners(event));
    }
    expect(first.listenersAny()).toHaveLength(1);
    for (const socket of others) expect(socket.listenersAny()).toEqual(first.listenersAny());
    expect(before.listeners('disconnect')).toHaveLength(disconnectListeners);
    // and they work on every socket, the early one included
    await expect(early.timeout(1000).emitWithAck('list-rooms')).resolves.toEqual(['general', 'random']);
  });

  it('gives two bindings of the same namespace listeners of their own', async () => {
    bindChat();
    bindNamespace(h.io.of('/chat'), chatContract, okHandlers, { onError });
    await h.connect('/chat');
    const [socket] = serverSockets() as [Socket];
    const [a, b] = socket.listeners('list-rooms');
    expect(a).toBeTypeOf('function');
    expect(b).toBeTypeOf('function');
    expect(a).not.toBe(b);
  });

  it('close() removes exactly its listeners from every connected socket and stops attaching new ones', async () => {
    h.io.of('/chat').on('connection', (socket) => socket.on('list-rooms', () => undefined));
    const bound = bindChat();
    const clients = [await h.connect('/chat'), await h.connect('/chat')];
    await clients[1]!.timeout(1000).emitWithAck('list-rooms');
    clients[1]!.disconnect(); // a socket gone before close()
    await vi.waitFor(() => expect(serverSockets()).toHaveLength(1));
    bound.close();
    const [socket] = serverSockets() as [Socket];
    expect(socket.listeners('list-rooms')).toHaveLength(1); // the application's own, not the binding's
    for (const event of events.filter((e) => e !== 'list-rooms')) expect(socket.listeners(event)).toEqual([]);
    expect(socket.listenersAny()).toEqual([]);
    await h.connect('/chat');
    const late = serverSockets().find((s) => s !== socket)!;
    expect(late.listeners('chat:send_message')).toEqual([]);
    expect(late.listenersAny()).toEqual([]);
  });

  it('keeps socket.use middleware in front of the handlers', async () => {
    const seen: string[] = [];
    const rejected: string[] = [];
    h.io.of('/chat').on('connection', (socket) => {
      socket.use(([event], next) => {
        seen.push(String(event));
        next(event === 'join-room' ? new Error('blocked') : undefined);
      });
      socket.on('error', (error) => rejected.push(error.message));
    });
    const joined = vi.fn(() => ({ ok: true as const, room: 'x' }));
    bindChat({ ...okHandlers, 'join-room': joined });
    const socket = await h.connect('/chat');
    await expect(socket.timeout(200).emitWithAck('join-room', 'general')).rejects.toThrow(/timed out/);
    await expect(socket.timeout(1000).emitWithAck('list-rooms')).resolves.toEqual(['general', 'random']);
    expect(seen).toEqual(['join-room', 'list-rooms']);
    expect(rejected).toEqual(['blocked']);
    expect(joined).not.toHaveBeenCalled();
  });
});

describe('bindNamespace: synchronous dispatch', () => {
  /** The binding's listener for `event` on the first server socket, and that socket. */
  async function listenerOf(
    event: string,
  ): Promise<{ socket: Socket; listener: (...args: unknown[]) => void }> {
    await h.connect('/chat');
    const [socket] = [...h.io.of('/chat').sockets.values()] as [Socket];
    const [listener] = socket.listeners(event) as [(...args: unknown[]) => void];
    return { socket, listener };
  }

  it('answers a handler returning a plain value within the listener call (no await)', async () => {
    bindChat();
    const { socket, listener } = await listenerOf('chat:send_message');
    const ack = vi.fn();
    listener.call(socket, { room: 'general', text: 'hi' }, ack);
    expect(ack).toHaveBeenCalledExactlyOnceWith({ ok: true, id: 'general:2' });
  });

  it('answers a synchronous throw with the error ack within the listener call, and does not throw itself', async () => {
    bindChat({
      'join-room': () => {
        throw forbidden('members only');
      },
      'list-rooms': () => {
        throw new Error('secret');
      },
    });
    const { socket, listener } = await listenerOf('join-room');
    const ack = vi.fn();
    expect(() => listener.call(socket, 'vip', ack)).not.toThrow();
    expect(ack).toHaveBeenCalledExactlyOnceWith({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'members only', issues: [] },
    });
    const [listRooms] = socket.listeners('list-rooms') as [(...args: unknown[]) => void];
    const internal = vi.fn();
    expect(() => listRooms.call(socket, internal)).not.toThrow();
    expect(internal).toHaveBeenCalledExactlyOnceWith({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal server error', issues: [] },
    });
    expect(errors).toEqual([{ error: expect.objectContaining({ message: 'secret' }), event: 'list-rooms' }]);
  });

  it('reports a synchronous throw without an ack on the error event', async () => {
    bindChat({
      'set-status': () => {
        throw forbidden('not now');
      },
    });
    const socket = await h.connect('/chat');
    const error = nextEvent(socket, 'chat:error');
    socket.emit('set-status', 'away');
    expect((await error)[0]).toMatchObject({
      error: { code: 'FORBIDDEN', message: 'failed set-status: not now' },
    });
  });

  it('answers INTERNAL when a payload schema throws (not a validation failure), and reports it', async () => {
    const throwing = {
      ...bareContract,
      receive: {
        ...bareContract.receive,
        echo: {
          ...bareContract.receive.echo,
          failure: { via: 'ack' },
          payload: z.string().refine(() => {
            throw new Error('refinement bug');
          }),
        },
      },
    } as const satisfies NamespaceContract;
    const echo = vi.fn((text: string) => text);
    bindNamespace(h.io.of('/bare'), throwing, { echo }, { onError });
    const socket = await h.connect('/bare');
    expect(await socket.timeout(1000).emitWithAck('echo', 'x')).toEqual({
      code: 'INTERNAL',
      message: 'internal server error',
      issues: [],
    });
    expect(echo).not.toHaveBeenCalled();
    expect(errors).toEqual([
      { error: expect.objectContaining({ message: 'refinement bug' }), event: 'echo' },
    ]);
  });
});

describe('bindNamespace: asynchronous schemas (zod async refinements)', () => {
  let syncRuns: number;
  let asyncRuns: number;
  const taken = new Set(['taken']);
  // A fresh contract per test: which schemas are asynchronous is remembered per schema object.
  const asyncContract = () =>
    ({
      namespace: '/async',
      name: 'async',
      auth: { handshake: [] },
      errors: {},
      receive: {
        claim: {
          event: 'claim',
          method: 'claim',
          args: 'value',
          payload: z
            .string()
            .refine(() => ++syncRuns > 0)
            .refine(async (name) => {
              asyncRuns++;
              await delay(1);
              return !taken.has(name);
            }, 'already taken'),
          reply: z.object({ name: z.string() }).refine(async (reply) => reply.name !== 'bad', 'bad reply'),
          failure: { via: 'ack' },
        },
      },
      send: {},
    }) as const satisfies NamespaceContract;

  beforeEach(() => {
    syncRuns = 0;
    asyncRuns = 0;
  });

  it('validates the payload and the reply through the asynchronous parse', async () => {
    const claim = vi.fn(async (name: string) => ({ name: name === 'reply-bad' ? 'bad' : name }));
    bindNamespace(h.io.of('/async'), asyncContract(), { claim }, { onError, validateOutbound: true });
    const socket = await h.connect('/async');
    expect(await socket.timeout(1000).emitWithAck('claim', 'ada')).toEqual({ name: 'ada' });
    expect(await socket.timeout(1000).emitWithAck('claim', 'taken')).toEqual({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('already taken'),
      issues: [{ path: [], message: 'already taken', code: 'custom' }],
    });
    expect(await socket.timeout(1000).emitWithAck('claim', 42)).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ code: 'invalid_type' }],
    });
    expect(await socket.timeout(1000).emitWithAck('claim', 'reply-bad')).toEqual({
      code: 'INTERNAL',
      message: 'internal server error',
      issues: [],
    });
    expect(claim.mock.calls.map(([name]) => name)).toEqual(['ada', 'reply-bad']);
    expect(errors).toEqual([{ error: expect.any(OutboundValidationError), event: 'claim' }]);
  });

  it('runs an async refinement once per message, and answers its rejection with INTERNAL, first message included', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // (one async refinement: with several, zod's own asynchronous parse leaves a later one's rejection
      // unhandled while it awaits an earlier one, whatever the runtime does)
      let down = true;
      const payload = z
        .string()
        .refine(() => ++syncRuns > 0)
        .refine(async () => {
          asyncRuns++;
          if (down) throw new Error('database down');
          return true;
        });
      const contract = asyncContract();
      const claim = vi.fn((name: string) => ({ name }));
      bindNamespace(
        h.io.of('/async'),
        { ...contract, receive: { claim: { ...contract.receive.claim, payload } } },
        { claim },
        { onError },
      );
      const socket = await h.connect('/async');
      expect(await socket.timeout(1000).emitWithAck('claim', 'a')).toEqual({
        code: 'INTERNAL',
        message: 'internal server error',
        issues: [],
      });
      down = false;
      for (const name of ['b', 'c']) {
        expect(await socket.timeout(1000).emitWithAck('claim', name)).toEqual({ name });
      }
      await delay(20);
      expect(syncRuns).toBe(3);
      expect(asyncRuns).toBe(3);
      expect(claim).toHaveBeenCalledTimes(2);
      expect(errors).toEqual([
        { error: expect.objectContaining({ message: 'database down' }), event: 'claim' },
      ]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('createEmitter', () => {
  async function threeSockets() {
    const sockets = [await h.connect('/chat'), await h.connect('/chat'), await h.connect('/chat')];
    const server = [...h.io.of('/chat').sockets.values()];
    return { sockets, server };
  }

  it('refuses an invalid payload, sends nothing, and still sends the next valid one', async () => {
    const emitter = createEmitter(h.io.of('/chat'), chatContract, { validate: true });
    const { sockets } = await threeSockets();
    const logs = sockets.map(record);
    const bad = { room: 'general', text: 5, sentAt: 'yesterday' } as unknown as {
      room: string;
      text: string;
      sentAt: string;
    };
    const error = thrownBy(() => emitter.emit('chat:message', bad));
    expect(error).toBeInstanceOf(OutboundValidationError);
    expect(error).toMatchObject({
      code: 'INTERNAL',
      event: 'chat:message',
      issues: [{ path: ['text'] }, { path: ['sentAt'] }],
    });
    expect((error as Error).message).toContain('"chat:message"');
    expect(() => emitter.emit('server:ping', ...(['surprise'] as unknown as []))).toThrow(
      /expected no arguments/,
    );
    emitter.emit('server:ping');
    await vi.waitFor(() => expect(logs.every((log) => log.events.length === 1)).toBe(true));
    await delay(50);
    for (const log of logs) expect(log.events).toEqual([['server:ping']]);
  });

  it('sends an invalid payload when validation is off (so validation is what stops it)', async () => {
    const emitter = createEmitter(h.io.of('/chat'), chatContract, { validate: false });
    const socket = await h.connect('/chat');
    const received = nextEvent(socket, 'presence:update');
    emitter.emit('presence:update', ...(['ada', 'sleeping'] as unknown as ['ada', 'away']));
    expect(await received).toEqual(['ada', 'sleeping']);
  });

  it('always refuses an event that is not in the contract', () => {
    const emitter = createEmitter(h.io.of('/chat'), chatContract, { validate: false });
    expect(() => (emitter.emit as (event: string) => void)('chat:mesage')).toThrow(
      /not a server event of \/chat/,
    );
  });

  it('validates once per emit, whatever the number of recipients', async () => {
    let parses = 0;
    const counted = {
      namespace: '/chat',
      name: 'chat',
      auth: { handshake: [] },
      errors: {},
      receive: {},
      send: { tick: { event: 'tick', args: 'value', payload: z.number().refine(() => ++parses > 0) } },
    } as const satisfies NamespaceContract;
    const emitter = createEmitter(h.io.of('/chat'), counted, { validate: true });
    const { sockets } = await threeSockets();
    const all = Promise.all(sockets.map((socket) => nextEvent(socket, 'tick')));
    emitter.emit('tick', 1);
    expect(await all).toEqual([[1], [1], [1]]);
    expect(parses).toBe(1);
  });

  it('routes to(room), except(room), toSocket and spreads tuple arguments', async () => {
    const emitter = createEmitter(h.io.of('/chat'), chatContract, { validate: true });
    const { sockets, server } = await threeSockets();
    const [a, b, c] = server as [Socket, Socket, Socket];
    await a.join('r1');
    await b.join(['r1', 'r2']);
    await c.join('r3');
    const logs = sockets.map(record);
    const byId = new Map(sockets.map((socket, index) => [socket.id, logs[index]!]));
    const log = (socket: Socket) => byId.get(socket.id)!.events;

    emitter.to('r1').except('r2').emit('presence:update', 'only-a', 'online');
    emitter.to(['r2', 'r3']).emit('presence:update', 'b-and-c', 'away');
    emitter.except(a.id).emit('presence:update', 'not-a', 'away');
    emitter.toSocket(c).emit('presence:update', 'just-c', 'online');
    emitter.emit('server:ping');

    await vi.waitFor(() => expect(log(c).length).toBe(4));
    await delay(50);
    expect(log(a)).toEqual([['presence:update', 'only-a', 'online'], ['server:ping']]);
    expect(log(b)).toEqual([
      ['presence:update', 'b-and-c', 'away'],
      ['presence:update', 'not-a', 'away'],
      ['server:ping'],
    ]);
    expect(log(c)).toEqual([
      ['presence:update', 'b-and-c', 'away'],
      ['presence:update', 'not-a', 'away'],
      ['presence:update', 'just-c', 'online'],
      ['server:ping'],
    ]);
  });
});

describe('bindNamespace: a budget of invalid packets per connection', () => {
  const bindWithBudget = (invalidBudget: { burst: number; perSecond: number } | false) =>
    bindNamespace(h.io.of('/chat'), chatContract, okHandlers, {
      user: () => ({ name: 'ada' }),
      onError,
      invalidBudget,
    });

  it('answers each invalid packet until the budget is spent, then says RATE_LIMITED and disconnects', async () => {
    bindWithBudget({ burst: 3, perSecond: 0.001 });
    const socket = await h.connect('/chat');
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const send = (payload: unknown) => socket.timeout(2000).emitWithAck('chat:send_message', payload);
    for (let i = 0; i < 3; i++) {
      await expect(send({ room: '' })).resolves.toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    // A valid packet does not spend the budget.
    await expect(send({ room: 'general', text: 'hi' })).resolves.toEqual({
      ok: true,
      id: expect.any(String),
    });
    await expect(send({ room: '' })).resolves.toEqual({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: 'too many invalid packets: this connection is closed; send what the contract describes',
        issues: [],
      },
    });
    expect(await closed).toBe('io server disconnect');
  });

  it('counts unknown events too, per connection, and refills over time', async () => {
    bindWithBudget({ burst: 2, perSecond: 4 });
    const [a, b] = [await h.connect('/chat'), await h.connect('/chat')];
    const unknown = (socket: typeof a) => socket.timeout(2000).emitWithAck('no-such-event', {});
    await unknown(a);
    await unknown(a);
    await unknown(b); // b has a budget of its own
    await new Promise((r) => setTimeout(r, 600)); // 4 per second: the bucket is full again (2)
    await expect(unknown(a)).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    await unknown(a);
    await expect(unknown(a)).resolves.toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    await expect(unknown(b)).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(b.connected).toBe(true);
  });

  it('can be turned off', async () => {
    bindWithBudget(false);
    const socket = await h.connect('/chat');
    for (let i = 0; i < 60; i++) await socket.timeout(2000).emitWithAck('chat:send_message', { room: '' });
    expect(socket.connected).toBe(true);
  });
});
