/**
 * The `/chatterbox` dialect (seed 002) end to end: real `socket.io-client` sockets against the reference server
 * on port 0 (generated `registerChatterbox` over the chat core), a real SQLite file, and a local fake of an
 * OpenAI-compatible streaming endpoint for the AI assistant. Every client event: its effects at the right
 * sockets (and not at others), a refused handshake, a forbidden and an invalid payload; the AI stream, its
 * stop and its failures; the seed's own "Complete Example"; and one conversation shared with `/messenger`.
 */
import { Writable } from 'node:stream';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as wire from '../../generated/chatterbox/schemas.gen.js';
import { createMessengerClient } from '../../generated/messenger/client.gen.js';
import { issueToken } from '../../server/auth/index.js';
import { createLogger } from '../../server/log.js';
import { type FakeAi, sseChunk, startFakeAi } from '../server/fake-ai.js';
import {
  closeAll,
  closeSocket,
  collect,
  connectAs,
  errorOf,
  expectQuiet,
  nextEvent,
  quietWindow,
  SECRET,
  emitAck as send,
  socketAs,
  startTestServer,
  type TestServer,
  track,
  until,
} from './kit.js';

const KEY = 'sk-chatterbox-test-key-0123456789';

interface WireError {
  code: string;
  message: string;
}

let t: TestServer;
let fake: FakeAi;
/** Every log line of the server (checked for the API key). */
const logLines: string[] = [];

beforeAll(async () => {
  fake = await startFakeAi();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  t = await startTestServer({
    ai: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: KEY },
    logger: createLogger({ level: 'debug', destination }),
  });
});
// Sockets of the running test are closed after it, so presence and subscriptions do not pile up.
afterEach(closeAll);
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

/** A socket whose handshake carries `token`, not connected yet (listeners can be added first). */
const rawSocket = (token: string | undefined) => socketAs(t, '/chatterbox', null, { token });

/** A connected socket of `user`, once the server has welcomed it (its session is open). */
const connect = (user: string, server: TestServer = t) =>
  connectAs(server, '/chatterbox', user, { welcome: 'authenticated' });

let rooms = 0;
const roomName = () => `lobby-${++rooms}-${Date.now().toString(36)}`;

const latest = async (roomId: string) => (await t.server.store.listMessages(roomId, { limit: 1 }))[0];

