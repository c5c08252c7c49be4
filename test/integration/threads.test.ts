/**
 * The `/threads` dialect (seed 000) end to end: real `socket.io-client` sockets against the reference server on
 * port 0 (generated `registerThreads` over the chat core), a real SQLite file. Every client event: its ack and
 * effects at the right sockets (and not at others), a refused handshake, a forbidden and an invalid payload;
 * rate limits; the seed's own client code; and one room shared with `/messenger`.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../server/auth/index.js';
import {
  closeAll,
  closeSocket,
  collect,
  connectAs,
  errorOf,
  nextEvent,
  quietWindow,
  SECRET,
  emitAck as send,
  socketAs,
  startTestServer,
  type TestServer,
  track,
} from './kit.js';

interface WireError {
  code: string;
  message: string;
  details: unknown;
}
interface WireMessage {
  id: string;
  threadId: string;
  content: string;
  userId: string;
  createdAt: string;
  attachments?: { type: string; url: string }[];
}
type SendAck = { ok: true; message: WireMessage } | { ok: false; error: WireError };
/** The ack as the seed's callback reads it (`response.error`), typed only as far as the seed's code needs. */
type SeedResponse = { ok: boolean; message?: WireMessage; error?: WireError };
interface ThreadUpdate {
  threadId: string;
  type: 'participant_joined' | 'participant_left' | 'thread_updated';
  data: unknown;
}
interface TypingUpdate {
  threadId: string;
  users: { id: string; name: string; isTyping: boolean }[];
}
type PresenceUpdate = { userId: string; status: string; lastSeen?: string }[];

let t: TestServer;

beforeAll(async () => {
  // This file sends many events as the same users: generous limits here, small ones in "rate limits" below.
  const roomy = { burst: 100_000, perSecond: 100_000 };
  t = await startTestServer({ domain: { rateLimits: { message: roomy, typing: roomy } } });
});
// Sockets of the running test are closed after it, so presence and subscriptions do not pile up.
afterEach(closeAll);
afterAll(async () => {
  await t.close();
});

const connect = (user: string, server: TestServer = t) => connectAs(server, '/threads', user);

/** A socket whose handshake carries `token`, connecting (listeners added at once still hear `connect`). */
async function rawSocket(token: string | undefined): Promise<Socket> {
  const socket = await socketAs(t, '/threads', null, { token });
  socket.connect();
  return socket;
}

/** The next `event` on `socket` that matches. */
const nextWhere = <T>(socket: Socket, event: string, where: (payload: T) => boolean) =>
  nextEvent<T>(socket, event, { where });

async function newThread(owner: string, options: { private?: boolean; members?: string[] } = {}) {
  const { room } = await t.server.domain.rooms.create(owner, { kind: 'thread', ...options });
  return room.id;
}

async function history(threadId: string, server: TestServer = t) {
  const store = server.server.domain.store;
  return store.listMessages(threadId, { limit: 1000 });
}

async function sendOk(socket: Socket, threadId: string, content: string): Promise<WireMessage> {
  const ack = await send<SendAck>(socket, 'message:send', { threadId, content });
  if (!ack.ok) throw new Error(`send failed: ${JSON.stringify(ack.error)}`);
  return ack.message;
}

const joined = (threadId: string, userId: string, name: string): ThreadUpdate => ({
  threadId,
  type: 'participant_joined',
  data: { userId, name },
});
const left = (threadId: string, userId: string, name: string): ThreadUpdate => ({
  threadId,
  type: 'participant_left',
  data: { userId, name },
});

describe('/threads: handshake (x-parley-auth.reject: auth_error, then disconnect)', () => {
  it.each([
    ['no token', undefined, /no token/],
    ['a token that is not a JWT', 'clerk-jwt-token', /Authentication error/],
    [
      'a token with a bad signature',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl',
      /signature|invalid/i,
    ],
  ])(
    'accepts a handshake with %s only to send auth_error UNAUTHENTICATED and disconnect',
    async (_n, token, why) => {
      const socket = await rawSocket(token);
      const connected = nextEvent(socket, 'connect');
      const authError = nextEvent<WireError>(socket, 'auth_error');
      const disconnected = nextEvent<string>(socket, 'disconnect');
      await connected;
      const error = await authError;
      expect(error).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringMatching(why) });
      expect(await disconnected).toBe('io server disconnect');
    },
  );

  it('refuses an expired token the same way', async () => {
    const token = await issueToken('alice', { secret: SECRET, expiresIn: -10 });
    const socket = await rawSocket(token);
    const authError = nextEvent<WireError>(socket, 'auth_error');
    const disconnected = nextEvent<string>(socket, 'disconnect');
    expect(await authError).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/expired/i),
    });
    expect(await disconnected).toBe('io server disconnect');
  });

  it('keeps a socket with a valid token connected, with no auth_error', async () => {
    const socket = await connect('alice');
    const authErrors = collect(socket, 'auth_error');
    await quietWindow();
    expect(authErrors.got).toEqual([]);
    expect(socket.connected).toBe(true);
  });

  // Every client event, emitted by a client whose token was refused (buffered, so it is sent right after the
  // connect): the socket only gets auth_error and the disconnect; the event is never handled.
  it.each<[string, unknown[]]>([
    ['message:send', [{ threadId: 'general', content: 'let me in' }]],
    ['message:edit', [{ messageId: 'msg_x', content: 'edited' }]],
    ['message:delete', [{ messageId: 'msg_x' }]],
    ['typing:start', [{ threadId: 'general' }]],
    ['typing:stop', [{ threadId: 'general' }]],
    ['presence:update', [{ status: 'AWAY' }]],
    ['thread:join', [{ threadId: 'general' }]],
    ['thread:leave', [{ threadId: 'general' }]],
    ['thread:join_bulk', [{ threadIds: ['general'] }]],
    ['thread:leave_all', []],
  ])('does not handle %s on a socket whose token was refused', async (event, args) => {
    const watcher = await connect('bob');
    await send(watcher, 'thread:join', { threadId: 'general' });
    const atWatcher = collect(watcher, 'message:new');
    const before = (await history('general')).length;

    const socket = await rawSocket('not-a-valid-token');
    const authError = nextEvent<WireError>(socket, 'auth_error');
    const disconnected = nextEvent<string>(socket, 'disconnect');
    const errors = collect(socket, 'error');
    let acked = false;
    socket.emit(event, ...args, () => {
      acked = true;
    });
    expect(await authError).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await disconnected).toBe('io server disconnect');
    await quietWindow();
    expect(acked).toBe(false);
    expect(errors.got).toEqual([]);
    expect(atWatcher.got).toEqual([]);
    expect(await history('general')).toHaveLength(before);
  });
});

