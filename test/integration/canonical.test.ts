/**
 * The canonical namespace `/` end to end: the generated typed client (validating every ack and event it
 * receives) against the reference server on port 0, with real sockets and a real SQLite file. Demo data: alice
 * and bob (members), carol (workspace admin, owner of #general), channel `general`, direct conversation
 * `alice-bob`.
 *
 * The machine is shared: arrivals get seconds, "nothing arrives" gets a 300 ms window.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CanonicalClient,
  type CanonicalServerListeners,
  createCanonicalClient,
} from '../../generated/canonical/client.gen.js';
import { createMessengerClient } from '../../generated/messenger/client.gen.js';
import {
  closeAll,
  closeSocket,
  collect,
  connectAs,
  connected,
  emitAck,
  expectQuiet,
  nextEvent,
  socketAs,
  startTestServer,
  type TestServer,
  until,
} from './kit.js';

type Events = CanonicalServerListeners;
type PayloadOf<E extends keyof Events> = Parameters<Events[E]>[0];
type Ack =
  | { ok: true; data: unknown }
  | { ok: false; error: { code: string; message: string; issues?: unknown } };

let t: TestServer;

const client = async (user: string, server: TestServer = t) =>
  createCanonicalClient(await connectAs(server, '/', user), { validate: true });

/** The next `event` on `c` that matches. */
const waitFor = <E extends keyof Events>(
  c: CanonicalClient,
  event: E,
  where?: (payload: PayloadOf<E>) => boolean,
) => nextEvent<PayloadOf<E>>(c, event, { where });

/** Records the matching `event`s on `c` from now on (`after()` reads them once the quiet window has passed). */
const gather = <E extends keyof Events>(
  c: CanonicalClient,
  event: E,
  where?: (payload: PayloadOf<E>) => boolean,
) => collect<PayloadOf<E>>(c, event, { where });

/** The data of a successful ack (fails the test with the error otherwise). */
function okData<A extends Ack>(ack: A): Extract<A, { ok: true }>['data'] {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return (ack as Extract<A, { ok: true }>).data;
}

/** The error of a failed ack, checked to carry `code`. */
function failure(ack: Ack, code: string) {
  expect(ack.ok, JSON.stringify(ack)).toBe(false);
  if (ack.ok) throw new Error('unreachable');
  expect(ack.error.code).toBe(code);
  expect(ack.error.message.length).toBeGreaterThan(0);
  return ack.error;
}

let unique = 0;
const uniqueName = (stem: string) => `${stem}-${Date.now().toString(36)}-${++unique}`;

/** An open channel owned by carol, with the given extra members. */
async function openChannel(carol: CanonicalClient, members: string[] = []) {
  return okData(await carol.roomCreate({ kind: 'channel', name: uniqueName('open'), members })).room;
}

beforeAll(async () => {
  // Generous limits: the rate limit has its own server below; here tests must not trip over each other.
  t = await startTestServer({
    domain: {
      rateLimits: {
        message: { burst: 1000, perSecond: 1000 },
        typing: { burst: 1000, perSecond: 1000 },
        reaction: { burst: 1000, perSecond: 1000 },
        call: { burst: 1000, perSecond: 1000 },
        broadcast: { burst: 1000, perSecond: 1000 },
      },
    },
  });
});
afterAll(async () => {
  await closeAll();
  await t.close();
});

