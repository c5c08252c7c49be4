import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../client/index.js';
import {
  AckTimeoutError,
  bindNamespace,
  type Handlers,
  InboundValidationError,
  type NamespaceContract,
  ReplyValidationError,
} from '../../runtime/index.js';
import { chatContract, delay, type Harness, startHarness } from './harness.js';

type ChatHandlers = Handlers<typeof chatContract, undefined>;

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

const never = (): Promise<never> => new Promise(() => {});

function bindChat(handlers: ChatHandlers, validateOutbound = true): void {
  bindNamespace(h.io.of('/chat'), chatContract, handlers, { validateOutbound, onError: () => {} });
}

describe('createClient: calls', () => {
  it('rejects with AckTimeoutError when the ack does not come in time (per-call timeout)', async () => {
    bindChat({ 'list-rooms': never, move: never });
    const client = createClient(await h.connect('/chat'), chatContract);
    const started = Date.now();
    const error = await client.listRooms({ timeoutMs: 100 }).catch((reason: unknown) => reason);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(error).toBeInstanceOf(AckTimeoutError);
    expect(error).toMatchObject({ event: 'list-rooms', timeoutMs: 100 });
    expect((error as Error).message).toMatch(/no acknowledgement for "list-rooms" within 100 ms/);
    // per-call options follow the tuple, which is passed as one array
    await expect(client.move(['knight', 1], { timeoutMs: 50 })).rejects.toMatchObject({
      name: 'AckTimeoutError',
      event: 'move',
      timeoutMs: 50,
    });
  });

  it('uses the timeout given to createClient', async () => {
    bindChat({ 'join-room': never });
    const client = createClient(await h.connect('/chat'), chatContract, { timeoutMs: 80 });
    await expect(client.joinRoom('general')).rejects.toMatchObject({
      name: 'AckTimeoutError',
      timeoutMs: 80,
    });
  });

  it('rejects with ReplyValidationError when validating and the ack does not match the reply schema', async () => {
    bindChat({ 'join-room': () => ({ ok: 'yes' }) } as unknown as ChatHandlers, false);
    const socket = await h.connect('/chat');
    const validating = createClient(socket, chatContract, { validate: true });
    const error = await validating.joinRoom('general').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ReplyValidationError);
    expect(error).toMatchObject({
      event: 'join-room',
      received: { ok: 'yes' },
      issues: [{ code: 'invalid_union' }],
    });
    expect((error as Error).message).toContain('"join-room"');
    // without validation the same ack is returned as is
    await expect(createClient(socket, chatContract).joinRoom('general')).resolves.toEqual({ ok: 'yes' });
  });

  it('resolves with the parsed reply when validating (unknown keys stripped)', async () => {
    bindChat({ 'join-room': (room) => ({ ok: true, room, internalFlag: 1 }) as never }, false);
    const socket = await h.connect('/chat');
    await expect(createClient(socket, chatContract, { validate: true }).joinRoom('x')).resolves.toEqual({
      ok: true,
      room: 'x',
    });
    await expect(createClient(socket, chatContract).joinRoom('x')).resolves.toEqual({
      ok: true,
      room: 'x',
      internalFlag: 1,
    });
  });

  it('fire-and-forget methods emit without waiting; trailing undefined arguments are not sent as null', async () => {
    const seen: unknown[] = [];
    const raw: unknown[][] = [];
    h.io
      .of('/chat')
      .on('connection', (socket) => socket.onAny((_event: string, ...args: unknown[]) => raw.push(args)));
    bindChat({ 'set-status': (status) => void seen.push(status) });
    const client = createClient(await h.connect('/chat'), chatContract);
    expect(client.setStatus('away')).toBeUndefined();
    await vi.waitFor(() => expect(seen).toEqual(['away']));
    (client.setStatus as (value?: string) => void)(undefined);
    await vi.waitFor(() => expect(raw).toHaveLength(2));
    // the server got no argument at all, not `null`
    expect(raw).toEqual([['away'], []]);
  });

  it('refuses a contract whose method names collide with the client API', () => {
    const clashing = {
      ...chatContract,
      receive: { on: { event: 'on', method: 'on', args: 'none', failure: { via: 'ack' } } },
    } as const satisfies NamespaceContract;
    const socket = { on: () => {}, off: () => {} } as unknown as Parameters<typeof createClient>[0];
    expect(() => createClient(socket, clashing)).toThrow(/method name "on" of "on" is taken/);
  });
});