describe('/threads: message:send', () => {
  it("acks the stored message and sends message:new to the thread's subscribed sockets, the sender's included", async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, aliceTab, bob, bobIdle, carol] = await Promise.all([
      connect('alice'),
      connect('alice'),
      connect('bob'),
      connect('bob'),
      connect('carol'),
    ]);
    for (const socket of [alice, aliceTab, bob]) await send(socket, 'thread:join', { threadId });
    const [atAlice, atTab, atBob] = [alice, aliceTab, bob].map((s) =>
      nextEvent<WireMessage>(s, 'message:new'),
    );
    // A member's socket that did not subscribe, and a user who is not in the thread, hear nothing.
    const atIdle = collect(bobIdle, 'message:new');
    const atCarol = collect(carol, 'message:new');

    const ack = await send<SendAck>(alice, 'message:send', {
      threadId,
      content: 'Here is the mock-up for the new landing page.',
      attachments: [{ type: 'image', url: 'https://files.example.com/uploads/landing-mockup.png' }],
    });
    expect(ack).toEqual({
      ok: true,
      message: {
        id: expect.any(String),
        threadId,
        content: 'Here is the mock-up for the new landing page.',
        userId: 'alice',
        createdAt: expect.any(String),
        attachments: [{ type: 'image', url: 'https://files.example.com/uploads/landing-mockup.png' }],
      },
    });
    if (!ack.ok) return;
    expect(Date.now() - Date.parse(ack.message.createdAt)).toBeLessThan(60_000);
    // An ack that reports a message sent means it is stored.
    const stored = await t.server.domain.messages.get('bob', ack.message.id);
    expect(stored).toMatchObject({ roomId: threadId, senderId: 'alice', content: ack.message.content });

    expect(await atAlice).toEqual(ack.message);
    expect(await atTab).toEqual(ack.message);
    expect(await atBob).toEqual(ack.message);
    await quietWindow();
    expect(atIdle.got).toEqual([]);
    expect(atCarol.got).toEqual([]);
  });

  it('sends a plain message without attachments', async () => {
    const threadId = await newThread('alice');
    const alice = await connect('alice');
    const ack = await send<SendAck>(alice, 'message:send', { threadId, content: 'Looks good to me!' });
    expect(ack).toMatchObject({ ok: true, message: { threadId, content: 'Looks good to me!' } });
    if (ack.ok) expect(ack.message).not.toHaveProperty('attachments');
  });

  it('refuses an unknown thread with NOT_FOUND in the ack (response.error) and stores nothing', async () => {
    const alice = await connect('alice');
    const ack = await send<SendAck>(alice, 'message:send', { threadId: 'thread_999', content: 'Hello?' });
    expect(ack).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Thread thread_999 does not exist', details: [] },
    });
    expect(await history('thread_999')).toEqual([]);
  });

  it('refuses a thread the user does not take part in with FORBIDDEN; nothing is stored or sent', async () => {
    const threadId = await newThread('alice', { private: true, members: ['bob'] });
    const [bob, carol] = await Promise.all([connect('bob'), connect('carol')]);
    await send(bob, 'thread:join', { threadId });
    const atBob = collect(bob, 'message:new');
    const ack = await send<SendAck>(carol, 'message:send', { threadId, content: 'sneaky' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: [] } });
    await quietWindow();
    expect(atBob.got).toEqual([]);
    expect(await history(threadId)).toEqual([]);
  });

  it.each([
    ['empty content', { content: '' }, 'content'],
    ['no content', {}, 'content'],
    ['an unknown field', { content: 'hi', pinned: true }, ''],
    [
      'an attachment of another type',
      { content: 'hi', attachments: [{ type: 'video', url: 'https://x' }] },
      'attachments',
    ],
  ])('answers %s with VALIDATION_FAILED and its issues in the ack', async (_name, fields, path) => {
    const threadId = await newThread('alice');
    const alice = await connect('alice');
    const ack = await send<SendAck>(alice, 'message:send', { threadId, ...fields });
    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error.code).toBe('VALIDATION_FAILED');
    expect(ack.error.message).toMatch(/message:send/);
    expect(ack.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]),
    );
    if (path) expect(JSON.stringify(ack.error.details)).toContain(path);
    expect(await history(threadId)).toEqual([]);
    // The socket keeps being served.
    expect((await send<SendAck>(alice, 'message:send', { threadId, content: 'still here' })).ok).toBe(true);
  });

  it('reports a failed send emitted without a callback with the error event', async () => {
    const alice = await connect('alice');
    const error = nextEvent<WireError>(alice, 'error');
    alice.emit('message:send', { threadId: 'thread_999', content: 'Hello?' });
    expect(await error).toEqual({
      code: 'NOT_FOUND',
      message: 'Thread thread_999 does not exist',
      details: [],
    });
  });
});