describe('/: handshake and session', () => {
  it.each([
    ['no token', undefined],
    ['a token with a bad signature', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'],
  ])('refuses %s with connect_error UNAUTHENTICATED', async (_name, token) => {
    const error = (await connectAs(t, '/', null, { token }).catch((e: unknown) => e)) as Error & {
      data?: { code: string; message: string };
    };
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^Authentication error/);
    expect(error.data).toEqual({ code: 'UNAUTHENTICATED', message: error.message });
  });

  it('greets an accepted socket with session:ready before any other event: profile, rooms, unread counts', async () => {
    const socket = await socketAs(t, '/', 'alice');
    const events: string[] = [];
    socket.onAny((event: string) => events.push(event));
    const ready = new Promise<PayloadOf<'session:ready'>>((resolve) => socket.once('session:ready', resolve));
    await connected(socket);
    const payload = await ready;
    expect(events[0]).toBe('session:ready');
    expect(payload.user).toMatchObject({
      id: 'alice',
      username: 'alice',
      displayName: 'Alice',
      role: 'member',
    });
    expect(payload.user.status).toBe('online');
    const rooms = new Map(payload.rooms.map((entry) => [entry.room.id, entry]));
    expect(rooms.get('general')).toMatchObject({
      room: { kind: 'channel', name: 'general' },
      role: 'member',
    });
    expect(rooms.get('alice-bob')).toMatchObject({ room: { kind: 'direct', private: true } });
    const unread = await t.server.domain.receipts.unreadCounts('alice');
    for (const entry of payload.rooms) expect(entry.unreadCount).toBe(unread[entry.room.id] ?? 0);
    expect(Math.abs(Date.parse(payload.serverTime) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses the connection with INTERNAL when the welcome cannot be built, and leaves the user offline', async () => {
    await t.server.domain.users.ensure('grace');
    const receipts = t.server.domain.receipts;
    const spy = vi.spyOn(receipts, 'unreadCounts').mockRejectedValueOnce(new Error('disk on fire'));
    try {
      const error = await connected(await socketAs(t, '/', 'grace')).then(
        () => undefined,
        (e: Error & { data?: unknown }) => e,
      );
      expect(error?.data).toEqual({
        code: 'INTERNAL',
        message: 'The server could not open the session; try again',
      });
      expect(await t.server.domain.presence.isOnline('grace')).toBe(false);
    } finally {
      spy.mockRestore();
    }
    // The next attempt, with the store answering again, is welcomed.
    const socket = await socketAs(t, '/', 'grace');
    const ready = new Promise<PayloadOf<'session:ready'>>((resolve) => socket.once('session:ready', resolve));
    await connected(socket);
    expect((await ready).user.id).toBe('grace');
  });

  it('takes the token from the query string too', async () => {
    const socket = await socketAs(t, '/', 'bob', { via: 'query' });
    const ready = new Promise<PayloadOf<'session:ready'>>((resolve) => socket.once('session:ready', resolve));
    await connected(socket);
    expect((await ready).user.id).toBe('bob');
  });
});

describe('/: system and errors', () => {
  it('answers system:ping with the server time', async () => {
    const alice = await client('alice');
    const { serverTime } = okData(await alice.systemPing());
    expect(Math.abs(Date.parse(serverTime) - Date.now())).toBeLessThan(60_000);
  });

  it('answers an event it does not know with the error event, and with a failed ack when one is asked for', async () => {
    const alice = await client('alice');
    const error = waitFor(alice, 'error', (e) => e.event === 'chat:send');
    (alice.socket as unknown as Socket).emit('chat:send');
    expect(await error).toMatchObject({ code: 'VALIDATION_FAILED', event: 'chat:send', issues: [] });
    const ack = (await emitAck(alice.socket, 'chat:send', {})) as Ack;
    expect(failure(ack, 'VALIDATION_FAILED').message).toMatch(/unknown event "chat:send"/);
  });

  it('reports a failed command sent without an ack callback with the error event', async () => {
    const carol = await client('carol');
    const error = waitFor(carol, 'error', (e) => e.event === 'message:send');
    (carol.socket as unknown as Socket).emit('message:send', { roomId: 'alice-bob', content: 'hi' });
    expect(await error).toMatchObject({ code: 'FORBIDDEN', event: 'message:send' });
  });
});

describe('/: invalid payloads', () => {
  let alice: CanonicalClient;
  beforeAll(async () => {
    alice = await client('alice');
  });

  // Every command that takes a payload, with one that breaks its schema and where the issue is.
  it.each<[event: string, payload: unknown, path: (string | number)[] | null]>([
    ['room:create', {}, ['kind']],
    ['room:update', {}, ['roomId']],
    ['room:join', {}, ['roomId']],
    ['room:join_many', { roomIds: [] }, ['roomIds']],
    ['room:leave', { roomId: '' }, ['roomId']],
    ['room:members', { roomId: 5 }, ['roomId']],
    ['message:send', { roomId: 'general' }, ['content']],
    ['message:edit', { messageId: 'msg_1' }, ['content']],
    ['message:delete', {}, ['messageId']],
    ['message:forward', { messageId: 'msg_1' }, ['targetRoomId']],
    ['message:history', { roomId: 'general', before: -1 }, ['before']],
    ['message:catch_up', {}, ['cursor']],
    ['reaction:add', { messageId: 'msg_1', emoji: '' }, ['emoji']],
    ['reaction:remove', { messageId: 'msg_1' }, ['emoji']],
    ['receipt:mark_read', {}, null],
    ['typing:start', {}, ['roomId']],
    ['typing:stop', { roomId: 'general', extra: true }, null],
    ['presence:set', { status: 'asleep' }, ['status']],
    ['file:announce', { roomId: 'general' }, ['uploadId']],
    ['broadcast:send', { message: '' }, ['message']],
    ['call:invite', { targetUserId: 'bob', callType: 'audio' }, ['offer']],
    ['call:accept', { callId: 'call_1' }, ['answer']],
    ['call:reject', {}, ['callId']],
    ['call:end', {}, ['callId']],
    ['call:ice', { callId: 'call_1' }, ['candidate']],
    ['ai:ask', { prompt: '' }, ['prompt']],
    ['ai:stop', {}, ['streamId']],
  ])('%s: VALIDATION_FAILED with the issues, and the socket keeps working', async (event, payload, path) => {
    const raw = alice.socket as unknown as Socket;
    const ack = (await raw.timeout(3000).emitWithAck(event, payload)) as Ack;
    const error = failure(ack, 'VALIDATION_FAILED');
    expect(error.message).toContain(`invalid payload for "${event}"`);
    expect(Array.isArray(error.issues) && error.issues.length > 0).toBe(true);
    if (path) expect(error.issues).toContainEqual(expect.objectContaining({ path }));
    okData(await alice.systemPing());
  });
});

describe('/: rooms', () => {
  let alice: CanonicalClient;
  let bob: CanonicalClient;
  let bobTab: CanonicalClient;
  let carol: CanonicalClient;
  beforeAll(async () => {
    [alice, bob, bobTab, carol] = await Promise.all([
      client('alice'),
      client('bob'),
      client('bob'),
      client('carol'),
    ]);
  });

  it('creates a private channel: owner, members subscribed and told, outsiders not', async () => {
    const name = uniqueName('support');
    const isIt = (e: PayloadOf<'room:member_joined'>) => e.room.name === name;
    const atBob = gather(bob, 'room:member_joined', isIt);
    const atAlice = gather(alice, 'room:member_joined', isIt);
    const atCarol = gather(carol, 'room:member_joined', isIt);
    const { room, created } = okData(
      await alice.roomCreate({
        kind: 'channel',
        name,
        description: 'Support',
        private: true,
        members: ['bob'],
      }),
    );
    expect(created).toBe(true);
    expect(room).toMatchObject({ kind: 'channel', name, private: true, createdBy: 'alice', topic: null });
    // One member_joined per member, to every member's sockets.
    await until(() => atBob.got.length >= 2 && atAlice.got.length >= 2, 'two member_joined at bob and alice');
    expect((await atBob.after()).map((e) => e.user.id).sort()).toEqual(['alice', 'bob']);
    expect((await atAlice.after()).map((e) => e.user.id).sort()).toEqual(['alice', 'bob']);
    expect(await atCarol.after()).toEqual([]);
    const owner = (await t.server.domain.rooms.members('alice', room.id)).find((m) => m.user.id === 'alice');
    expect(owner?.membership.role).toBe('owner');

    // Bob's sockets were subscribed: a message reaches both of his tabs and not carol.
    const isHello = (e: PayloadOf<'message:created'>) => e.roomId === room.id;
    const bobGets = waitFor(bob, 'message:created', isHello);
    const bobTabGets = waitFor(bobTab, 'message:created', isHello);
    const carolGets = gather(carol, 'message:created', isHello);
    okData(await alice.messageSend({ roomId: room.id, content: 'welcome to support' }));
    expect((await bobGets).message.content).toBe('welcome to support');
    expect((await bobTabGets).message.content).toBe('welcome to support');
    expect(await carolGets.after()).toEqual([]);
  });

  it('returns the existing direct conversation, and refuses a taken name or an invalid kind', async () => {
    const direct = okData(await alice.roomCreate({ kind: 'direct', members: ['bob'] }));
    expect(direct).toMatchObject({ created: false, room: { id: 'alice-bob' } });
    failure(await alice.roomCreate({ kind: 'channel', name: 'general' }), 'CONFLICT');
    const raw = (await emitAck(alice.socket, 'room:create', {
      kind: 'bogus',
      name: 'x',
    })) as Ack;
    const error = failure(raw, 'VALIDATION_FAILED');
    expect(error.issues).toEqual([expect.objectContaining({ path: ['kind'] })]);
  });

  it('lets room admins update a room and tells its members; members may not', async () => {
    failure(await alice.roomUpdate({ roomId: 'general', name: 'random' }), 'FORBIDDEN');
    const topic = uniqueName('topic');
    const atAlice = waitFor(alice, 'room:updated', (e) => e.changes.topic === topic);
    const atBob = waitFor(bob, 'room:updated', (e) => e.changes.topic === topic);
    const data = okData(await carol.roomUpdate({ roomId: 'general', topic }));
    expect(data.changes).toEqual({ topic });
    expect(data.room.topic).toBe(topic);
    const event = await atAlice;
    expect(event).toMatchObject({ roomId: 'general', room: { topic }, updatedBy: { id: 'carol' } });
    await atBob;
    // The same value again changes nothing and tells nobody.
    const quiet = gather(bob, 'room:updated', (e) => e.roomId === 'general');
    expect(okData(await carol.roomUpdate({ roomId: 'general', topic })).changes).toEqual({});
    expect(await quiet.after()).toEqual([]);
  });

  it("joins an open room: every one of the joiner's tabs is subscribed and the members are told once", async () => {
    const room = await openChannel(carol);
    const atCarol = waitFor(carol, 'room:member_joined', (e) => e.roomId === room.id && e.user.id === 'bob');
    const atBobTab = waitFor(bobTab, 'room:member_joined', (e) => e.roomId === room.id);
    const joined = okData(await bob.roomJoin({ roomId: room.id }));
    expect(joined).toMatchObject({ room: { id: room.id }, role: 'member', joined: true });
    expect(await atCarol).toMatchObject({ role: 'member', room: { id: room.id } });
    await atBobTab;
    const atOtherTab = waitFor(bobTab, 'message:created', (e) => e.roomId === room.id);
    okData(await carol.messageSend({ roomId: room.id, content: 'hi bob' }));
    expect((await atOtherTab).message.content).toBe('hi bob');
    // Joining again changes nothing and tells nobody.
    const quiet = gather(carol, 'room:member_joined', (e) => e.roomId === room.id);
    expect(okData(await bob.roomJoin({ roomId: room.id })).joined).toBe(false);
    expect(await quiet.after()).toEqual([]);
  });

  it('refuses to join a private room or a missing one', async () => {
    failure(await carol.roomJoin({ roomId: 'alice-bob' }), 'FORBIDDEN');
    failure(await carol.roomJoin({ roomId: 'no-such-room' }), 'NOT_FOUND');
    const members = await t.server.domain.rooms.members('alice', 'alice-bob');
    expect(members.map((m) => m.user.id).sort()).toEqual(['alice', 'bob']);
  });

  it('joins several rooms all or none', async () => {
    const room = await openChannel(carol);
    const data = okData(await bob.roomJoinMany({ roomIds: ['general', room.id] }));
    expect(data.rooms.map((r) => [r.room.id, r.joined])).toEqual([
      ['general', false],
      [room.id, true],
    ]);
    const other = await openChannel(alice);
    failure(await carol.roomJoinMany({ roomIds: [other.id, 'alice-bob'] }), 'FORBIDDEN');
    expect(await t.server.domain.store.getMembership(other.id, 'carol')).toBeUndefined();
  });

  it('leaves a room: members are told, the leaver hears nothing more; a direct conversation cannot be left', async () => {
    const room = await openChannel(carol, ['bob']);
    const atCarol = waitFor(carol, 'room:member_left', (e) => e.roomId === room.id);
    const atBobTab = waitFor(bobTab, 'room:member_left', (e) => e.roomId === room.id);
    expect(okData(await bob.roomLeave({ roomId: room.id }))).toEqual({ roomId: room.id, left: true });
    expect(await atCarol).toMatchObject({ user: { id: 'bob' } });
    await atBobTab;
    const quiet = gather(bobTab, 'message:created', (e) => e.roomId === room.id);
    okData(await carol.messageSend({ roomId: room.id, content: 'bob is gone' }));
    expect(await quiet.after()).toEqual([]);
    expect(okData(await bob.roomLeave({ roomId: room.id })).left).toBe(false);
    failure(await bob.roomLeave({ roomId: 'alice-bob' }), 'FORBIDDEN');
  });

  it('leaves every room but direct conversations', async () => {
    await t.server.domain.users.ensure('dave');
    const dave = await client('dave');
    const [one, two] = [await openChannel(carol), await openChannel(carol)];
    okData(await dave.roomJoinMany({ roomIds: [one!.id, two!.id] }));
    const left = waitFor(carol, 'room:member_left', (e) => e.roomId === two!.id && e.user.id === 'dave');
    const { roomIds } = okData(await dave.roomLeaveAll());
    expect(roomIds).toEqual(expect.arrayContaining([one!.id, two!.id]));
    await left;
    expect(okData(await dave.roomList()).rooms).toEqual([]);
  });

  it('lists members with role and presence, for those who may see the room', async () => {
    const { members } = okData(await alice.roomMembers({ roomId: 'alice-bob' }));
    expect(members.map((m) => [m.user.id, m.role, m.status])).toEqual([
      ['alice', 'owner', 'online'],
      ['bob', 'member', 'online'],
    ]);
    failure(await carol.roomMembers({ roomId: 'alice-bob' }), 'FORBIDDEN');
  });

  it("lists the user's rooms with unread counts", async () => {
    const { rooms } = okData(await bob.roomList());
    const ids = rooms.map((r) => r.room.id);
    expect(ids).toEqual(expect.arrayContaining(['general', 'alice-bob']));
    const unread = await t.server.domain.receipts.unreadCounts('bob');
    for (const entry of rooms) expect(entry.unreadCount).toBe(unread[entry.room.id] ?? 0);
  });
});

describe('/: messages', () => {
  let alice: CanonicalClient;
  let aliceTab: CanonicalClient;
  let bob: CanonicalClient;
  let carol: CanonicalClient;
  beforeAll(async () => {
    [alice, aliceTab, bob, carol] = await Promise.all([
      client('alice'),
      client('alice'),
      client('bob'),
      client('carol'),
    ]);
  });

  it("stores a message before acking it and tells the room, the sender's tabs included, nobody else", async () => {
    const content = uniqueName('hello');
    const is = (e: PayloadOf<'message:created'>) => e.message.content === content;
    const atBob = waitFor(bob, 'message:created', is);
    const atTab = waitFor(aliceTab, 'message:created', is);
    const atCarol = gather(carol, 'message:created', is);
    const { message, duplicate } = okData(await alice.messageSend({ roomId: 'alice-bob', content }));
    expect(duplicate).toBe(false);
    expect(message).toMatchObject({
      roomId: 'alice-bob',
      content,
      type: 'text',
      sender: { id: 'alice', displayName: 'Alice' },
      replyToId: null,
      attachments: [],
      reactions: [],
      editedAt: null,
      deletedAt: null,
    });
    expect((await t.server.domain.messages.get('alice', message.id)).content).toBe(content);
    expect(await atBob).toEqual({ roomId: 'alice-bob', message });
    expect(await atTab).toEqual({ roomId: 'alice-bob', message });
    expect(await atCarol.after()).toEqual([]);
  });

  it('makes a retried send idempotent: one stored message, one announcement, the same message acked', async () => {
    const clientMessageId = `cm-${uniqueName('retry')}`;
    const before = await t.server.domain.messages.history('alice', 'alice-bob', { limit: 100 });
    const announced = gather(bob, 'message:created', (e) => e.message.clientMessageId === clientMessageId);
    const first = okData(await alice.messageSend({ roomId: 'alice-bob', content: 'once', clientMessageId }));
    const second = okData(await alice.messageSend({ roomId: 'alice-bob', content: 'once', clientMessageId }));
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.message).toEqual(first.message);
    await until(() => announced.got.length >= 1, 'the announcement');
    expect(await announced.after()).toHaveLength(1);
    const after = await t.server.domain.messages.history('alice', 'alice-bob', { limit: 100 });
    expect(after.messages.length).toBe(Math.min(100, before.messages.length + 1));
    expect(after.messages.filter((m) => m.clientMessageId === clientMessageId)).toHaveLength(1);
    // The same key for another room is a conflict, not a silent success.
    failure(await alice.messageSend({ roomId: 'general', content: 'once', clientMessageId }), 'CONFLICT');
  });

  it('refuses a non-member and stores nothing', async () => {
    const before = await t.server.domain.messages.history('alice', 'alice-bob', { limit: 1 });
    const quiet = gather(bob, 'message:created', (e) => e.message.content === 'sneaky');
    failure(await carol.messageSend({ roomId: 'alice-bob', content: 'sneaky' }), 'FORBIDDEN');
    expect(await quiet.after()).toEqual([]);
    const after = await t.server.domain.messages.history('alice', 'alice-bob', { limit: 1 });
    expect(after.messages[0]?.id).toBe(before.messages[0]?.id);
  });

  it('answers invalid payloads with VALIDATION_FAILED and the issues', async () => {
    const raw = alice.socket as unknown as Socket;
    const bad = (await raw
      .timeout(3000)
      .emitWithAck('message:send', { roomId: 'general', type: 'video' })) as Ack;
    const error = failure(bad, 'VALIDATION_FAILED');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['content'] }),
        expect.objectContaining({ path: ['type'] }),
      ]),
    );
    const empty = failure(await alice.messageSend({ roomId: 'general', content: '' }), 'VALIDATION_FAILED');
    expect(empty.issues).toEqual([{ path: ['content'], message: 'must not be empty', code: 'custom' }]);
    const extra = (await raw
      .timeout(3000)
      .emitWithAck('message:send', { roomId: 'general', content: 'x', senderId: 'bob' })) as Ack;
    failure(extra, 'VALIDATION_FAILED');
  });

  it('attaches uploads of the sender, replies within the room, and refuses others', async () => {
    const upload = await t.server.domain.uploads.register('alice', {
      filename: 'server.log',
      mimeType: 'text/plain',
      size: 20480,
      path: 'test/server.log',
    });
    const [parent] = (await t.server.domain.messages.history('alice', 'general', { limit: 1 })).messages;
    const { message } = okData(
      await alice.messageSend({
        roomId: 'general',
        content: 'the logs',
        type: 'file',
        replyToId: parent!.id,
        attachments: [{ uploadId: upload.id }],
      }),
    );
    expect(message.replyToId).toBe(parent!.id);
    expect(message.attachments).toEqual([
      {
        uploadId: upload.id,
        url: `/api/uploads/${upload.id}?messageId=${message.id}`,
        type: 'file',
        filename: 'server.log',
        mimeType: 'text/plain',
        size: 20480,
      },
    ]);
    failure(
      await bob.messageSend({
        roomId: 'general',
        content: 'mine now',
        attachments: [{ uploadId: upload.id }],
      }),
      'FORBIDDEN',
    );
    failure(
      await alice.messageSend({ roomId: 'alice-bob', content: 'reply elsewhere', replyToId: parent!.id }),
      'VALIDATION_FAILED',
    );
  });

  it('lets only the sender edit, and tells the room', async () => {
    const { message } = okData(await alice.messageSend({ roomId: 'alice-bob', content: 'typo' }));
    failure(await bob.messageEdit({ messageId: message.id, content: 'hijacked' }), 'FORBIDDEN');
    const atBob = waitFor(bob, 'message:updated', (e) => e.message.id === message.id);
    const edited = okData(await alice.messageEdit({ messageId: message.id, content: 'fixed' })).message;
    expect(edited).toMatchObject({ id: message.id, content: 'fixed', seq: message.seq });
    expect(edited.editedAt).not.toBeNull();
    expect(edited.changeSeq).toBeGreaterThan(message.changeSeq);
    expect(await atBob).toEqual({ roomId: 'alice-bob', message: edited });
    expect((await t.server.domain.messages.get('bob', message.id)).content).toBe('fixed');
  });

  it('lets the sender or a room admin delete (soft), and nobody else', async () => {
    const { message } = okData(await alice.messageSend({ roomId: 'general', content: 'oops' }));
    failure(await bob.messageDelete({ messageId: message.id }), 'FORBIDDEN');
    const atAlice = waitFor(alice, 'message:deleted', (e) => e.message.id === message.id);
    const atBob = waitFor(bob, 'message:deleted', (e) => e.message.id === message.id);
    // carol owns #general.
    const deleted = okData(await carol.messageDelete({ messageId: message.id })).message;
    expect(deleted).toMatchObject({ content: 'This message was deleted', attachments: [] });
    expect(deleted.deletedAt).not.toBeNull();
    expect(await atAlice).toEqual({
      roomId: 'general',
      message: deleted,
      deletedBy: expect.objectContaining({ id: 'carol' }),
    });
    await atBob;
    const stored = await t.server.domain.messages.get('alice', message.id);
    expect(stored.deletedAt).not.toBeNull();
  });

  it('forwards a message into a room the user is in, and tells that room only', async () => {
    const { message: original } = okData(
      await carol.messageSend({ roomId: 'general', content: uniqueName('fwd') }),
    );
    const atBob = waitFor(bob, 'message:created', (e) => e.message.forwardedFromId === original.id);
    const atCarol = gather(carol, 'message:created', (e) => e.message.forwardedFromId === original.id);
    const { message: copy, duplicate } = okData(
      await alice.messageForward({ messageId: original.id, targetRoomId: 'alice-bob' }),
    );
    expect(duplicate).toBe(false);
    expect(copy).toMatchObject({ roomId: 'alice-bob', content: original.content, sender: { id: 'alice' } });
    expect(await atBob).toEqual({ roomId: 'alice-bob', message: copy });
    expect(await atCarol.after()).toEqual([]);
    failure(await carol.messageForward({ messageId: original.id, targetRoomId: 'alice-bob' }), 'FORBIDDEN');
  });

  it('pages history with cursors, both ways', async () => {
    const room = await openChannel(carol, ['alice']);
    const sent = [];
    for (let i = 1; i <= 5; i++)
      sent.push(okData(await alice.messageSend({ roomId: room.id, content: `m${i}` })).message);
    const seqs = sent.map((m) => m.seq);
    const contents = (page: { messages: { content: string }[] }) => page.messages.map((m) => m.content);

    const newest = okData(await bob.messageHistory({ roomId: room.id, limit: 2 }));
    expect(contents(newest)).toEqual(['m4', 'm5']);
    expect(newest).toMatchObject({ roomId: room.id, hasMore: true, cursor: seqs[3] });
    const older = okData(await bob.messageHistory({ roomId: room.id, before: newest.cursor!, limit: 2 }));
    expect(contents(older)).toEqual(['m2', 'm3']);
    expect(older).toMatchObject({ hasMore: true, cursor: seqs[1] });
    const oldest = okData(await bob.messageHistory({ roomId: room.id, before: older.cursor!, limit: 2 }));
    expect(contents(oldest)).toEqual(['m1']);
    expect(oldest).toMatchObject({ hasMore: false, cursor: seqs[0] });

    const forward = okData(await bob.messageHistory({ roomId: room.id, after: seqs[0], limit: 2 }));
    expect(contents(forward)).toEqual(['m2', 'm3']);
    expect(forward).toMatchObject({ hasMore: true, cursor: seqs[2] });
    const end = okData(await bob.messageHistory({ roomId: room.id, after: seqs[4] }));
    expect(end).toMatchObject({ messages: [], hasMore: false, cursor: seqs[4] });

    failure(await carol.messageHistory({ roomId: 'alice-bob' }), 'FORBIDDEN');
    const raw = (await emitAck(bob.socket, 'message:history', {
      roomId: room.id,
      limit: 101,
    })) as Ack;
    expect(failure(raw, 'VALIDATION_FAILED').issues).toEqual([expect.objectContaining({ path: ['limit'] })]);
  });

  it('catches up after a reconnect on everything created, edited or deleted meanwhile', async () => {
    const socket = await connectAs(t, '/', 'alice');
    const { message: old } = okData(
      await bob.messageSend({ roomId: 'alice-bob', content: 'before the tunnel' }),
    );
    const { message: doomed } = okData(await bob.messageSend({ roomId: 'alice-bob', content: 'soon gone' }));
    // The client keeps the highest changeSeq it has seen.
    const cursor = Math.max(old.changeSeq, doomed.changeSeq);
    socket.disconnect();

    const { message: fresh } = okData(
      await bob.messageSend({ roomId: 'alice-bob', content: 'are you there?' }),
    );
    okData(await bob.messageEdit({ messageId: old.id, content: 'before the tunnel (edited)' }));
    okData(await bob.messageDelete({ messageId: doomed.id }));

    const back = createCanonicalClient(await connectAs(t, '/', 'alice'), { validate: true });
    const caught = okData(await back.messageCatchUp({ cursor }));
    expect(caught.messages.map((m) => m.id)).toEqual([fresh.id, old.id, doomed.id]);
    expect(caught.messages[1]).toMatchObject({ content: 'before the tunnel (edited)' });
    expect(caught.messages[2]?.deletedAt).not.toBeNull();
    expect(caught.hasMore).toBe(false);
    expect(caught.cursor).toBe(caught.messages.at(-1)!.changeSeq);
    const again = okData(await back.messageCatchUp({ cursor: caught.cursor }));
    expect(again).toEqual({ messages: [], cursor: caught.cursor, hasMore: false });
    // Pages: one at a time, hasMore until the end.
    const first = okData(await back.messageCatchUp({ cursor, limit: 1 }));
    expect(first).toMatchObject({ hasMore: true, cursor: fresh.changeSeq });
  });
});