describe('createClient: server events', () => {
  it('delivers parsed values when validating, and sends invalid payloads to onInvalid only', async () => {
    const nsp = h.io.of('/chat');
    const socket = await h.connect('/chat');
    const invalid: InboundValidationError[] = [];
    const client = createClient(socket, chatContract, {
      validate: true,
      onInvalid: (error) => invalid.push(error),
    });
    const messages: unknown[] = [];
    const presence: unknown[][] = [];
    let pings = 0;
    client.on('chat:message', (message) => messages.push(message));
    client.on('presence:update', (...args) => presence.push(args));
    client.on('server:ping', () => pings++);

    nsp.emit('chat:message', { room: 'r', text: 'bad', sentAt: 'not a date' });
    nsp.emit('presence:update', 'ada', 'sleeping');
    nsp.emit('chat:message', { room: 'r', text: 'hi', sentAt: '2024-05-01T10:00:00Z', extra: true });
    nsp.emit('presence:update', 'ada', 'away');
    nsp.emit('server:ping');

    await vi.waitFor(() => expect(pings).toBe(1));
    expect(messages).toEqual([{ room: 'r', text: 'hi', sentAt: new Date('2024-05-01T10:00:00Z') }]);
    expect((messages[0] as { sentAt: unknown }).sentAt).toBeInstanceOf(Date);
    expect(presence).toEqual([['ada', 'away']]);
    expect(invalid.map((error) => [error.event, error.issues.map((issue) => issue.path)])).toEqual([
      ['chat:message', [['sentAt']]],
      ['presence:update', [[1]]],
    ]);
    expect(invalid[0]).toBeInstanceOf(InboundValidationError);
    expect(invalid[0]?.message).toContain('"chat:message"');
  });

  it('with a lazy contract, loads the schemas only to validate, and delivers what came before them in order', async () => {
    const nsp = h.io.of('/chat');
    const wire = {
      namespace: chatContract.namespace,
      receive: Object.fromEntries(
        Object.entries(chatContract.receive).map(([event, op]) => [
          event,
          { method: op.method, args: op.args, ...('reply' in op ? { reply: true } : {}) },
        ]),
      ),
      send: Object.fromEntries(
        Object.entries(chatContract.send).map(([event, op]) => [event, { args: op.args }]),
      ),
    };
    let loads = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const load = async () => {
      loads++;
      await gate;
      return chatContract;
    };

    const plain = createClient(await h.connect('/chat'), { wire, load });
    const plainGot = new Promise<unknown>((resolve) => plain.on('chat:message', resolve));
    nsp.emit('chat:message', { room: 'r', text: 'as sent', sentAt: 'whenever' });
    expect(await plainGot).toEqual({ room: 'r', text: 'as sent', sentAt: 'whenever' });
    expect(loads).toBe(0);

    const invalid: string[] = [];
    const validating = createClient(
      await h.connect('/chat'),
      { wire, load },
      {
        validate: true,
        onInvalid: (error) => invalid.push(error.event),
      },
    );
    expect(loads).toBe(1);
    const texts: string[] = [];
    validating.on('chat:message', (message) => texts.push(message.text));
    nsp.emit('chat:message', { room: 'r', text: 'first', sentAt: '2024-05-01T10:00:00Z' });
    nsp.emit('chat:message', { room: 'r', text: 'bad', sentAt: 'not a date' });
    nsp.emit('chat:message', { room: 'r', text: 'second', sentAt: '2024-05-01T10:00:01Z' });
    await new Promise((resolve) => setTimeout(resolve, 50)); // they arrive while the schemas still load
    expect(texts).toEqual([]);
    release();
    await vi.waitFor(() => expect(texts).toEqual(['first', 'second']));
    expect(invalid).toEqual(['chat:message']);
    nsp.emit('chat:message', { room: 'r', text: 'third', sentAt: '2024-05-01T10:00:02Z' });
    await vi.waitFor(() => expect(texts).toEqual(['first', 'second', 'third']));
    expect(loads).toBe(1);
  });

  it('delivers payloads as sent without validation', async () => {
    const socket = await h.connect('/chat');
    const client = createClient(socket, chatContract);
    const received = new Promise<unknown>((resolve) => client.on('chat:message', resolve));
    h.io.of('/chat').emit('chat:message', { room: 'r', text: 'hi', sentAt: 'whenever' });
    expect(await received).toEqual({ room: 'r', text: 'hi', sentAt: 'whenever' });
  });

  it('throws InboundValidationError from the dispatch when validating without onInvalid', async () => {
    const socket = await h.connect('/chat');
    const listener = vi.fn();
    createClient(socket, chatContract, { validate: true }).on('presence:update', listener);
    const [wrapper] = socket.listeners('presence:update');
    expect(wrapper).toBeDefined();
    expect(() => wrapper!('ada', 'sleeping')).toThrow(InboundValidationError);
    expect(listener).not.toHaveBeenCalled();
    wrapper!('ada', 'online');
    expect(listener).toHaveBeenCalledWith('ada', 'online');
  });

  it('on returns an unsubscribe function; off and once remove listeners', async () => {
    const nsp = h.io.of('/chat');
    const socket = await h.connect('/chat');
    const client = createClient(socket, chatContract);
    const viaOn: unknown[] = [];
    const viaOff: unknown[] = [];
    const viaOnce: unknown[] = [];
    const offListener = (name: string) => viaOff.push(name);
    const unsubscribe = client.on('presence:update', (name) => viaOn.push(name));
    client.on('presence:update', offListener);
    client.once('presence:update', (name) => viaOnce.push(name));

    nsp.emit('presence:update', 'first', 'online');
    await vi.waitFor(() => expect(viaOn).toEqual(['first']));
    unsubscribe();
    client.off('presence:update', offListener);
    nsp.emit('presence:update', 'second', 'online');
    await delay(50);
    expect(viaOn).toEqual(['first']);
    expect(viaOff).toEqual(['first']);
    expect(viaOnce).toEqual(['first']);
    expect(socket.listeners('presence:update')).toHaveLength(0);
  });

  it('refuses to listen to an event that is not a server event of the contract', async () => {
    const client = createClient(await h.connect('/chat'), chatContract);
    expect(() =>
      (client.on as (event: string, listener: () => void) => void)('chat:mesage', () => {}),
    ).toThrow(/not a server event of \/chat/);
  });
});