describe('/threads: message:edit', () => {
  it("stores the new content and sends message:update (with threadId) to the thread's subscribed sockets", async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob, carol] = await Promise.all([connect('alice'), connect('bob'), connect('carol')]);
    await send(alice, 'thread:join', { threadId });
    await send(bob, 'thread:join', { threadId });
    const sent = await sendOk(alice, threadId, 'Here is the mock-up.');
    const atAlice = nextEvent(alice, 'message:update');
    const atBob = nextEvent(bob, 'message:update');
    const atCarol = collect(carol, 'message:update');
    const errors = collect(alice, 'error');

    await send(alice, 'message:edit', { messageId: sent.id, content: 'Here is the updated mock-up.' });
    const stored = await t.server.domain.messages.get('alice', sent.id);
    expect(stored.content).toBe('Here is the updated mock-up.');
    const update = {
      messageId: sent.id,
      content: 'Here is the updated mock-up.',
      editedAt: stored.editedAt,
      threadId,
    };
    expect(await atAlice).toEqual(update);
    expect(await atBob).toEqual(update);
    await quietWindow();
    expect(atCarol.got).toEqual([]);
    expect(errors.got).toEqual([]);
  });

  it("refuses someone else's message with FORBIDDEN and changes nothing", async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(alice, 'thread:join', { threadId });
    const sent = await sendOk(alice, threadId, 'mine');
    const updates = collect(alice, 'message:update');
    expect(await errorOf(bob, 'message:edit', { messageId: sent.id, content: 'hijacked' })).toEqual({
      code: 'FORBIDDEN',
      message: 'Only the author may edit a message',
      details: [],
    });
    await quietWindow();
    expect(updates.got).toEqual([]);
    expect((await t.server.domain.messages.get('alice', sent.id)).content).toBe('mine');
  });

  it('refuses an unknown or deleted message with NOT_FOUND', async () => {
    const threadId = await newThread('alice');
    const alice = await connect('alice');
    expect(await errorOf(alice, 'message:edit', { messageId: 'msg_nope', content: 'x' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    const sent = await sendOk(alice, threadId, 'soon gone');
    await send(alice, 'message:delete', { messageId: sent.id });
    expect(await errorOf(alice, 'message:edit', { messageId: sent.id, content: 'back?' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers an invalid payload with VALIDATION_FAILED and its issues', async () => {
    const alice = await connect('alice');
    const error = await errorOf(alice, 'message:edit', { messageId: 'msg_1', content: 'x'.repeat(5001) });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ path: ['content'] })]);
  });
});

describe('/threads: message:delete', () => {
  it('deletes the message and sends its bare id to every socket of the namespace', async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob, carol] = await Promise.all([connect('alice'), connect('bob'), connect('carol')]);
    await send(alice, 'thread:join', { threadId });
    const sent = await sendOk(alice, threadId, 'oops');
    // Carol neither takes part nor subscribed: the id names no thread, so everyone gets it.
    const [atAlice, atBob, atCarol] = [alice, bob, carol].map((s) =>
      nextWhere<string>(s, 'message:delete', (id) => id === sent.id),
    );
    const errors = collect(alice, 'error');
    await send(alice, 'message:delete', { messageId: sent.id });
    expect(await Promise.all([atAlice, atBob, atCarol])).toEqual([sent.id, sent.id, sent.id]);
    expect((await t.server.domain.messages.get('alice', sent.id)).deletedAt).not.toBeNull();
    expect(errors.got).toEqual([]);
  });

  it("refuses someone else's message with FORBIDDEN (even for the thread's owner) and keeps it", async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    const sent = await sendOk(bob, threadId, "bob's");
    const deletes = collect(bob, 'message:delete');
    expect(await errorOf(alice, 'message:delete', { messageId: sent.id })).toEqual({
      code: 'FORBIDDEN',
      message: 'Only the author may delete a message',
      details: [],
    });
    await quietWindow();
    expect(deletes.got).not.toContain(sent.id);
    expect((await t.server.domain.messages.get('bob', sent.id)).deletedAt).toBeNull();
  });

  it('refuses an unknown message, or one already deleted, with NOT_FOUND', async () => {
    const threadId = await newThread('alice');
    const alice = await connect('alice');
    expect(await errorOf(alice, 'message:delete', { messageId: 'msg_nope' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    const sent = await sendOk(alice, threadId, 'once');
    await send(alice, 'message:delete', { messageId: sent.id });
    expect(await errorOf(alice, 'message:delete', { messageId: sent.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers an invalid payload with VALIDATION_FAILED', async () => {
    const alice = await connect('alice');
    const error = await errorOf(alice, 'message:delete', { id: 'msg_1' });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(error.details)).toContain('messageId');
  });
});

describe('/threads: typing', () => {
  it("sends who is typing to the thread's other subscribed sockets, in the order they started", async () => {
    const threadId = await newThread('alice', { members: ['bob', 'carol'] });
    const [alice, aliceTab, bob, carol] = await Promise.all([
      connect('alice'),
      connect('alice'),
      connect('bob'),
      connect('carol'),
    ]);
    for (const socket of [alice, aliceTab, bob]) await send(socket, 'thread:join', { threadId });
    // Carol takes part but did not subscribe; the typist's own sockets hear nothing.
    const atCarol = collect(carol, 'typing:update');
    const atAlice = collect(alice, 'typing:update');
    const atTab = collect(aliceTab, 'typing:update');

    let atBob = nextEvent<TypingUpdate>(bob, 'typing:update');
    await send(alice, 'typing:start', { threadId });
    expect(await atBob).toEqual({ threadId, users: [{ id: 'alice', name: 'Alice', isTyping: true }] });

    const bobTyping = [alice, aliceTab].map((s) => nextEvent<TypingUpdate>(s, 'typing:update'));
    await send(bob, 'typing:start', { threadId });
    const both = {
      threadId,
      users: [
        { id: 'alice', name: 'Alice', isTyping: true },
        { id: 'bob', name: 'Bob', isTyping: true },
      ],
    };
    expect(await Promise.all(bobTyping)).toEqual([both, both]);
    atAlice.got.length = 0;
    atTab.got.length = 0;

    atBob = nextEvent<TypingUpdate>(bob, 'typing:update');
    await send(alice, 'typing:stop', { threadId });
    expect(await atBob).toEqual({
      threadId,
      users: [
        { id: 'bob', name: 'Bob', isTyping: true },
        { id: 'alice', name: 'Alice', isTyping: false },
      ],
    });
    await send(bob, 'typing:stop', { threadId });
    await quietWindow();
    // Alice heard Bob stop (not her own events); Carol heard nothing.
    expect(atAlice.got).toEqual([{ threadId, users: [{ id: 'bob', name: 'Bob', isTyping: false }] }]);
    expect(atTab.got).toEqual(atAlice.got);
    expect(atCarol.got).toEqual([]);
  });

  it('emits nothing for typing:stop from someone who was not typing', async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(bob, 'thread:join', { threadId });
    const atBob = collect(bob, 'typing:update');
    const errors = collect(alice, 'error');
    await send(alice, 'typing:stop', { threadId });
    await quietWindow();
    expect(atBob.got).toEqual([]);
    expect(errors.got).toEqual([]);
  });

  it('stops the typing of a socket that disconnects, with typing:update', async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(bob, 'thread:join', { threadId });
    const started = nextEvent(bob, 'typing:update');
    await send(alice, 'typing:start', { threadId });
    await started;
    const stopped = nextEvent<TypingUpdate>(bob, 'typing:update');
    alice.disconnect();
    expect(await stopped).toEqual({ threadId, users: [{ id: 'alice', name: 'Alice', isTyping: false }] });
  });

  it.each(['typing:start', 'typing:stop'])(
    'refuses %s in a thread the user does not take part in',
    async (event) => {
      const threadId = await newThread('alice', { private: true, members: ['bob'] });
      const [bob, carol] = await Promise.all([connect('bob'), connect('carol')]);
      await send(bob, 'thread:join', { threadId });
      const atBob = collect(bob, 'typing:update');
      expect(await errorOf(carol, event, { threadId })).toMatchObject({ code: 'FORBIDDEN', details: [] });
      expect(await errorOf(carol, event, { threadId: 'thread_999' })).toEqual({
        code: 'NOT_FOUND',
        message: 'Thread thread_999 does not exist',
        details: [],
      });
      await quietWindow();
      expect(atBob.got).toEqual([]);
    },
  );

  it.each(['typing:start', 'typing:stop'])(
    'answers %s without threadId with VALIDATION_FAILED',
    async (event) => {
      const alice = await connect('alice');
      const error = await errorOf(alice, event, {});
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(event) });
      expect(error.details).toEqual([expect.objectContaining({ path: ['threadId'], code: 'invalid_type' })]);
    },
  );
});