describe('/: reactions, receipts, typing', () => {
  let alice: CanonicalClient;
  let aliceTab: CanonicalClient;
  let bob: CanonicalClient;
  let carol: CanonicalClient;
  beforeAll(async () => {
    [alice, aliceTab, bob, carol] = await Promise.all([
      client('alice'),
      client('alice'),
      client('bob'),
      client('carol'),
    ]);
  });

  it('adds and removes reactions once per user and emoji, with counts to the room', async () => {
    const { message } = okData(await bob.messageSend({ roomId: 'alice-bob', content: 'react to me' }));
    const added = waitFor(bob, 'reaction:updated', (e) => e.messageId === message.id && e.action === 'added');
    const result = okData(await alice.reactionAdd({ messageId: message.id, emoji: '👍' }));
    expect(result).toEqual({
      roomId: 'alice-bob',
      messageId: message.id,
      changed: true,
      reactions: [{ emoji: '👍', count: 1, userIds: ['alice'] }],
    });
    expect(await added).toEqual({
      roomId: 'alice-bob',
      messageId: message.id,
      userId: 'alice',
      emoji: '👍',
      action: 'added',
      reactions: [{ emoji: '👍', count: 1, userIds: ['alice'] }],
    });
    const quiet = gather(bob, 'reaction:updated', (e) => e.messageId === message.id);
    expect(okData(await alice.reactionAdd({ messageId: message.id, emoji: '👍' })).changed).toBe(false);
    expect(await quiet.after()).toEqual([]);
    const removed = waitFor(
      bob,
      'reaction:updated',
      (e) => e.messageId === message.id && e.action === 'removed',
    );
    expect(okData(await alice.reactionRemove({ messageId: message.id, emoji: '👍' })).reactions).toEqual([]);
    expect((await removed).reactions).toEqual([]);
    failure(await carol.reactionAdd({ messageId: message.id, emoji: '👍' }), 'FORBIDDEN');
    const raw = (await emitAck(alice.socket, 'reaction:add', {
      messageId: message.id,
      emoji: 'two words',
    })) as Ack;
    failure(raw, 'VALIDATION_FAILED');
  });

  it('marks read up to a message or by ids, returns the unread count and tells the room', async () => {
    const one = okData(await alice.messageSend({ roomId: 'alice-bob', content: 'read one' })).message;
    const two = okData(await alice.messageSend({ roomId: 'alice-bob', content: 'read two' })).message;
    const byIds = waitFor(
      alice,
      'receipt:updated',
      (e) => e.userId === 'bob' && e.messageIds?.includes(one.id) === true,
    );
    const ack = okData(await bob.receiptMarkRead({ roomId: 'alice-bob', messageIds: [one.id] }));
    expect(ack.roomId).toBe('alice-bob');
    expect('upToMessageId' in (await byIds)).toBe(false);
    const before = ack.unreadCount;
    expect(before).toBeGreaterThanOrEqual(1);

    const upTo = waitFor(alice, 'receipt:updated', (e) => e.userId === 'bob' && e.upToMessageId === two.id);
    const tab = waitFor(aliceTab, 'receipt:updated', (e) => e.upToMessageId === two.id);
    expect(okData(await bob.receiptMarkRead({ roomId: 'alice-bob', upToMessageId: two.id }))).toEqual({
      roomId: 'alice-bob',
      unreadCount: 0,
    });
    const receipt = await upTo;
    expect(receipt.roomId).toBe('alice-bob');
    expect('messageIds' in receipt).toBe(false);
    await tab;
    expect((await t.server.domain.receipts.unreadCounts('bob'))['alice-bob']).toBe(0);

    failure(await carol.receiptMarkRead({ roomId: 'alice-bob' }), 'FORBIDDEN');
    const raw = (await emitAck(bob.socket, 'receipt:mark_read', {
      roomId: 'alice-bob',
      upToMessageId: two.id,
      messageIds: [one.id],
    })) as Ack;
    failure(raw, 'VALIDATION_FAILED');
  });

  it("tells the room's other members who is typing, not the typist's own tabs", async () => {
    const atBob = waitFor(bob, 'typing:updated', (e) => e.roomId === 'alice-bob' && e.users.length === 1);
    const atTab = gather(aliceTab, 'typing:updated', (e) => e.roomId === 'alice-bob');
    const atCarol = gather(carol, 'typing:updated', (e) => e.roomId === 'alice-bob');
    expect(okData(await alice.typingStart({ roomId: 'alice-bob' }))).toEqual({
      roomId: 'alice-bob',
      userIds: ['alice'],
    });
    expect((await atBob).users).toEqual([expect.objectContaining({ id: 'alice', displayName: 'Alice' })]);
    expect(await atTab.after()).toEqual([]);
    expect(await atCarol.after()).toEqual([]);
    const stopped = waitFor(bob, 'typing:updated', (e) => e.roomId === 'alice-bob' && e.users.length === 0);
    expect(okData(await alice.typingStop({ roomId: 'alice-bob' })).userIds).toEqual([]);
    await stopped;
    failure(await carol.typingStart({ roomId: 'alice-bob' }), 'FORBIDDEN');
    failure(await carol.typingStop({ roomId: 'alice-bob' }), 'FORBIDDEN');
  });
});