describe('/chatterbox: connection and auth', () => {
  it('welcomes a socket with authenticated as soon as it connects', async () => {
    const socket = await rawSocket(await t.server.auth.issueToken!('alice'));
    const welcome = nextEvent(socket, 'authenticated');
    socket.connect();
    expect(await welcome).toEqual({ userId: 'alice', username: 'alice' });
  });

  it('refuses a handshake without a token or with an expired one: no event can be sent unauthenticated', async () => {
    for (const token of [undefined, await issueToken('alice', { secret: SECRET, expiresIn: -10 })]) {
      const socket = await rawSocket(token);
      const refused = nextEvent<Error & { data: WireError }>(socket, 'connect_error');
      const welcomed = collect(socket, 'authenticated');
      socket.connect();
      const error = await refused;
      expect(error.message).toMatch(/^Authentication error/);
      expect(error.data.code).toBe('UNAUTHENTICATED');
      expect(socket.connected).toBe(false);
      // Refused: no session, so nothing can follow.
      expect(welcomed.got).toEqual([]);
    }
  });

  it('answers auth with a valid token for the same user with authenticated, to the sender only', async () => {
    const [alice, aliceTab] = await Promise.all([connect('alice'), connect('alice')]);
    const atTab = expectQuiet(aliceTab, 'authenticated');
    const answer = nextEvent(alice, 'authenticated');
    alice.emit('auth', { token: await t.server.auth.issueToken!('alice') });
    expect(await answer).toEqual({ userId: 'alice', username: 'alice' });
    await atTab.verify();
  });

  it('answers auth with an invalid, expired or foreign token with unauthorized, keeping the handshake identity', async () => {
    const alice = await connect('alice');
    const invalid = await errorOf(alice, 'auth', { token: 'not-a-jwt' }, 'unauthorized');
    expect(invalid).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^Invalid or expired token/),
    });

    const expired = await errorOf(
      alice,
      'auth',
      { token: await issueToken('alice', { secret: SECRET, expiresIn: -10 }) },
      'unauthorized',
    );
    expect(expired).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/expired/i) });

    const authenticated = expectQuiet(alice, 'authenticated');
    const foreign = await errorOf(
      alice,
      'auth',
      { token: await t.server.auth.issueToken!('bob') },
      'unauthorized',
    );
    expect(foreign).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/another user/),
    });
    await authenticated.verify();

    // Still alice: her message is hers.
    await send(alice, 'join-conversation', { conversationId: 'alice-bob' });
    const mine = nextEvent<wire.NewMessagePayload>(alice, 'new-message');
    alice.emit('send-message', { conversationId: 'alice-bob', content: 'still me' });
    expect((await mine).sender).toEqual({ _id: 'alice', username: 'alice' });
  });

  it('answers a malformed auth with unauthorized VALIDATION_FAILED', async () => {
    const alice = await connect('alice');
    expect(await errorOf(alice, 'auth', { token: '' }, 'unauthorized')).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await errorOf(alice, 'auth', 'jwt', 'unauthorized')).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('/chatterbox: public rooms', () => {
  it('creates a room on first join and announces each user once to the room, the joiner included', async () => {
    const name = roomName();
    const [alice, aliceTab, bob, carol] = await Promise.all([
      connect('alice'),
      connect('alice'),
      connect('bob'),
      connect('carol'),
    ]);
    const atCarol = collect(carol, 'user-joined-room');

    const aliceJoined = nextEvent(alice, 'user-joined-room');
    alice.emit('join-room', { roomName: name });
    expect(await aliceJoined).toEqual({ roomName: name, user: { _id: 'alice', username: 'alice' } });
    const room = await t.server.store.getRoomByName('public', name);
    expect(room).toMatchObject({ kind: 'public', name, createdBy: 'alice' });
    expect((await t.server.store.getMembership(room!.id, 'alice'))?.role).toBe('owner');

    const atAlice = nextEvent(alice, 'user-joined-room');
    const atBob = nextEvent(bob, 'user-joined-room');
    bob.emit('join-room', { roomName: name });
    const bobJoined = { roomName: name, user: { _id: 'bob', username: 'bob' } };
    expect(await atAlice).toEqual(bobJoined);
    expect(await atBob).toEqual(bobJoined);
    expect((await t.server.store.getMembership(room!.id, 'bob'))?.role).toBe('member');

    // A second tab of alice, and a second join of the same socket, announce nothing.
    const again = [collect(alice, 'user-joined-room'), collect(bob, 'user-joined-room')];
    await send(aliceTab, 'join-room', { roomName: name });
    await send(alice, 'join-room', { roomName: name });
    await quietWindow();
    expect(again.map((l) => l.got)).toEqual([[], []]);
    expect(atCarol.got).toEqual([]);
  });

  it('delivers room-message to the sockets in the room, the sender included, and stores it', async () => {
    const name = roomName();
    const [alice, bob, carol] = await Promise.all([connect('alice'), connect('bob'), connect('carol')]);
    await send(alice, 'join-room', { roomName: name });
    await send(bob, 'join-room', { roomName: name });
    const atCarol = collect(carol, 'room-message');
    const atAlice = nextEvent<wire.RoomMessagePayload>(alice, 'room-message');
    const atBob = nextEvent<wire.RoomMessagePayload>(bob, 'room-message');

    bob.emit('send-room-message', { roomName: name, content: 'Hello everyone!' });
    const message = await atAlice;
    expect(message).toEqual({
      _id: expect.any(String),
      roomName: name,
      sender: { _id: 'bob', username: 'bob' },
      content: 'Hello everyone!',
      createdAt: expect.any(String),
    });
    expect(await atBob).toEqual(message);
    const room = await t.server.store.getRoomByName('public', name);
    expect(await latest(room!.id)).toMatchObject({
      id: message._id,
      content: 'Hello everyone!',
      senderId: 'bob',
    });
    await quietWindow();
    expect(atCarol.got).toEqual([]);
  });

  it('refuses a room message from a non-member (FORBIDDEN), to an unknown room (NOT_FOUND), and a bad payload', async () => {
    const name = roomName();
    const [alice, carol] = await Promise.all([connect('alice'), connect('carol')]);
    await send(alice, 'join-room', { roomName: name });
    const room = await t.server.store.getRoomByName('public', name);
    const atAlice = collect(alice, 'room-message');

    expect(await errorOf(carol, 'send-room-message', { roomName: name, content: 'sneaky' })).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/not a member/),
    });
    expect(
      await errorOf(carol, 'send-room-message', { roomName: roomName(), content: 'anyone?' }),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/no room named/),
    });
    const invalid = await errorOf(alice, 'send-room-message', { roomName: name, content: '' });
    expect(invalid.code).toBe('VALIDATION_FAILED');
    expect(invalid.message).toMatch(/content/);
    expect(await errorOf(alice, 'join-room', { roomName: 'x'.repeat(81) })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await errorOf(alice, 'leave-room', {})).toMatchObject({ code: 'VALIDATION_FAILED' });

    await quietWindow();
    expect(atAlice.got).toEqual([]);
    expect(await latest(room!.id)).toBeUndefined();
  });

  it("announces a leave when the user's last socket leaves, and then the user is no longer a member", async () => {
    const name = roomName();
    const [alice, aliceTab, bob] = await Promise.all([connect('alice'), connect('alice'), connect('bob')]);
    for (const socket of [alice, aliceTab, bob]) await send(socket, 'join-room', { roomName: name });
    const room = await t.server.store.getRoomByName('public', name);
    const atBob = collect<wire.UserLeftRoomPayload>(bob, 'user-left-room');
    const atAlice = collect(alice, 'user-left-room');

    await send(aliceTab, 'leave-room', { roomName: name });
    await quietWindow();
    expect(atBob.got).toEqual([]);
    expect(await t.server.store.getMembership(room!.id, 'alice')).toBeDefined();
    // The tab that left hears the room no more; the other still does.
    const atTab = collect(aliceTab, 'room-message');
    const stillAtAlice = nextEvent(alice, 'room-message');
    bob.emit('send-room-message', { roomName: name, content: 'one tab left' });
    await stillAtAlice;

    const left = nextEvent<wire.UserLeftRoomPayload>(bob, 'user-left-room');
    await send(alice, 'leave-room', { roomName: name });
    expect(await left).toEqual({ roomName: name, user: { _id: 'alice', username: 'alice' } });
    expect(await t.server.store.getMembership(room!.id, 'alice')).toBeUndefined();
    expect(await errorOf(alice, 'send-room-message', { roomName: name, content: 'back?' })).toMatchObject({
      code: 'FORBIDDEN',
    });

    // Leaving a room the socket is not in changes nothing and is no error.
    const errors = collect(alice, 'error');
    await send(alice, 'leave-room', { roomName: name });
    await send(alice, 'leave-room', { roomName: roomName() });
    await quietWindow();
    expect(errors.got).toEqual([]);
    expect(atAlice.got).toEqual([]);
    expect(atTab.got).toEqual([]);
  });
});