describe('/threads: presence', () => {
  it('stores the status and sends a one-entry presence:update to every socket, the sender included', async () => {
    const [alice, bob, carol] = await Promise.all([connect('alice'), connect('bob'), connect('carol')]);
    const away = (u: PresenceUpdate) => u.length === 1 && u[0]?.userId === 'alice' && u[0]?.status === 'AWAY';
    const arrivals = [alice, bob, carol].map((s) => nextWhere<PresenceUpdate>(s, 'presence:update', away));
    await send(alice, 'presence:update', { status: 'AWAY' });
    expect(await Promise.all(arrivals)).toEqual(Array(3).fill([{ userId: 'alice', status: 'AWAY' }]));
    expect((await t.server.domain.users.get('alice')).status).toBe('away');

    // OFFLINE while connected: appear offline.
    const hidden = nextWhere<PresenceUpdate>(bob, 'presence:update', (u) => u[0]?.status === 'OFFLINE');
    await send(alice, 'presence:update', { status: 'OFFLINE' });
    expect(await hidden).toEqual([{ userId: 'alice', status: 'OFFLINE' }]);
    expect((await t.server.domain.presence.onlineUsers()).map((s) => s.userId)).not.toContain('alice');
    await send(alice, 'presence:update', { status: 'ONLINE' });
    expect((await t.server.domain.users.get('alice')).status).toBe('online');
  });

  it('announces a user coming online with their first socket and going offline with their last', async () => {
    await t.server.domain.users.ensure('dave');
    const carol = await connect('carol');
    const online = nextWhere<PresenceUpdate>(carol, 'presence:update', (u) => u[0]?.userId === 'dave');
    const dave = await connect('dave');
    expect(await online).toEqual([{ userId: 'dave', status: 'ONLINE' }]);
    const daveTab = await connect('dave');
    const quiet = collect<PresenceUpdate>(carol, 'presence:update');
    await closeSocket(dave);
    await quietWindow();
    expect(quiet.got.filter((u) => u[0]?.userId === 'dave')).toEqual([]);
    const offline = nextWhere<PresenceUpdate>(carol, 'presence:update', (u) => u[0]?.userId === 'dave');
    daveTab.disconnect();
    const [entry] = await offline;
    expect(entry).toEqual({ userId: 'dave', status: 'OFFLINE', lastSeen: expect.any(String) });
    expect((await t.server.domain.users.get('dave')).lastSeen).toBe(entry?.lastSeen);
  });

  it.each([
    ['an unknown status', { status: 'BUSY' }],
    ['a lower-case status', { status: 'away' }],
    ['no status', {}],
  ])('answers %s with VALIDATION_FAILED and keeps the status', async (_name, payload) => {
    const alice = await connect('alice');
    const before = (await t.server.domain.presence.get('alice')).status;
    const error = await errorOf(alice, 'presence:update', payload);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(error.details)).toContain('status');
    expect((await t.server.domain.presence.get('alice')).status).toBe(before);
  });
  // presence:update has no forbidden case: a user only ever sets their own status.
});