describe('/: presence, files, broadcasts', () => {
  let alice: CanonicalClient;
  let aliceTab: CanonicalClient;
  let bob: CanonicalClient;
  let carol: CanonicalClient;
  beforeAll(async () => {
    [alice, aliceTab, bob, carol] = await Promise.all([
      client('alice'),
      client('alice'),
      client('bob'),
      client('carol'),
    ]);
  });

  it('sets a status and tells every socket, the setter’s tabs included', async () => {
    const isBusy = (e: PayloadOf<'presence:updated'>) => e.userId === 'alice' && e.status === 'busy';
    const atBob = waitFor(bob, 'presence:updated', isBusy);
    const atTab = waitFor(aliceTab, 'presence:updated', isBusy);
    const { presence } = okData(
      await alice.presenceSet({ status: 'busy', statusMessage: 'Working on tickets' }),
    );
    expect(presence).toMatchObject({
      userId: 'alice',
      status: 'busy',
      statusMessage: 'Working on tickets',
      lastSeen: null,
    });
    expect(presence.connectionCount).toBeGreaterThanOrEqual(2);
    expect(await atBob).toEqual(presence);
    await atTab;
    okData(await alice.presenceSet({ status: 'online', statusMessage: null }));
    const raw = (await emitAck(alice.socket, 'presence:set', {
      status: 'asleep',
    })) as Ack;
    failure(raw, 'VALIDATION_FAILED');
  });

  it('answers who is online with connection counts, and announces first and last connections only', async () => {
    await t.server.domain.users.ensure('erin');
    const online = waitFor(carol, 'presence:updated', (e) => e.userId === 'erin' && e.status === 'online');
    const erin1 = await connectAs(t, '/', 'erin');
    expect(await online).toMatchObject({ connectionCount: 1, lastSeen: null });
    const erin2 = await connectAs(t, '/', 'erin');
    const { users } = okData(await carol.presenceQuery());
    expect(users.find((u) => u.userId === 'erin')).toMatchObject({ status: 'online', connectionCount: 2 });
    const quiet = expectQuiet(carol, 'presence:updated', {
      where: (e: { userId: string }) => e.userId === 'erin',
    });
    await closeSocket(erin1);
    await quiet.verify();
    const offline = waitFor(carol, 'presence:updated', (e) => e.userId === 'erin' && e.status === 'offline');
    erin2.disconnect();
    const event = await offline;
    expect(event.connectionCount).toBe(0);
    expect(Date.now() - Date.parse(event.lastSeen!)).toBeLessThan(10_000);
  });

  it('announces an uploaded file to the room, for the uploader only', async () => {
    const upload = await t.server.domain.uploads.register('bob', {
      filename: 'report.pdf',
      mimeType: 'application/pdf',
      size: 1234,
      path: 'test/report.pdf',
    });
    const atAlice = waitFor(alice, 'file:uploaded', (e) => e.fileName === 'report.pdf');
    const atCarol = gather(carol, 'file:uploaded', (e) => e.fileName === 'report.pdf');
    const { file } = okData(await bob.fileAnnounce({ roomId: 'alice-bob', uploadId: upload.id }));
    expect(file).toMatchObject({
      roomId: 'alice-bob',
      fileName: 'report.pdf',
      fileSize: 1234,
      fileType: 'application/pdf',
      messageId: null,
      uploadedBy: { id: 'bob' },
    });
    expect(await atAlice).toEqual(file);
    expect(await atCarol.after()).toEqual([]);
    failure(await alice.fileAnnounce({ roomId: 'alice-bob', uploadId: upload.id }), 'FORBIDDEN');
    const carols = await t.server.domain.uploads.register('carol', {
      filename: 'c.txt',
      mimeType: 'text/plain',
      size: 1,
      path: 'test/c.txt',
    });
    failure(await carol.fileAnnounce({ roomId: 'alice-bob', uploadId: carols.id }), 'FORBIDDEN');
  });

  it('announces files the chat core reports from elsewhere (the upload route, other namespaces)', async () => {
    const atBob = waitFor(bob, 'file:uploaded', (e) => e.fileName === 'from-http.png');
    await t.server.chat.fileUploaded('alice', {
      roomId: 'general',
      fileName: 'from-http.png',
      fileSize: 10,
      fileType: 'image/png',
      messageId: null,
    });
    expect(await atBob).toMatchObject({ roomId: 'general', uploadedBy: { id: 'alice' } });
  });

  it('lets workspace admins broadcast to everyone, and no one else', async () => {
    const text = uniqueName('maintenance');
    const is = (e: PayloadOf<'broadcast:received'>) => e.message === text;
    const arrivals = [alice, bob, carol].map((c) => waitFor(c, 'broadcast:received', is));
    const { broadcast } = okData(await carol.broadcastSend({ message: text, priority: 'high' }));
    expect(broadcast).toMatchObject({ message: text, priority: 'high', from: 'carol', fromName: 'Carol' });
    for (const arrival of arrivals) expect(await arrival).toEqual(broadcast);
    const quiet = gather(alice, 'broadcast:received', (e) => e.message === 'Free pizza!');
    failure(await bob.broadcastSend({ message: 'Free pizza!' }), 'FORBIDDEN');
    expect(await quiet.after()).toEqual([]);
  });
});