describe('/chatterbox: conversations', () => {
  it("delivers new-message to the conversation's joined sockets, the sender's included, and no one else", async () => {
    const [alice, bob, bobIdle, carol] = await Promise.all([
      connect('alice'),
      connect('bob'),
      connect('bob'),
      connect('carol'),
    ]);
    await send(alice, 'join-conversation', { conversationId: 'alice-bob' });
    await send(bob, 'join-conversation', { conversationId: 'alice-bob' });
    const elsewhere = [collect(bobIdle, 'new-message'), collect(carol, 'new-message')];
    const atAlice = nextEvent<wire.NewMessagePayload>(alice, 'new-message');
    const atBob = nextEvent<wire.NewMessagePayload>(bob, 'new-message');

    alice.emit('send-message', { conversationId: 'alice-bob', content: 'Hello!' });
    const message = await atBob;
    expect(message).toEqual({
      _id: expect.any(String),
      conversationId: 'alice-bob',
      sender: { _id: 'alice', username: 'alice' },
      content: 'Hello!',
      createdAt: expect.any(String),
    });
    expect(await atAlice).toEqual(message);
    expect(await latest('alice-bob')).toMatchObject({ id: message._id, content: 'Hello!' });
    await quietWindow();
    expect(elsewhere.map((l) => l.got)).toEqual([[], []]);
  });

  it("sends attachments that are the sender's uploads, and refuses any other id with NOT_FOUND", async () => {
    const { uploads } = t.server.domain;
    const file = (owner: string, name: string) =>
      uploads.register(owner, { filename: name, mimeType: 'image/png', size: 10, path: `${owner}/${name}` });
    const [mine1, mine2, bobs] = await Promise.all([
      file('alice', 'a.png'),
      file('alice', 'b.png'),
      file('bob', 'c.png'),
    ]);
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(bob, 'join-conversation', { conversationId: 'alice-bob' });
    const atBob = nextEvent<wire.NewMessagePayload>(bob, 'new-message');
    alice.emit('send-message', {
      conversationId: 'alice-bob',
      content: 'Check this out!',
      attachments: [mine1.id, mine2.id],
    });
    expect(await atBob).toMatchObject({ content: 'Check this out!', attachments: [mine1.id, mine2.id] });

    const before = await latest('alice-bob');
    for (const attachments of [[bobs.id], [mine1.id, 'file-id-404']]) {
      const error = await errorOf(alice, 'send-message', {
        conversationId: 'alice-bob',
        content: 'x',
        attachments,
      });
      expect(error).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/not a file you uploaded/),
      });
    }
    const tooMany = Array.from({ length: 11 }, (_, i) => `file-${i}`);
    expect(
      await errorOf(alice, 'send-message', {
        conversationId: 'alice-bob',
        content: 'x',
        attachments: tooMany,
      }),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await latest('alice-bob')).toEqual(before);
  });

  it('refuses join-conversation and send-message to a non-participant, an unknown conversation and a bad payload', async () => {
    const [alice, carol] = await Promise.all([connect('alice'), connect('carol')]);
    await send(alice, 'join-conversation', { conversationId: 'alice-bob' });
    const atAlice = collect(alice, 'new-message');
    const before = await latest('alice-bob');

    expect(await errorOf(carol, 'join-conversation', { conversationId: 'alice-bob' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await errorOf(carol, 'send-message', { conversationId: 'alice-bob', content: 'hi' }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await errorOf(carol, 'join-conversation', { conversationId: 'conv-404' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await errorOf(carol, 'send-message', { conversationId: 'conv-404', content: 'hi' })).toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    expect(await errorOf(carol, 'join-conversation', { conversationId: '' })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(
      await errorOf(alice, 'send-message', { conversationId: 'alice-bob', content: 'x'.repeat(5001) }),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(
      await errorOf(alice, 'send-message', { conversationId: 'alice-bob', content: 'hi', extra: 1 }),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await errorOf(alice, 'leave-conversation', { conversationId: 7 })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });

    // The refused socket is not subscribed: a message alice sends does not reach carol.
    const atCarol = collect(carol, 'new-message');
    const own = nextEvent(alice, 'new-message');
    alice.emit('send-message', { conversationId: 'alice-bob', content: 'only for us' });
    await own;
    await quietWindow();
    expect(atCarol.got).toEqual([]);
    expect(atAlice.got).toHaveLength(1);
    expect((await latest('alice-bob'))?.id).not.toBe(before?.id);
  });

  it("leave-conversation stops the socket's updates; the user stays a participant", async () => {
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(alice, 'join-conversation', { conversationId: 'alice-bob' });
    await send(bob, 'join-conversation', { conversationId: 'alice-bob' });
    await send(alice, 'leave-conversation', { conversationId: 'alice-bob' });
    // Leaving again, or leaving one never joined, is no error.
    const errors = collect(alice, 'error');
    await send(alice, 'leave-conversation', { conversationId: 'alice-bob' });
    await send(alice, 'leave-conversation', { conversationId: 'general' });

    const atAlice = collect(alice, 'new-message');
    const atBob = nextEvent<wire.NewMessagePayload>(bob, 'new-message');
    alice.emit('send-message', { conversationId: 'alice-bob', content: 'sent after leaving' });
    expect((await atBob).content).toBe('sent after leaving');
    await quietWindow();
    expect(atAlice.got).toEqual([]);
    expect(errors.got).toEqual([]);
  });
});

describe('/chatterbox: typing, mark-read, heartbeat', () => {
  it('tells the conversation who types and stops, not the typist, nor a socket that did not join', async () => {
    const [alice, aliceTab, bob, bobIdle] = await Promise.all([
      connect('alice'),
      connect('alice'),
      connect('bob'),
      connect('bob'),
    ]);
    for (const socket of [alice, aliceTab, bob])
      await send(socket, 'join-conversation', { conversationId: 'alice-bob' });
    const notTold = [
      collect(aliceTab, 'user-typing'),
      collect(bobIdle, 'user-typing'),
      collect(alice, 'user-typing'),
    ];
    const typist = { conversationId: 'alice-bob', userId: 'alice', username: 'alice' };

    const typing = nextEvent(bob, 'user-typing');
    alice.emit('typing', { conversationId: 'alice-bob' });
    expect(await typing).toEqual(typist);
    // Every `typing` is announced, also a repeat.
    const again = nextEvent(bob, 'user-typing');
    alice.emit('typing', { conversationId: 'alice-bob' });
    expect(await again).toEqual(typist);

    const stopped = nextEvent(bob, 'user-stop-typing');
    alice.emit('stop-typing', { conversationId: 'alice-bob' });
    expect(await stopped).toEqual(typist);
    // Stopping when not typing says nothing.
    const none = expectQuiet(bob, 'user-stop-typing');
    await send(alice, 'stop-typing', { conversationId: 'alice-bob' });
    await none.verify();
    expect(notTold.map((l) => l.got)).toEqual([[], [], []]);
  });

  it('refuses typing and stop-typing from a non-participant, for an unknown conversation, and bad payloads', async () => {
    const [bob, carol] = await Promise.all([connect('bob'), connect('carol')]);
    await send(bob, 'join-conversation', { conversationId: 'alice-bob' });
    const atBob = collect(bob, 'user-typing');
    for (const event of ['typing', 'stop-typing']) {
      expect(await errorOf(carol, event, { conversationId: 'alice-bob' })).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await errorOf(carol, event, { conversationId: 'conv-404' })).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await errorOf(carol, event, {})).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await quietWindow();
    expect(atBob.got).toEqual([]);
  });

  it('marks messages read (stored, nothing emitted)', async () => {
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await send(alice, 'join-conversation', { conversationId: 'alice-bob' });
    const sent = nextEvent<wire.NewMessagePayload>(alice, 'new-message');
    alice.emit('send-message', { conversationId: 'alice-bob', content: 'read me' });
    const { _id } = await sent;
    const unread = async () => (await t.server.domain.receipts.unreadCounts('bob'))['alice-bob'] ?? 0;
    const before = await unread();
    const heard = [collect(alice, 'error'), collect(bob, 'error'), collect(alice, 'new-message')];

    await send(bob, 'mark-read', { conversationId: 'alice-bob', messageIds: [_id] });
    expect(await unread()).toBe(before - 1);
    await quietWindow();
    expect(heard.map((l) => l.got)).toEqual([[], [], []]);
  });

  it('refuses mark-read from a non-participant, for ids of another conversation, and a bad payload; marks nothing', async () => {
    const [alice, bob, carol] = await Promise.all([connect('alice'), connect('bob'), connect('carol')]);
    await send(alice, 'join-conversation', { conversationId: 'alice-bob' });
    const sent = nextEvent<wire.NewMessagePayload>(alice, 'new-message');
    alice.emit('send-message', { conversationId: 'alice-bob', content: 'unread' });
    const { _id } = await sent;
    const elsewhere = (await latest('general'))!;
    const unread = async () => (await t.server.domain.receipts.unreadCounts('bob'))['alice-bob'] ?? 0;
    const before = await unread();

    expect(
      await errorOf(carol, 'mark-read', { conversationId: 'alice-bob', messageIds: [_id] }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    const mixed = await errorOf(bob, 'mark-read', {
      conversationId: 'alice-bob',
      messageIds: [_id, elsewhere.id],
    });
    expect(mixed).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(elsewhere.id) });
    expect(
      await errorOf(bob, 'mark-read', { conversationId: 'conv-404', messageIds: ['msg-1'] }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await errorOf(bob, 'mark-read', { conversationId: 'alice-bob', messageIds: [] })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await unread()).toBe(before);
  });

  it('takes a heartbeat silently and keeps the user online; refuses a bad one', async () => {
    const alice = await connect('alice');
    const heard = [collect(alice, 'error'), collect(alice, 'presence:offline')];
    await send(alice, 'heartbeat', {});
    expect(await t.server.domain.presence.isOnline('alice')).toBe(true);
    const [server] = await t.server.io
      .of('/chatterbox')
      .fetchSockets()
      .then((all) => all.filter((s) => s.id === alice.id));
    expect(server?.data).toMatchObject({ lastHeartbeatAt: expect.any(String) });
    await quietWindow();
    expect(heard.map((l) => l.got)).toEqual([[], []]);
    expect(await errorOf(alice, 'heartbeat', { alive: true })).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('/chatterbox: presence', () => {
  it("announces a user's first socket and last disconnect to the others, never to the user", async () => {
    await t.server.domain.users.ensure('dave');
    const alice = await connect('alice');
    const online = collect<wire.PresenceOnlinePayload>(alice, 'presence:online');
    const offline = collect<wire.PresenceOfflinePayload>(alice, 'presence:offline');

    const dave = await connect('dave');
    const daveHears = collect(dave, 'presence:online');
    await until(() => online.got.some((p) => p.userId === 'dave'), 'presence:online for dave');
    expect(online.got.filter((p) => p.userId === 'dave')).toEqual([{ userId: 'dave', status: 'online' }]);

    const daveTab = await connect('dave');
    await closeSocket(daveTab);
    await quietWindow();
    expect(online.got.filter((p) => p.userId === 'dave')).toHaveLength(1);
    expect(offline.got.filter((p) => p.userId === 'dave')).toEqual([]);
    expect(daveHears.got.filter((p) => (p as { userId: string }).userId === 'dave')).toEqual([]);

    dave.disconnect();
    await until(() => offline.got.some((p) => p.userId === 'dave'), 'presence:offline for dave');
    expect(offline.got.filter((p) => p.userId === 'dave')).toEqual([
      { userId: 'dave', status: 'offline', lastSeen: expect.any(String) },
    ]);
  });
});

describe('/chatterbox: AI assistant', () => {
  /** Every ai-* event a socket receives from now on, in order. */
  function aiEvents(socket: Socket) {
    const got: [string, unknown][] = [];
    for (const event of ['ai-stream', 'ai-complete', 'ai-error'])
      socket.on(event, (p: unknown) => got.push([event, p]));
    return got;
  }

  it('streams the answer as ai-stream parts to the asking socket only, then ai-complete; stores nothing', async () => {
    const [alice, aliceTab, bob] = await Promise.all([connect('alice'), connect('alice'), connect('bob')]);
    for (const socket of [alice, aliceTab, bob])
      await send(socket, 'join-conversation', { conversationId: 'alice-bob' });
    const context = nextEvent(bob, 'new-message');
    alice.emit('send-message', { conversationId: 'alice-bob', content: 'We need an add function' });
    await context;
    const before = await latest('alice-bob');
    const elsewhere = [aiEvents(aliceTab), aiEvents(bob), collect(bob, 'new-message').got];
    const got = aiEvents(alice);
    const requests = fake.requests.length;

    fake.next({ stream: ['Sure! Here is ', 'a function', ' that adds.'] });
    const complete = nextEvent(alice, 'ai-complete');
    alice.emit('ai-message', { conversationId: 'alice-bob', content: 'Help me write a function' });
    expect(await complete).toEqual({
      conversationId: 'alice-bob',
      content: 'Sure! Here is a function that adds.',
    });
    expect(got).toEqual([
      ['ai-stream', { conversationId: 'alice-bob', content: 'Sure! Here is ' }],
      ['ai-stream', { conversationId: 'alice-bob', content: 'a function' }],
      ['ai-stream', { conversationId: 'alice-bob', content: ' that adds.' }],
      ['ai-complete', { conversationId: 'alice-bob', content: 'Sure! Here is a function that adds.' }],
    ]);

    // The endpoint got the model, the conversation as context and the question.
    const request = fake.requests[requests]!;
    expect(request.body.model).toBe('fake-model');
    expect(request.body.stream).toBe(true);
    expect(request.authorization).toBe(`Bearer ${KEY}`);
    const messages = request.body.messages ?? [];
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Help me write a function' });
    expect(messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('alice: We need an add function'),
    });

    await quietWindow();
    expect(elsewhere).toEqual([[], [], []]);
    expect(await latest('alice-bob')).toEqual(before);
  });

  it('ai-stop cancels the upstream request, answers ai-complete with what was streamed, and no part follows', async () => {
    const alice = await connect('alice');
    const parts = collect<wire.AiStreamPayload>(alice, 'ai-stream');
    const requests = fake.requests.length;
    fake.next({ stream: Array.from({ length: 100 }, (_, i) => `w${i} `), delayMs: 40 });
    const first = nextEvent(alice, 'ai-stream');
    alice.emit('ai-message', { conversationId: 'alice-bob', content: 'Tell me a long story' });
    await first;
    const request = fake.requests[requests]!;

    const complete = nextEvent<wire.AiCompletePayload>(alice, 'ai-complete');
    alice.emit('ai-stop', { conversationId: 'alice-bob' });
    const stopped = await complete;
    expect(stopped).toMatchObject({ conversationId: 'alice-bob', stopped: true });
    expect(stopped.content).toBe(parts.got.map((p) => p.content).join(''));
    expect(stopped.content.startsWith('w0 ')).toBe(true);

    await until(() => request.aborted, 'the upstream request aborted');
    await expectQuiet(alice, ['ai-stream', 'ai-complete', 'ai-error']).verify();
  });

  it('refuses a second question while an answer streams (CONFLICT); ai-stop with nothing streaming does nothing', async () => {
    const alice = await connect('alice');
    const requests = fake.requests.length;
    fake.next({ stream: Array.from({ length: 100 }, (_, i) => `w${i} `), delayMs: 40 });
    const first = nextEvent(alice, 'ai-stream');
    alice.emit('ai-message', { conversationId: 'alice-bob', content: 'first' });
    await first;
    const busy = await errorOf(
      alice,
      'ai-message',
      { conversationId: 'alice-bob', content: 'second' },
      'ai-error',
    );
    expect(busy).toEqual({
      code: 'CONFLICT',
      message: expect.stringMatching(/already streaming/),
      conversationId: 'alice-bob',
    });
    expect(fake.requests.length).toBe(requests + 1);
    const done = nextEvent(alice, 'ai-complete');
    alice.emit('ai-stop', { conversationId: 'alice-bob' });
    await done;

    const quiet = expectQuiet(alice, ['ai-complete', 'error']);
    await send(alice, 'ai-stop', { conversationId: 'alice-bob' });
    await send(alice, 'ai-stop', { conversationId: 'general' });
    await quiet.verify();
    expect(await errorOf(alice, 'ai-stop', {})).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('stops the upstream request when the asking socket disconnects', async () => {
    const alice = await connect('alice');
    const requests = fake.requests.length;
    fake.next({ stream: Array.from({ length: 100 }, (_, i) => `w${i} `), delayMs: 40 });
    const first = nextEvent(alice, 'ai-stream');
    alice.emit('ai-message', { conversationId: 'alice-bob', content: 'long' });
    await first;
    const request = fake.requests[requests]!;
    alice.disconnect();
    await until(() => request.aborted, 'the upstream request aborted');
  });

  it('reports an upstream failure with ai-error, before or after some parts, and no ai-complete', async () => {
    const alice = await connect('alice');
    const completes = collect(alice, 'ai-complete');

    fake.next({ status: 500, body: JSON.stringify({ error: { message: 'model crashed' } }) });
    const failed = await errorOf(
      alice,
      'ai-message',
      { conversationId: 'alice-bob', content: 'hi' },
      'ai-error',
    );
    expect(failed).toEqual({
      code: 'INTERNAL',
      message: expect.stringMatching(/answered HTTP 500.*model crashed/),
      conversationId: 'alice-bob',
    });

    const parts = collect<wire.AiStreamPayload>(alice, 'ai-stream');
    fake.next({ raw: [sseChunk('half an '), 'data: {broken\n\n'] });
    const broken = nextEvent<WireError>(alice, 'ai-error');
    alice.emit('ai-message', { conversationId: 'alice-bob', content: 'hi again' });
    expect(await broken).toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/malformed stream/),
    });
    expect(parts.got).toEqual([{ conversationId: 'alice-bob', content: 'half an ' }]);
    await quietWindow();
    expect(completes.got).toEqual([]);
  });

  it('never shows the API key, in errors or logs, even when the endpoint echoes it', async () => {
    const alice = await connect('alice');
    const requests = fake.requests.length;
    fake.next({
      status: 401,
      body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }),
    });
    const failed = await errorOf(
      alice,
      'ai-message',
      { conversationId: 'alice-bob', content: 'hi' },
      'ai-error',
    );
    expect(failed.message).toMatch(/HTTP 401.*AI_API_KEY/);
    expect(failed.message).not.toContain(KEY);
    expect(fake.requests[requests]!.authorization).toBe(`Bearer ${KEY}`);
    const logged = logLines.join('');
    expect(logged).toContain('answered HTTP 401');
    expect(logged).not.toContain(KEY);
  });

  it('refuses a non-participant (FORBIDDEN), an unknown conversation (NOT_FOUND) and a bad payload on ai-error', async () => {
    const carol = await connect('carol');
    const requests = fake.requests.length;
    expect(
      await errorOf(carol, 'ai-message', { conversationId: 'alice-bob', content: 'spy' }, 'ai-error'),
    ).toMatchObject({ code: 'FORBIDDEN', conversationId: 'alice-bob' });
    expect(
      await errorOf(carol, 'ai-message', { conversationId: 'conv-404', content: 'hi' }, 'ai-error'),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf(carol, 'ai-message', { conversationId: 'general' }, 'ai-error')).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/content/),
    });
    expect(fake.requests.length).toBe(requests);
  });

  it('answers ai-error NOT_IMPLEMENTED, naming the variables to set, on a server without an AI endpoint', async () => {
    const bare = await startTestServer();
    try {
      const alice = await connect('alice', bare);
      const error = await errorOf(
        alice,
        'ai-message',
        { conversationId: 'alice-bob', content: 'hi' },
        'ai-error',
      );
      expect(error).toEqual({
        code: 'NOT_IMPLEMENTED',
        message: expect.stringMatching(
          /^No AI assistant is configured on this server.*AI_BASE_URL.*AI_MODEL/,
        ),
        conversationId: 'alice-bob',
      });
      await expectQuiet(alice, 'ai-complete').verify();
    } finally {
      await closeAll();
      await bare.close();
    }
  });
});

/**
 * The seed's "Complete Example", as the document prints it; changed only in its URL and token (and the two
 * functions' parameter types, which TypeScript needs). `console` is the test's, to read what it logs.
 */
function completeExample(url: string, token: string, console: { log: (...args: unknown[]) => void }) {
  const socket = io(url, {
    auth: { token },
  });

  // Connection events
  socket.on('connect', () => console.log('Connected'));
  socket.on('disconnect', (reason) => console.log('Disconnected:', reason));

  // Auth events
  socket.on('authenticated', () => console.log('Authenticated'));
  socket.on('unauthorized', (err) => console.log('Unauthorized:', err.message));

  // Messages
  socket.on('new-message', (message) => {
    console.log('New message:', message.content);
  });

  // Presence
  socket.on('presence:online', (data) => console.log('Online:', data.userId));
  socket.on('presence:offline', (data) => console.log('Offline:', data.userId));

  // Typing
  socket.on('user-typing', (data) => console.log('Typing:', data.username));

  // Send message
  function sendMessage(conversationId: string, content: string) {
    socket.emit('send-message', { conversationId, content });
  }

  // Join conversation
  function joinConversation(conversationId: string) {
    socket.emit('join-conversation', { conversationId });
  }

  return { socket, sendMessage, joinConversation };
}

describe("/chatterbox: the seed's Complete Example", () => {
  it('connects, is authenticated, receives messages, presence and typing, and sends', async () => {
    const logs: string[] = [];
    const log = { log: (...args: unknown[]) => logs.push(args.map(String).join(' ')) };
    const seen = (line: string) => until(() => logs.includes(line), `the example logs "${line}"`);
    const example = completeExample(
      `${t.server.url}/chatterbox`,
      await t.server.auth.issueToken!('alice'),
      log,
    );
    track(t, '/chatterbox', example.socket);

    await seen('Authenticated');
    expect(logs.slice(0, 2)).toEqual(['Connected', 'Authenticated']);

    // Join, then send at once, as a client of the seed would: the server keeps the socket's order.
    const bob = await connect('bob');
    await send(bob, 'join-conversation', { conversationId: 'alice-bob' });
    const atBob = nextEvent<wire.NewMessagePayload>(bob, 'new-message');
    example.joinConversation('alice-bob');
    example.sendMessage('alice-bob', 'Hello from the complete example');
    expect(await atBob).toMatchObject({
      content: 'Hello from the complete example',
      sender: { _id: 'alice' },
    });
    await seen('New message: Hello from the complete example');

    bob.emit('send-message', { conversationId: 'alice-bob', content: 'Hi alice' });
    await seen('New message: Hi alice');

    bob.emit('typing', { conversationId: 'alice-bob' });
    await seen('Typing: bob');
    bob.emit('stop-typing', { conversationId: 'alice-bob' });

    await t.server.domain.users.ensure('erin');
    const erin = await connect('erin');
    await seen('Online: erin');
    erin.disconnect();
    await seen('Offline: erin');

    expect(logs.filter((line) => line.startsWith('Unauthorized'))).toEqual([]);
    example.socket.disconnect();
    await seen('Disconnected: io client disconnect');
  });
});

describe('/chatterbox: one conversation, many dialects', () => {
  it('a message sent through /chatterbox reaches /messenger, and one sent through /messenger reaches /chatterbox', async () => {
    const alice = await connect('alice');
    await send(alice, 'join-conversation', { conversationId: 'alice-bob' });
    const bobSocket = await connectAs(t, '/messenger', 'bob');
    const bob = createMessengerClient(bobSocket, { validate: true });

    const atBob = nextEvent<{
      message: { content: string; sender: { _id: string } };
      conversationId: string;
    }>(bob.socket, 'receive_message');
    const own = nextEvent(alice, 'new-message');
    alice.emit('send-message', { conversationId: 'alice-bob', content: 'from chatterbox' });
    await own;
    expect(await atBob).toMatchObject({
      conversationId: 'alice-bob',
      message: { content: 'from chatterbox', sender: { _id: 'alice' } },
    });

    const atAlice = nextEvent<wire.NewMessagePayload>(alice, 'new-message');
    const ack = await bob.sendMessage({
      conversationId: 'alice-bob',
      content: 'from messenger',
      type: 'text',
    });
    expect(ack.success).toBe(true);
    expect(await atAlice).toMatchObject({
      conversationId: 'alice-bob',
      content: 'from messenger',
      sender: { _id: 'bob', username: 'bob' },
      ...(ack.success ? { _id: ack.message._id } : {}),
    });

    const typing = nextEvent(alice, 'user-typing');
    bob.typing({ conversationId: 'alice-bob', isTyping: true });
    expect(await typing).toEqual({ conversationId: 'alice-bob', userId: 'bob', username: 'bob' });
    const stopped = nextEvent(alice, 'user-stop-typing');
    bob.typing({ conversationId: 'alice-bob', isTyping: false });
    expect(await stopped).toEqual({ conversationId: 'alice-bob', userId: 'bob', username: 'bob' });
  });
});

describe('/chatterbox: the server side of all of the above', () => {
  it('logged no error: no handler failed, no emit was refused as off-contract', () => {
    const errors = logLines
      .map((line) => JSON.parse(line) as { level: number; msg?: string })
      .filter((entry) => entry.level >= 50);
    expect(errors).toEqual([]);
  });
});