describe('/threads: thread:join', () => {
  it("makes the user a participant of an open thread and announces their first socket to the room, the joiner's included", async () => {
    const threadId = await newThread('carol');
    const [carol, alice, aliceTab, bob] = await Promise.all([
      connect('carol'),
      connect('alice'),
      connect('alice'),
      connect('bob'),
    ]);
    const own = nextEvent<ThreadUpdate>(carol, 'thread:update');
    await send(carol, 'thread:join', { threadId });
    expect(await own).toEqual(joined(threadId, 'carol', 'Carol'));

    const atCarol = nextEvent<ThreadUpdate>(carol, 'thread:update');
    const atAlice = nextEvent<ThreadUpdate>(alice, 'thread:update');
    const atBob = collect(bob, 'thread:update');
    await send(alice, 'thread:join', { threadId });
    expect(await atAlice).toEqual(joined(threadId, 'alice', 'Alice'));
    expect(await atCarol).toEqual(joined(threadId, 'alice', 'Alice'));
    expect(await t.server.domain.store.getMembership(threadId, 'alice')).toMatchObject({
      role: 'member',
    });

    // Alice's second socket, and her first one again: no notice (per user, not per tab).
    const quiet = collect(carol, 'thread:update');
    await send(aliceTab, 'thread:join', { threadId });
    await send(alice, 'thread:join', { threadId });
    await quietWindow();
    expect(quiet.got).toEqual([]);
    expect(atBob.got).toEqual([]);

    // Both of Alice's sockets now hear the thread; Bob's (not subscribed) does not.
    const heard = [alice, aliceTab].map((s) => nextEvent<WireMessage>(s, 'message:new'));
    const bobHeard = collect(bob, 'message:new');
    const sent = await sendOk(carol, threadId, 'welcome');
    expect(await Promise.all(heard)).toEqual([sent, sent]);
    await quietWindow();
    expect(bobHeard.got).toEqual([]);
  });

  it('lets a participant subscribe to a private thread', async () => {
    const threadId = await newThread('alice', { private: true, members: ['bob'] });
    const bob = await connect('bob');
    const update = nextEvent<ThreadUpdate>(bob, 'thread:update');
    await send(bob, 'thread:join', { threadId });
    expect(await update).toEqual(joined(threadId, 'bob', 'Bob'));
  });

  it('refuses a private thread to a non-participant with FORBIDDEN: no subscription, no membership, no notice', async () => {
    const threadId = await newThread('alice', { private: true, members: ['bob'] });
    const [bob, carol] = await Promise.all([connect('bob'), connect('carol')]);
    await send(bob, 'thread:join', { threadId });
    const atBob = collect(bob, 'thread:update');
    const error = await errorOf(carol, 'thread:join', { threadId });
    expect(error).toMatchObject({ code: 'FORBIDDEN', details: [] });
    expect(await t.server.domain.store.getMembership(threadId, 'carol')).toBeUndefined();
    const carolHeard = collect(carol, 'message:new');
    await sendOk(bob, threadId, 'private');
    await quietWindow();
    expect(carolHeard.got).toEqual([]);
    expect(atBob.got).toEqual([]);
  });

  it('refuses an unknown thread with NOT_FOUND', async () => {
    const alice = await connect('alice');
    expect(await errorOf(alice, 'thread:join', { threadId: 'thread_999' })).toEqual({
      code: 'NOT_FOUND',
      message: 'Thread thread_999 does not exist',
      details: [],
    });
  });

  it('answers an invalid payload with VALIDATION_FAILED', async () => {
    const alice = await connect('alice');
    const error = await errorOf(alice, 'thread:join', { threadId: '' });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ path: ['threadId'] })]);
  });
});

describe('/threads: thread:leave', () => {
  it("unsubscribes the socket, keeps the membership, and announces the user's last socket to those still in the room", async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob, bobTab] = await Promise.all([connect('alice'), connect('bob'), connect('bob')]);
    for (const socket of [alice, bob, bobTab]) await send(socket, 'thread:join', { threadId });

    // Bob's first socket leaves: it stops hearing the thread; his other socket is still there, so no notice.
    const quiet = collect(alice, 'thread:update');
    await send(bob, 'thread:leave', { threadId });
    const bobHeard = collect(bob, 'message:new');
    const tabHeard = nextEvent(bobTab, 'message:new');
    await sendOk(alice, threadId, 'still there?');
    await tabHeard;
    await quietWindow();
    expect(bobHeard.got).toEqual([]);
    expect(quiet.got).toEqual([]);

    // His last socket leaves: the room (not the leaver) hears participant_left.
    const atAlice = nextEvent<ThreadUpdate>(alice, 'thread:update');
    const atTab = collect(bobTab, 'thread:update');
    await send(bobTab, 'thread:leave', { threadId });
    expect(await atAlice).toEqual(left(threadId, 'bob', 'Bob'));
    await quietWindow();
    expect(atTab.got).toEqual([]);
    expect(await t.server.domain.store.getMembership(threadId, 'bob')).toBeDefined();
  });

  it('changes nothing for a thread the socket is not in (known or not)', async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(alice, 'thread:join', { threadId });
    const updates = collect(alice, 'thread:update');
    const errors = collect(bob, 'error');
    await send(bob, 'thread:leave', { threadId });
    await send(bob, 'thread:leave', { threadId: 'thread_999' });
    await quietWindow();
    expect(updates.got).toEqual([]);
    expect(errors.got).toEqual([]);
  });

  it('announces participant_left when the last subscribed socket disconnects', async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(alice, 'thread:join', { threadId });
    await send(bob, 'thread:join', { threadId });
    const atAlice = nextEvent<ThreadUpdate>(alice, 'thread:update');
    bob.disconnect();
    expect(await atAlice).toEqual(left(threadId, 'bob', 'Bob'));
  });

  it('answers an invalid payload with VALIDATION_FAILED', async () => {
    const alice = await connect('alice');
    const error = await errorOf(alice, 'thread:leave', { threadId: 42 });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ path: ['threadId'] })]);
  });
  // thread:leave has no forbidden case: a socket may always unsubscribe.
});