describe('/: calls', () => {
  let alice: CanonicalClient;
  let bob: CanonicalClient;
  let bobTab: CanonicalClient;
  let carol: CanonicalClient;
  beforeAll(async () => {
    [alice, bob, bobTab, carol] = await Promise.all([
      client('alice'),
      client('bob'),
      client('bob'),
      client('carol'),
    ]);
  });
  const offer = { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n' };
  const answer = { type: 'answer' as const, sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\n' };
  const candidate = {
    candidate: 'candidate:1 1 udp 1 192.0.2.10 5000 typ host',
    sdpMid: '0',
    sdpMLineIndex: 0,
  };

  it('rings every tab of the callee, relays answer and candidates, and ends for both', async () => {
    const ringing = [bob, bobTab].map((c) => waitFor(c, 'call:incoming', (e) => e.callerId === 'alice'));
    const notCarol = gather(carol, 'call:incoming');
    const { call } = okData(await alice.callInvite({ targetUserId: 'bob', callType: 'video', offer }));
    expect(call).toMatchObject({ callerId: 'alice', calleeId: 'bob', callType: 'video', state: 'ringing' });
    for (const ring of ringing) {
      expect(await ring).toEqual({
        callId: call.id,
        callerId: 'alice',
        calleeId: 'bob',
        caller: expect.objectContaining({ id: 'alice' }),
        callType: 'video',
        offer,
      });
    }
    expect(await notCarol.after()).toEqual([]);

    failure(await carol.callAccept({ callId: call.id, answer }), 'FORBIDDEN');
    failure(await alice.callAccept({ callId: call.id, answer }), 'FORBIDDEN');
    const accepted = waitFor(alice, 'call:accepted', (e) => e.callId === call.id);
    const stopRinging = waitFor(bobTab, 'call:accepted', (e) => e.callId === call.id);
    expect(okData(await bob.callAccept({ callId: call.id, answer })).call.state).toBe('accepted');
    expect(await accepted).toEqual({ callId: call.id, callerId: 'alice', calleeId: 'bob', answer });
    await stopRinging;

    const ice = [bob, bobTab].map((c) => waitFor(c, 'call:ice', (e) => e.callId === call.id));
    const notBack = gather(alice, 'call:ice', (e) => e.callId === call.id);
    expect(okData(await alice.callIce({ callId: call.id, candidate }))).toEqual({ callId: call.id });
    for (const relay of ice) {
      expect(await relay).toEqual({ callId: call.id, fromUserId: 'alice', toUserId: 'bob', candidate });
    }
    expect(await notBack.after()).toEqual([]);
    failure(await carol.callIce({ callId: call.id, candidate }), 'FORBIDDEN');

    failure(await alice.callInvite({ targetUserId: 'carol', callType: 'audio', offer }), 'CONFLICT');
    const ended = [alice, bobTab].map((c) => waitFor(c, 'call:ended', (e) => e.callId === call.id));
    expect(okData(await bob.callEnd({ callId: call.id })).call).toMatchObject({
      state: 'ended',
      endedBy: 'bob',
    });
    for (const end of ended) expect(await end).toMatchObject({ reason: 'ended', endedBy: 'bob' });
    failure(await alice.callEnd({ callId: call.id }), 'CONFLICT');
  });

  it('lets only the callee reject, and tells both', async () => {
    const { call } = okData(await alice.callInvite({ targetUserId: 'bob', callType: 'audio', offer }));
    failure(await alice.callReject({ callId: call.id }), 'FORBIDDEN');
    const rejected = waitFor(alice, 'call:rejected', (e) => e.callId === call.id);
    const otherTab = waitFor(bobTab, 'call:rejected', (e) => e.callId === call.id);
    expect(okData(await bob.callReject({ callId: call.id })).call.state).toBe('rejected');
    expect(await rejected).toEqual({ callId: call.id, callerId: 'alice', calleeId: 'bob' });
    await otherTab;
    failure(await bob.callAccept({ callId: call.id, answer }), 'CONFLICT');
  });

  it('refuses an invalid offer', async () => {
    const raw = (await emitAck(alice.socket, 'call:invite', {
      targetUserId: 'bob',
      callType: 'hologram',
      offer,
    })) as Ack;
    expect(failure(raw, 'VALIDATION_FAILED').issues).toEqual([
      expect.objectContaining({ path: ['callType'] }),
    ]);
  });
});

describe('/: the AI assistant without an endpoint', () => {
  it('answers ai:ask with NOT_IMPLEMENTED, and ai:stop of an unknown stream with stopped: false', async () => {
    const alice = await client('alice');
    expect(failure(await alice.aiAsk({ prompt: 'hello?' }), 'NOT_IMPLEMENTED').message).toMatch(
      /AI_BASE_URL/,
    );
    expect(okData(await alice.aiStop({ streamId: 'ai_nothing' }))).toEqual({
      streamId: 'ai_nothing',
      stopped: false,
    });
  });
});

describe('/: timers, rate limits and the assistant (a second server with short timers)', () => {
  let quick: TestServer;
  let ai: HttpServer;
  /** The requests the fake endpoint received. */
  const asked: { messages: { role: string; content: string }[] }[] = [];

  beforeAll(async () => {
    ai = await fakeAiEndpoint(asked);
    quick = await startTestServer({
      domain: {
        typingTtlMs: 300,
        ringTimeoutMs: 300,
        rateLimits: { message: { burst: 2, perSecond: 0.01 } },
      },
      ai: { baseUrl: `http://127.0.0.1:${(ai.address() as AddressInfo).port}/v1`, model: 'test-model' },
    });
  });
  afterAll(async () => {
    await quick?.close();
    ai?.closeAllConnections();
    await new Promise((resolve) => ai?.close(resolve));
  });

  it('expires a typing indicator that is not repeated', async () => {
    const [alice, bob] = [await client('alice', quick), await client('bob', quick)];
    const started = waitFor(bob, 'typing:updated', (e) => e.users.length === 1);
    const expired = waitFor(bob, 'typing:updated', (e) => e.roomId === 'alice-bob' && e.users.length === 0);
    okData(await alice.typingStart({ roomId: 'alice-bob' }));
    await started;
    // No typing:stop: the indicator ends by itself.
    expect((await expired).users).toEqual([]);
    expect(quick.server.domain.typing.typingIn('alice-bob')).toEqual([]);
  });

  it("ends a call when a party's last tab closes, for the other party", async () => {
    // Frank has no other tab anywhere (other tests leave alice's open).
    await quick.server.domain.users.ensure('frank');
    const [frank, bob] = [await client('frank', quick), await client('bob', quick)];
    const offer = { type: 'offer' as const, sdp: 'v=0\r\n' };
    const { call } = okData(await frank.callInvite({ targetUserId: 'bob', callType: 'audio', offer }));
    const ended = waitFor(bob, 'call:ended', (e) => e.callId === call.id);
    frank.socket.disconnect();
    expect(await ended).toEqual({
      callId: call.id,
      callerId: 'frank',
      calleeId: 'bob',
      reason: 'ended',
      endedBy: 'frank',
    });
    expect(quick.server.domain.calls.get(call.id)?.state).toBe('ended');
  });

  it('ends a call nobody answers as missed, for both parties', async () => {
    const [alice, bob] = [await client('alice', quick), await client('bob', quick)];
    const offer = { type: 'offer' as const, sdp: 'v=0\r\n' };
    const missed = [alice, bob].map((c) => waitFor(c, 'call:ended', (e) => e.reason === 'missed'));
    const { call } = okData(await alice.callInvite({ targetUserId: 'bob', callType: 'audio', offer }));
    for (const end of missed)
      expect(await end).toEqual({
        callId: call.id,
        callerId: 'alice',
        calleeId: 'bob',
        reason: 'missed',
        endedBy: null,
      });
  });

  it('refuses sends over the limit with RATE_LIMITED and rate_limit:exceeded to the sender, storing nothing', async () => {
    const [alice, bob] = [await client('alice', quick), await client('bob', quick)];
    okData(await alice.messageSend({ roomId: 'alice-bob', content: 'one' }));
    okData(await alice.messageSend({ roomId: 'alice-bob', content: 'two' }));
    const exceeded = waitFor(alice, 'rate_limit:exceeded');
    const quiet = gather(bob, 'message:created', (e) => e.message.content === 'three');
    failure(await alice.messageSend({ roomId: 'alice-bob', content: 'three' }), 'RATE_LIMITED');
    const info = await exceeded;
    expect(info).toMatchObject({ event: 'message:send', limit: 2, remaining: 0 });
    expect(info.retryAfterMs).toBeGreaterThan(0);
    expect(info.resetMs).toBeGreaterThanOrEqual(info.retryAfterMs);
    expect(await quiet.after()).toEqual([]);
  });

  it('streams an answer to the asking socket only, with the room as context', async () => {
    const [alice, aliceTab] = [await client('alice', quick), await client('alice', quick)];
    const chunks: PayloadOf<'ai:chunk'>[] = [];
    alice.on('ai:chunk', (c) => chunks.push(c));
    const done = waitFor(alice, 'ai:done');
    const elsewhere = gather(aliceTab, 'ai:chunk');
    const { streamId } = okData(await alice.aiAsk({ prompt: 'Say hello', roomId: 'alice-bob' }));
    expect(await done).toEqual({ streamId, content: 'Hello, Alice!', stopped: false });
    expect(chunks.map((c) => [c.streamId, c.index, c.delta])).toEqual([
      [streamId, 0, 'Hello'],
      [streamId, 1, ', Alice!'],
    ]);
    expect(await elsewhere.after()).toEqual([]);
    const request = asked.at(-1)!;
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: 'Say hello' });
    expect(request.messages[0]?.content).toMatch(/Hi Bob!/);
    failure(await (await client('carol', quick)).aiAsk({ prompt: 'spy', roomId: 'alice-bob' }), 'FORBIDDEN');
  });

  it('stops a streaming answer on ai:stop, for the asking socket only', async () => {
    const [alice, aliceTab] = [await client('alice', quick), await client('alice', quick)];
    const first = waitFor(alice, 'ai:chunk');
    const { streamId } = okData(await alice.aiAsk({ prompt: 'slow' }));
    await first;
    expect(okData(await aliceTab.aiStop({ streamId }))).toEqual({ streamId, stopped: false });
    const done = waitFor(alice, 'ai:done', (e) => e.streamId === streamId);
    expect(okData(await alice.aiStop({ streamId }))).toEqual({ streamId, stopped: true });
    expect(await done).toEqual({ streamId, content: 'Thinking', stopped: true });
    expect(okData(await alice.aiStop({ streamId })).stopped).toBe(false);
  });

  it('reports an endpoint failure with ai:error', async () => {
    const alice = await client('alice', quick);
    const failed = waitFor(alice, 'ai:error');
    const { streamId } = okData(await alice.aiAsk({ prompt: 'fail' }));
    expect(await failed).toMatchObject({
      streamId,
      code: 'INTERNAL',
      message: expect.stringMatching(/HTTP 500/),
    });
  });
});

describe('/ with --root', () => {
  it('serves the named dialect at / instead of the canonical protocol', async () => {
    const rooted = await startTestServer({ root: '/messenger' });
    try {
      const socket = await connectAs(rooted, '/', 'alice');
      const messenger = createMessengerClient(socket, { validate: true });
      const ack = await messenger.sendMessage({
        conversationId: 'alice-bob',
        content: 'old client',
        type: 'text',
      });
      expect(ack.success).toBe(true);
      const ping = (await emitAck(socket, 'system:ping')) as {
        success: boolean;
      };
      expect(ping.success).toBe(false);
    } finally {
      await rooted.close();
    }
  });
});

/**
 * An OpenAI-compatible streaming endpoint: answers `Hello, Alice!` in two parts; `slow` sends one part and
 * waits until the client goes away; `fail` answers HTTP 500.
 */
async function fakeAiEndpoint(
  asked: { messages: { role: string; content: string }[] }[],
): Promise<HttpServer> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const request = JSON.parse(body) as { messages: { role: string; content: string }[] };
      asked.push(request);
      const prompt = request.messages.at(-1)?.content ?? '';
      if (prompt === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'model crashed' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const part = (content: string) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;
      if (prompt === 'slow') {
        res.write(part('Thinking'));
        return; // never finishes; the client's abort closes it
      }
      res.write(part('Hello'));
      res.write(part(', Alice!'));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