describe('/threads: thread:join_bulk and thread:leave_all', () => {
  it('subscribes to every thread and announces each one to its room', async () => {
    const [one, two] = await Promise.all([
      newThread('carol'),
      newThread('carol', { private: true, members: ['alice'] }),
    ]);
    const [alice, carol] = await Promise.all([connect('alice'), connect('carol')]);
    await send(carol, 'thread:join_bulk', { threadIds: [one, two] });
    const atCarol = [one, two].map((id) =>
      nextWhere<ThreadUpdate>(
        carol,
        'thread:update',
        (u) => u.threadId === id && (u.data as { userId: string }).userId === 'alice',
      ),
    );
    const own = collect<ThreadUpdate>(alice, 'thread:update');
    await send(alice, 'thread:join_bulk', { threadIds: [one, two, one] });
    expect(await Promise.all(atCarol)).toEqual([
      joined(one, 'alice', 'Alice'),
      joined(two, 'alice', 'Alice'),
    ]);
    await quietWindow();
    // One notice per thread (the duplicate id joins once), the joining socket included.
    expect(own.got).toEqual([joined(one, 'alice', 'Alice'), joined(two, 'alice', 'Alice')]);
    const heard = nextEvent<WireMessage>(alice, 'message:new');
    const sent = await sendOk(carol, one, 'in one');
    expect(await heard).toEqual(sent);
  });

  it('joins none when one thread is closed to the user (FORBIDDEN) or unknown (NOT_FOUND)', async () => {
    const open = await newThread('alice', { members: ['bob'] });
    const closed = await newThread('alice', { private: true, members: ['bob'] });
    const [bob, carol] = await Promise.all([connect('bob'), connect('carol')]);
    await send(bob, 'thread:join', { threadId: open });
    const atBob = collect(bob, 'thread:update');

    expect(await errorOf(carol, 'thread:join_bulk', { threadIds: [open, closed] })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await errorOf(carol, 'thread:join_bulk', { threadIds: [open, 'thread_999'] })).toEqual({
      code: 'NOT_FOUND',
      message: 'Thread thread_999 does not exist',
      details: [],
    });
    // Not a participant of the open thread either, and not subscribed to it.
    expect(await t.server.domain.store.getMembership(open, 'carol')).toBeUndefined();
    const carolHeard = collect(carol, 'message:new');
    await sendOk(bob, open, 'anyone?');
    await quietWindow();
    expect(carolHeard.got).toEqual([]);
    expect(atBob.got).toEqual([]);
  });

  it.each([
    ['an empty list', { threadIds: [] }],
    ['more than 100 threads', { threadIds: Array.from({ length: 101 }, (_, i) => `thread_${i}`) }],
    ['a single id instead of a list', { threadIds: 'thread_123' }],
  ])('answers %s with VALIDATION_FAILED', async (_name, payload) => {
    const alice = await connect('alice');
    const error = await errorOf(alice, 'thread:join_bulk', payload);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(error.details)).toContain('threadIds');
  });

  it("leaves every thread the socket joined, keeps the memberships, and announces the user's last socket in each", async () => {
    const [one, two] = await Promise.all([
      newThread('alice', { members: ['bob'] }),
      newThread('alice', { members: ['bob'] }),
    ]);
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(alice, 'thread:join_bulk', { threadIds: [one, two] });
    await send(bob, 'thread:join_bulk', { threadIds: [one, two] });
    await send(bob, 'thread:join', { threadId: 'general' });

    const atAlice = [one, two].map((id) =>
      nextWhere<ThreadUpdate>(
        alice,
        'thread:update',
        (u) => u.threadId === id && u.type === 'participant_left',
      ),
    );
    const atBob = collect(bob, 'thread:update');
    const errors = collect(bob, 'error');
    await send(bob, 'thread:leave_all');
    expect(await Promise.all(atAlice)).toEqual([left(one, 'bob', 'Bob'), left(two, 'bob', 'Bob')]);
    expect(await t.server.domain.store.getMembership(one, 'bob')).toBeDefined();

    const bobHeard = collect(bob, 'message:new');
    const aliceHeard = nextEvent(alice, 'message:new');
    await sendOk(alice, one, 'bob is gone');
    await aliceHeard;
    await quietWindow();
    expect(bobHeard.got).toEqual([]);
    expect(atBob.got).toEqual([]);
    expect(errors.got).toEqual([]);

    // Nothing left to leave: nothing happens.
    await send(bob, 'thread:leave_all');
    await quietWindow();
    expect(errors.got).toEqual([]);
  });
  // thread:leave_all has no payload, so no invalid case (the runtime ignores arguments a `none` event does not
  // take), and no forbidden one.
});

describe('/threads: thread_updated', () => {
  it('tells the subscribed sockets when the thread is renamed (through the chat core)', async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const [bob, carol] = await Promise.all([connect('bob'), connect('carol')]);
    await send(bob, 'thread:join', { threadId });
    const atBob = nextEvent<ThreadUpdate>(bob, 'thread:update');
    const atCarol = collect(carol, 'thread:update');
    await t.server.chat.updateRoom(
      'alice',
      threadId,
      { name: 'Landing page redesign' },
      { announce: 'if-changed' },
    );
    expect(await atBob).toEqual({
      threadId,
      type: 'thread_updated',
      data: { title: 'Landing page redesign' },
    });
    await quietWindow();
    expect(atCarol.got).toEqual([]);
  });
});

describe('/threads: rate limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({
      domain: {
        rateLimits: { message: { burst: 2, perSecond: 0.01 }, typing: { burst: 1, perSecond: 0.01 } },
      },
    });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('refuses the send over the limit with RATE_LIMITED in the ack, rate_limit to the socket, nothing stored', async () => {
    const alice = await connect('alice', limited);
    const bob = await connect('bob', limited);
    for (const content of ['one', 'two']) {
      expect(await send<SendAck>(alice, 'message:send', { threadId: 'general', content })).toMatchObject({
        ok: true,
      });
    }
    const before = (await history('general', limited)).length;
    const notice = nextEvent<{ event: string; limit: number; remaining: number; reset: number }>(
      alice,
      'rate_limit',
    );
    const bobNotices = collect(bob, 'rate_limit');
    const ack = await send<SendAck>(alice, 'message:send', { threadId: 'general', content: 'three' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: [] } });
    const info = await notice;
    expect(info).toEqual({ event: 'message:send', limit: 2, remaining: 0, reset: expect.any(Number) });
    expect(Number.isInteger(info.reset)).toBe(true);
    expect(info.reset).toBeGreaterThan(Date.now());
    expect(await history('general', limited)).toHaveLength(before);

    // Edits and deletes share the budget and fail with the error event; other users keep theirs.
    const sent = (await history('general', limited)).find((m) => m.senderId === 'alice');
    const editNotice = nextEvent<{ event: string }>(alice, 'rate_limit');
    expect(await errorOf(alice, 'message:edit', { messageId: sent?.id, content: 'edited' })).toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(await editNotice).toMatchObject({ event: 'message:edit', remaining: 0 });
    const deleteNotice = nextEvent<{ event: string }>(alice, 'rate_limit');
    expect(await errorOf(alice, 'message:delete', { messageId: sent?.id })).toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(await deleteNotice).toMatchObject({ event: 'message:delete' });
    expect((await limited.server.domain.messages.get('alice', sent?.id ?? '')).deletedAt).toBeNull();

    expect(
      await send<SendAck>(bob, 'message:send', { threadId: 'general', content: 'me too' }),
    ).toMatchObject({
      ok: true,
    });
    await quietWindow();
    expect(bobNotices.got).toEqual([]);
  });

  it('limits typing events too', async () => {
    const bob = await connect('bob', limited);
    const carol = await connect('carol', limited);
    await send(carol, 'thread:join', { threadId: 'general' });
    const started = nextEvent(carol, 'typing:update');
    await send(bob, 'typing:start', { threadId: 'general' });
    await started;
    const notice = nextEvent<{ event: string; limit: number }>(bob, 'rate_limit');
    const stops = collect(carol, 'typing:update');
    expect(await errorOf(bob, 'typing:stop', { threadId: 'general' })).toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(await notice).toMatchObject({ event: 'typing:stop', limit: 1, remaining: 0 });
    await quietWindow();
    expect(stops.got).toEqual([]);
    expect(limited.server.domain.typing.typingIn('general')).toEqual(['bob']);
  });
});

describe("/threads: the seed's own client code", () => {
  it('works as the document shows: connect, join, send with the ack callback, receive (only URL and token changed)', async () => {
    const threadId = await newThread('alice', { members: ['bob'] });
    const bob = await connect('bob');
    await send(bob, 'thread:join', { threadId });
    const logs: unknown[][] = [];
    const console = {
      log: (...args: unknown[]) => logs.push(['log', ...args]),
      error: (...args: unknown[]) => logs.push(['error', ...args]),
    };
    const seen: {
      messages: unknown[];
      threads: unknown[];
      typing: unknown[];
      presence: unknown[];
      errors: unknown[];
    } = { messages: [], threads: [], typing: [], presence: [], errors: [] };
    const token = await t.server.auth.issueToken?.('alice');

    // ---- seed 000, "Connection Setup" ----
    const socket = io(`${t.server.url.replace(/^http/, 'ws')}/threads`, {
      auth: {
        token: token,
      },
    });
    track(t, '/threads', socket);

    // ---- "Authentication Events" ----
    socket.on('connect', () => {
      console.log('Connected to WebSocket');
    });

    socket.on('auth_error', (error) => {
      console.error('Authentication failed:', error);
    });

    socket.on('disconnect', (reason) => {
      console.log('Disconnected:', reason);
    });

    // ---- "New Message" ----
    socket.on(
      'message:new',
      (message: {
        id: string;
        threadId: string;
        content: string;
        userId: string;
        createdAt: string;
        attachments?: Array<{
          type: string;
          url: string;
        }>;
      }) => {
        // Handle new message
        seen.messages.push(message);
      },
    );

    // ---- "Typing Status" ----
    socket.on(
      'typing:update',
      (update: {
        threadId: string;
        users: Array<{
          id: string;
          name: string;
          isTyping: boolean;
        }>;
      }) => {
        // Update typing indicators
        seen.typing.push(update);
      },
    );

    // ---- "User Status" ----
    socket.on(
      'presence:update',
      (
        updates: Array<{
          userId: string;
          status: 'ONLINE' | 'AWAY' | 'OFFLINE';
          lastSeen?: string;
        }>,
      ) => {
        // Update user presence
        seen.presence.push(updates);
      },
    );

    // ---- "Thread Updates" ----
    socket.on(
      'thread:update',
      (update: {
        threadId: string;
        type: 'participant_joined' | 'participant_left' | 'thread_updated';
        // biome-ignore lint/suspicious/noExplicitAny: the seed's own type.
        data: any;
      }) => {
        // Handle thread update
        seen.threads.push(update);
      },
    );

    // ---- "Error Events" ----
    socket.on(
      'error',
      (error: {
        code: string;
        message: string;
        // biome-ignore lint/suspicious/noExplicitAny: the seed's own type.
        details?: any;
      }) => {
        // Handle error
        seen.errors.push(error);
      },
    );

    await nextEvent(socket, 'connect');
    expect(logs).toEqual([['log', 'Connected to WebSocket']]);

    // ---- "Thread Updates": join thread ----
    socket.emit('thread:join', {
      threadId: threadId,
    });
    await nextWhere<{ type: string }>(socket, 'thread:update', (u) => u.type === 'participant_joined');
    expect(seen.threads).toEqual([joined(threadId, 'alice', 'Alice')]);

    // ---- "Event Acknowledgments" ----
    const atBob = nextEvent<WireMessage>(bob, 'message:new');
    const data = {
      threadId: threadId,
      content: 'Here is the mock-up for the new landing page.',
      attachments: [{ type: 'image', url: 'https://files.example.com/uploads/landing-mockup.png' }],
    };
    const outcome = await new Promise<{ sent?: SeedResponse; failed?: unknown }>((resolve) => {
      socket.emit('message:send', data, (response: SeedResponse) => {
        if (response.error) {
          // Handle error
          resolve({ failed: response.error });
        } else {
          // Message sent successfully
          resolve({ sent: response });
        }
      });
    });
    expect(outcome.failed).toBeUndefined();
    const message = outcome.sent?.message;
    expect(message).toMatchObject({
      threadId,
      content: data.content,
      userId: 'alice',
      attachments: data.attachments,
    });
    expect(await atBob).toEqual(message);
    // The sender's own subscribed socket got message:new before the ack.
    expect(seen.messages).toEqual([message]);

    // A failed send sets response.error.
    const failure = await new Promise<unknown>((resolve) => {
      socket.emit('message:send', { threadId: 'thread_999', content: 'Hello?' }, (response: SeedResponse) => {
        if (response.error) {
          // Handle error
          resolve(response.error);
        } else {
          // Message sent successfully
          resolve(undefined);
        }
      });
    });
    expect(failure).toMatchObject({ code: 'NOT_FOUND', message: 'Thread thread_999 does not exist' });

    // ---- "Message Updates" and "Message Deletion" ----
    const edited = nextEvent(socket, 'message:update');
    socket.emit('message:edit', {
      messageId: message?.id,
      content: 'Here is the updated mock-up for the new landing page.',
    });
    expect(await edited).toMatchObject({ messageId: message?.id, threadId });
    const deleted = nextWhere<string>(socket, 'message:delete', (id) => id === message?.id);
    socket.emit('message:delete', {
      messageId: message?.id,
    });
    expect(await deleted).toBe(message?.id);

    // ---- "Typing Status" (Bob types; Alice's listener hears it) ----
    const typing = nextEvent(socket, 'typing:update');
    bob.emit('typing:start', { threadId });
    expect(await typing).toEqual({ threadId, users: [{ id: 'bob', name: 'Bob', isTyping: true }] });
    bob.emit('typing:stop', { threadId });

    // ---- "User Status" ----
    const away = nextWhere<PresenceUpdate>(socket, 'presence:update', (u) => u[0]?.userId === 'alice');
    socket.emit('presence:update', {
      status: 'AWAY',
    });
    expect(await away).toEqual([{ userId: 'alice', status: 'AWAY' }]);
    socket.emit('presence:update', { status: 'ONLINE' });

    // ---- "Room Management" ----
    const other = await newThread('bob', { members: ['alice'] });
    const bulk = nextWhere<ThreadUpdate>(socket, 'thread:update', (u) => u.threadId === other);
    socket.emit('thread:join_bulk', {
      threadIds: [threadId, other],
    });
    expect(await bulk).toEqual(joined(other, 'alice', 'Alice'));
    const leftAll = nextWhere<ThreadUpdate>(bob, 'thread:update', (u) => u.type === 'participant_left');
    socket.emit('thread:leave_all');
    expect(await leftAll).toEqual(left(threadId, 'alice', 'Alice'));

    expect(seen.errors).toEqual([]);
    expect(logs.filter(([level]) => level === 'error')).toEqual([]);
    socket.disconnect();
    expect(logs.at(-1)).toEqual(['log', 'Disconnected:', 'io client disconnect']);
  });

  it("reports the document's placeholder token with auth_error, as its listener expects, then disconnects", async () => {
    const logs: unknown[][] = [];
    const console = {
      log: (...args: unknown[]) => logs.push(['log', ...args]),
      error: (...args: unknown[]) => logs.push(['error', ...args]),
    };

    // ---- seed 000, "Connection Setup", verbatim but for the URL ----
    const socket = io(`${t.server.url.replace(/^http/, 'ws')}/threads`, {
      auth: {
        token: 'clerk-jwt-token',
      },
    });
    track(t, '/threads', socket);

    socket.on('connect', () => {
      console.log('Connected to WebSocket');
    });

    socket.on('auth_error', (error) => {
      console.error('Authentication failed:', error);
    });

    socket.on('disconnect', (reason) => {
      console.log('Disconnected:', reason);
    });

    await nextEvent(socket, 'disconnect');
    expect(logs).toEqual([
      ['log', 'Connected to WebSocket'],
      ['error', 'Authentication failed:', { code: 'UNAUTHENTICATED', message: expect.any(String) }],
      ['log', 'Disconnected:', 'io server disconnect'],
    ]);
  });
});

describe('/threads: one room, many dialects', () => {
  it('delivers a message sent through /threads to the members connected through /messenger', async () => {
    const alice = await connect('alice');
    const bobMessenger = await connectAs(t, '/messenger', 'bob');
    const atBob = nextWhere<{ message: { _id: string; content: string }; conversationId: string }>(
      bobMessenger,
      'receive_message',
      (p) => p.message.content === 'from /threads',
    );
    const sent = await sendOk(alice, 'general', 'from /threads');
    expect(await atBob).toMatchObject({
      conversationId: 'general',
      message: { _id: sent.id, content: 'from /threads', sender: { _id: 'alice' } },
    });
  });

  it('delivers a message sent through /messenger to the sockets subscribed through /threads, and only to them', async () => {
    const [alice, carol] = await Promise.all([connect('alice'), connect('carol')]);
    await send(alice, 'thread:join', { threadId: 'general' });
    const bobMessenger = await connectAs(t, '/messenger', 'bob');
    const atAlice = nextWhere<WireMessage>(alice, 'message:new', (m) => m.content === 'from /messenger');
    const atCarol = collect(carol, 'message:new');
    const ack = (await send(bobMessenger, 'send_message', {
      conversationId: 'general',
      content: 'from /messenger',
      type: 'text',
    })) as {
      success: boolean;
      message: { _id: string };
    };
    expect(ack.success).toBe(true);
    expect(await atAlice).toEqual({
      id: ack.message._id,
      threadId: 'general',
      content: 'from /messenger',
      userId: 'bob',
      createdAt: expect.any(String),
    });
    await quietWindow();
    expect(atCarol.got).toEqual([]);

    // An edit through /messenger reaches /threads as message:update.
    const update = nextEvent(alice, 'message:update');
    await send(bobMessenger, 'edit_message', {
      messageId: ack.message._id,
      newContent: 'edited in /messenger',
    });
    expect(await update).toMatchObject({
      messageId: ack.message._id,
      content: 'edited in /messenger',
      threadId: 'general',
    });
  });
});
