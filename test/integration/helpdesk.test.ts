/**
 * The `/helpdesk` dialect (seed 003) end to end: the reference server on port 0 with a real SQLite file and
 * real `socket.io-client` sockets. A socket connects without a token and signs in with `authenticate`.
 *
 * Demo data: alice and bob (members), carol (workspace admin), channel `general` (all three, carol its owner),
 * direct conversation `alice-bob`. Added here: channel `1` (open; carol), `secret` (private; carol, bob),
 * `ops` (carol owner, bob a channel admin, alice), `lobby` (bob owner, alice).
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../server/auth/index.js';
import { loadSeedData } from '../../server/store/index.js';
import { roomKey } from '../../server/transport/rooms.js';
import {
  closeAll,
  closeSocket,
  collect,
  connectAs,
  emitAck,
  expectQuiet,
  nextEvent,
  quietWindow,
  startTestServer,
  type TestServer,
  track,
  until,
} from './kit.js';

const NAMESPACE = '/helpdesk';

let t: TestServer;
const token = (user: string, server: TestServer = t) => server.server.auth.issueToken!(user);
const arrives = <T = unknown>(socket: Socket, event: string) => nextEvent<T>(socket, event);

/** A connected socket that has not authenticated. */
const anonymous = (server: TestServer = t) => connectAs(server, NAMESPACE, null);

/** A socket of `user`, authenticated. */
async function signIn(user: string, server: TestServer = t): Promise<Socket> {
  const socket = await anonymous(server);
  const done = arrives(socket, 'authenticated');
  socket.emit('authenticate', await token(user, server));
  await done;
  return socket;
}

/** Joins the channel and waits for the join to be confirmed (`user_joined` to the joining socket). */
async function join(socket: Socket, channelId: string | number): Promise<void> {
  const joined = arrives(socket, 'user_joined');
  socket.emit('join_channel', channelId);
  await joined;
}

const helpdesk = (server: TestServer = t) => server.server.io.of(NAMESPACE);

/** Joins a channel a tab of the same user is in already (no notice comes): waits until the server has it. */
async function subscribe(socket: Socket, channelId: string | number): Promise<void> {
  const id = socket.id;
  socket.emit('join_channel', channelId);
  await until(
    () =>
      helpdesk()
        .adapter.rooms.get(roomKey(String(channelId)))
        ?.has(id ?? '') === true,
    `socket in ${channelId}`,
  );
}

/** Leaves a channel and waits until the server has processed it. */
async function unsubscribe(socket: Socket, channelId: string | number): Promise<void> {
  const id = socket.id;
  socket.emit('leave_channel', channelId);
  await until(
    () =>
      helpdesk()
        .adapter.rooms.get(roomKey(String(channelId)))
        ?.has(id ?? '') !== true,
    `socket out of ${channelId}`,
  );
}

/** Everything a socket receives from now on, to check what did (not) arrive. */
const record = (socket: Socket) => collect(socket, '*');

beforeAll(async () => {
  t = await startTestServer();
  await loadSeedData(t.server.store, {
    rooms: [
      { id: '1', kind: 'channel', name: 'support', members: ['carol'] },
      { id: 'secret', kind: 'channel', name: 'secret', private: true, members: ['carol', 'bob'] },
      {
        id: 'ops',
        kind: 'channel',
        name: 'ops',
        members: ['carol', { user: 'bob', role: 'admin' }, 'alice'],
      },
      { id: 'lobby', kind: 'channel', name: 'lobby', description: 'Say hi', members: ['bob', 'alice'] },
    ],
  });
});
afterEach(closeAll);
afterAll(async () => {
  await t.close();
});

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const answer = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const candidate = {
  candidate: 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0',
  sdpMid: '0',
  sdpMLineIndex: 0,
};

describe('/helpdesk: authentication', () => {
  it('serves nothing before authenticate: every other event fails with UNAUTHENTICATED on its error event', async () => {
    const carol = await signIn('carol');
    await join(carol, 'general');
    const atCarol = record(carol);
    const socket = await anonymous();
    const cases: [event: string, payload: unknown, errorEvent: string][] = [
      ['join_channel', 'general', 'chat:error'],
      ['leave_channel', 'general', 'chat:error'],
      ['chat:send_message', { channelId: 'general', message: 'sneaky' }, 'chat:error'],
      ['message_read', { channelId: 'general', messageId: null }, 'chat:error'],
      ['chat:typing', { channelId: 'general', isTyping: true }, 'chat:error'],
      ['update_presence', { status: 'busy' }, 'presence:error'],
      [
        'file_uploaded',
        { channelId: 'general', fileName: 'a.txt', fileSize: 1, fileType: 'text/plain', messageId: 'm' },
        'chat:error',
      ],
      ['system_broadcast', { message: 'Maintenance', priority: 'high' }, 'broadcast:error'],
      ['channel_updated', { channelId: 'general', changes: { name: 'hijacked' } }, 'chat:error'],
      ['call:invite', { targetUserId: 'carol', callType: 'audio', offer }, 'chat:error'],
      ['call:accept', { callId: 'c', answer, targetUserId: 'carol' }, 'chat:error'],
      ['call:reject', { callId: 'c', targetUserId: 'carol' }, 'chat:error'],
      ['call:end', { callId: 'c', targetUserId: 'carol' }, 'chat:error'],
      ['call:ice_candidate', { targetUserId: 'carol', candidate }, 'chat:error'],
      ['presence:set_status', 'away', 'presence:error'],
    ];
    for (const [event, payload, errorEvent] of cases) {
      const refused = arrives<string>(socket, errorEvent);
      socket.emit(event, payload);
      expect(await refused, event).toBe('Not authenticated: emit authenticate with your token first');
    }
    // The one with an acknowledgement: the error goes to presence:error and the ack is not called.
    let acked = false;
    const refused = arrives<string>(socket, 'presence:error');
    socket.emit('presence:get_online_users', () => {
      acked = true;
    });
    expect(await refused).toMatch(/^Not authenticated/);
    await quietWindow();
    expect(acked).toBe(false);
    expect(atCarol.events()).toEqual([]);
    expect((await t.server.store.getRoom('general'))?.name).toBe('general');
  });

  it('answers a bad token with auth:error; the socket stays unauthenticated and may try again', async () => {
    const socket = await anonymous();
    const cases: [what: string, token: string, reason: RegExp][] = [
      ['garbage', 'not-a-jwt', /malformed token/],
      ['another key', await issueToken('alice', { secret: 'another-secret-0123456789abcdef' }), /signature/],
      ['expired', await t.server.auth.issueToken!('alice', { expiresIn: -60 }), /expired/],
      ['unknown user', await token('mallory'), /mallory/],
      ['empty', '', /invalid payload/],
    ];
    for (const [what, bad, reason] of cases) {
      const refused = arrives<string>(socket, 'auth:error');
      socket.emit('authenticate', bad);
      expect(await refused, what).toMatch(reason);
    }
    const stillRefused = arrives<string>(socket, 'chat:error');
    socket.emit('join_channel', 'general');
    expect(await stillRefused).toMatch(/^Not authenticated/);

    const ok = arrives(socket, 'authenticated');
    socket.emit('authenticate', await token('alice'));
    expect(await ok).toEqual({ userId: 'alice', displayName: 'Alice', role: 'member' });
  });

  it("answers authenticated, and tells every other signed-in socket when a user's first tab signs in", async () => {
    const bob = await signIn('bob');
    const stranger = await anonymous();
    const atBob = record(bob);
    const atStranger = record(stranger);

    const tab1 = await anonymous();
    const atTab1 = record(tab1);
    const online = arrives(bob, 'presence_updated');
    const legacy = arrives(bob, 'presence:update');
    const ok = arrives(tab1, 'authenticated');
    tab1.emit('authenticate', await token('alice'));
    expect(await ok).toEqual({ userId: 'alice', displayName: 'Alice', role: 'member' });
    expect(await online).toMatchObject({
      userId: 'alice',
      userDisplayName: 'Alice',
      status: 'online',
      reason: 'status_change',
    });
    expect(await legacy).toEqual({ userId: 'alice', status: 'online', connectionCount: 1 });

    // A second tab: no news for the others.
    const tab2 = await signIn('alice');
    const carol = await signIn('carol');
    await quietWindow();
    expect(atBob.of('presence_updated').map((p) => (p as { userId: string }).userId)).toEqual([
      'alice',
      'carol',
    ]);
    expect(atTab1.of('presence_updated')).toEqual([
      expect.objectContaining({ userId: 'carol', status: 'online' }),
    ]);
    expect(atStranger.events()).toEqual([]);
    expect(tab2.connected && carol.connected).toBe(true);
  });

  it('gives the workspace role', async () => {
    const socket = await anonymous();
    const ok = arrives(socket, 'authenticated');
    socket.emit('authenticate', await token('carol'));
    expect(await ok).toEqual({ userId: 'carol', displayName: 'Carol', role: 'admin' });
  });

  it('refreshes with a token for the same user and refuses one for another user', async () => {
    const alice = await signIn('alice');
    const bob = await signIn('bob');
    const atBob = record(bob);
    const again = arrives(alice, 'authenticated');
    alice.emit('authenticate', await token('alice'));
    expect(await again).toEqual({ userId: 'alice', displayName: 'Alice', role: 'member' });

    const refused = arrives<string>(alice, 'auth:error');
    alice.emit('authenticate', await token('bob'));
    expect(await refused).toMatch(/authenticated as alice/);
    // Still alice.
    const joined = arrives(alice, 'user_joined');
    alice.emit('join_channel', 'lobby');
    expect(await joined).toMatchObject({ userId: 'alice', channelId: 'lobby' });
    expect((await t.server.domain.presence.get('alice')).connectionCount).toBe(1);
    expect(atBob.of('presence_updated')).toEqual([]);
  });
});

describe('/helpdesk: channels', () => {
  it('join_channel: user_joined to the channel, the joining socket included; once per user', async () => {
    const [alice, aliceTab, bob, carol] = await Promise.all([
      signIn('alice'),
      signIn('alice'),
      signIn('bob'),
      signIn('carol'),
    ]);
    await join(bob, 'general');
    await join(carol, 'lobby'); // carol's socket is elsewhere: it hears nothing of general
    const atCarol = record(carol);
    const atBob = record(bob);

    const atAlice = arrives(alice, 'user_joined');
    const seenByBob = arrives(bob, 'user_joined');
    alice.emit('join_channel', 'general');
    const joined = await atAlice;
    expect(joined).toEqual({
      userId: 'alice',
      userDisplayName: 'Alice',
      userRole: 'member',
      channelId: 'general',
      joinedAt: expect.any(String),
    });
    expect(await seenByBob).toEqual(joined);

    // The second tab subscribes without a second notice.
    await subscribe(aliceTab, 'general');
    await quietWindow();
    expect(atBob.of('user_joined')).toHaveLength(1);
    expect(atCarol.events()).toEqual([]);
    // ... and hears the channel.
    const heard = arrives(aliceTab, 'chat:new_message');
    bob.emit('chat:send_message', { channelId: 'general', message: 'both tabs?' });
    expect(await heard).toMatchObject({ message: 'both tabs?' });
  });

  it('1 and "1" name the same channel; joining an open channel makes the user a member', async () => {
    const [alice, aliceTab, carol] = await Promise.all([signIn('alice'), signIn('alice'), signIn('carol')]);
    await join(carol, '1');
    expect(await t.server.store.getMembership('1', 'alice')).toBeUndefined();

    const seen = arrives(carol, 'user_joined');
    await join(alice, 1);
    // An id that is an integer goes out as one.
    expect(await seen).toMatchObject({ userId: 'alice', channelId: 1 });
    expect(await t.server.store.getMembership('1', 'alice')).toMatchObject({ role: 'member' });

    const atCarol = record(carol);
    await subscribe(aliceTab, '1');
    await quietWindow();
    expect(atCarol.of('user_joined')).toEqual([]);
    const inTab = arrives(aliceTab, 'chat:new_message');
    carol.emit('chat:send_message', { channelId: '1', message: 'Welcome to support' });
    expect(await inTab).toMatchObject({ channelId: 1, message: 'Welcome to support' });
  });

  it('refuses a private channel to a non-member and an unknown channel; the socket hears neither', async () => {
    const [alice, carol] = await Promise.all([signIn('alice'), signIn('carol')]);
    await join(carol, 'secret');
    const atAlice = record(alice);

    const forbidden = arrives<string>(alice, 'chat:error');
    alice.emit('join_channel', 'secret');
    expect(await forbidden).toMatch(/private/);
    const unknown = arrives<string>(alice, 'chat:error');
    alice.emit('join_channel', 'no-such-channel');
    expect(await unknown).toMatch(/does not exist/);

    const atCarol = arrives(carol, 'chat:new_message');
    carol.emit('chat:send_message', { channelId: 'secret', message: 'just us' });
    await atCarol;
    await quietWindow();
    expect(atAlice.of('chat:new_message')).toEqual([]);
    expect(atAlice.of('user_joined')).toEqual([]);
    expect(await t.server.store.getMembership('secret', 'alice')).toBeUndefined();
  });

  it('leave_channel: user_left (leave) to the sockets still there once the last tab leaves; membership stays', async () => {
    const [alice, aliceTab, bob] = await Promise.all([signIn('alice'), signIn('alice'), signIn('bob')]);
    await join(bob, 'general');
    await join(alice, 'general');
    await subscribe(aliceTab, 'general');
    const atBob = record(bob);
    const atAlice = record(alice);
    const atTab = record(aliceTab);

    await unsubscribe(alice, 'general');
    await quietWindow();
    expect(atBob.of('user_left')).toEqual([]);

    const left = arrives(bob, 'user_left');
    aliceTab.emit('leave_channel', 'general');
    expect(await left).toEqual({
      userId: 'alice',
      userDisplayName: 'Alice',
      channelId: 'general',
      leftAt: expect.any(String),
      reason: 'leave',
    });
    expect(await t.server.store.getMembership('general', 'alice')).toBeDefined();

    // Neither tab hears the channel any more; leaving again changes nothing.
    aliceTab.emit('leave_channel', 'general');
    alice.emit('leave_channel', 'never-joined');
    const atBobMessage = arrives(bob, 'chat:new_message');
    bob.emit('chat:send_message', { channelId: 'general', message: 'gone?' });
    await atBobMessage;
    await quietWindow();
    expect(atAlice.events()).toEqual([]);
    expect(atTab.events()).toEqual([]);
    expect(atBob.of('user_left')).toHaveLength(1);
  });

  it('user_left (disconnect) when the last tab in a channel disconnects', async () => {
    const [alice, aliceTab, bob] = await Promise.all([signIn('alice'), signIn('alice'), signIn('bob')]);
    await join(bob, 'general');
    await join(alice, 'general');
    await subscribe(aliceTab, 'general');
    const atBob = record(bob);

    await closeSocket(aliceTab);
    await quietWindow();
    expect(atBob.of('user_left')).toEqual([]);

    const left = arrives(bob, 'user_left');
    alice.disconnect();
    expect(await left).toMatchObject({ userId: 'alice', channelId: 'general', reason: 'disconnect' });
  });

  it('answers invalid payloads with chat:error and keeps serving', async () => {
    const alice = await signIn('alice');
    for (const payload of [{ id: 'general' }, -1, '', null, ['general']]) {
      const refused = arrives<string>(alice, 'chat:error');
      alice.emit('join_channel', payload);
      expect(await refused, JSON.stringify(payload)).toMatch(/invalid payload for "join_channel"/);
    }
    const refused = arrives<string>(alice, 'chat:error');
    alice.emit('leave_channel', { channelId: 'general' });
    expect(await refused).toMatch(/invalid payload for "leave_channel"/);
    await join(alice, 'general');
  });
});

describe('/helpdesk: messages', () => {
  it('chat:send_message: stored, then chat:new_message to the channel, the sender included; not elsewhere', async () => {
    const [alice, bob, carol] = await Promise.all([signIn('alice'), signIn('bob'), signIn('carol')]);
    await join(alice, 'general');
    await join(bob, 'general');
    const atCarol = record(carol); // a member of general whose socket did not join it

    const atAlice = arrives<{ id: string }>(alice, 'chat:new_message');
    const atBob = arrives(bob, 'chat:new_message');
    alice.emit('chat:send_message', { channelId: 'general', message: 'Hi, how can I help you today?' });
    const sent = await atAlice;
    expect(sent).toEqual({
      id: expect.any(String),
      channelId: 'general',
      userId: 'alice',
      userDisplayName: 'Alice',
      message: 'Hi, how can I help you today?',
      messageType: 'text',
      replyToId: null,
      timestamp: expect.any(String),
    });
    expect(await atBob).toEqual(sent);
    const stored = await t.server.domain.messages.get('bob', sent.id);
    expect(stored).toMatchObject({
      roomId: 'general',
      senderId: 'alice',
      content: 'Hi, how can I help you today?',
    });
    await quietWindow();
    expect(atCarol.events()).toEqual([]);
  });

  it('carries every message type and threaded replies', async () => {
    const alice = await signIn('alice');
    await join(alice, 'general');
    const ids: string[] = [];
    for (const messageType of ['text', 'file', 'image', 'gif', 'ticket_link']) {
      const got = arrives<{ id: string; messageType: string }>(alice, 'chat:new_message');
      alice.emit('chat:send_message', { channelId: 'general', message: `a ${messageType}`, messageType });
      const message = await got;
      expect(message.messageType).toBe(messageType);
      ids.push(message.id);
    }
    const reply = arrives(alice, 'chat:new_message');
    alice.emit('chat:send_message', {
      channelId: 'general',
      message: 'TICKET-1042',
      messageType: 'ticket_link',
      replyToId: ids[0],
    });
    expect(await reply).toMatchObject({ replyToId: ids[0], messageType: 'ticket_link' });
    const explicitNull = arrives(alice, 'chat:new_message');
    alice.emit('chat:send_message', { channelId: 'general', message: 'no thread', replyToId: null });
    expect(await explicitNull).toMatchObject({ replyToId: null, messageType: 'text' });
  });

  it('refuses a non-member, a reply to a message of another channel and invalid payloads; stores nothing', async () => {
    const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);
    await join(bob, 'general');
    const elsewhere = (await t.server.domain.messages.history('alice', 'alice-bob', { limit: 1 }))
      .messages[0]!;
    const count = async () =>
      (await t.server.domain.messages.history('carol', 'general', { limit: 100 })).messages.length;
    const before = await count();
    const secretBefore = (await t.server.domain.messages.history('carol', 'secret', { limit: 100 })).messages;

    const cases: [what: string, payload: unknown, reason: RegExp][] = [
      ['non-member', { channelId: 'secret', message: 'let me in' }, /not a member/],
      ['reply elsewhere', { channelId: 'general', message: 're', replyToId: elsewhere.id }, /no message/],
      ['unknown reply', { channelId: 'general', message: 're', replyToId: 'msg_nope' }, /no message/],
      ['bad type', { channelId: 'general', message: 'x', messageType: 'video' }, /invalid payload/],
      ['no text', { channelId: 'general' }, /invalid payload/],
      ['empty text', { channelId: 'general', message: '' }, /invalid payload/],
      ['extra key', { channelId: 'general', message: 'x', urgent: true }, /invalid payload/],
      ['too long', { channelId: 'general', message: 'x'.repeat(5001) }, /invalid payload/],
    ];
    const atBob = record(bob);
    for (const [what, payload, reason] of cases) {
      const refused = arrives<string>(alice, 'chat:error');
      alice.emit('chat:send_message', payload);
      expect(await refused, what).toMatch(reason);
    }
    await quietWindow();
    expect(atBob.events()).toEqual([]);
    expect(await count()).toBe(before);
    expect((await t.server.domain.messages.history('carol', 'secret', { limit: 100 })).messages).toEqual(
      secretBefore,
    );
  });

  it('message_read: stores the read position and sends message_read_receipt to the channel', async () => {
    const [alice, bob, carol] = await Promise.all([signIn('alice'), signIn('bob'), signIn('carol')]);
    await join(alice, 'general');
    await join(bob, 'general');
    const atCarol = record(carol);
    const sent: string[] = [];
    for (const text of ['first', 'second']) {
      const got = arrives<{ id: string }>(alice, 'chat:new_message');
      bob.emit('chat:send_message', { channelId: 'general', message: text });
      sent.push((await got).id);
    }
    const unread = async () => (await t.server.domain.receipts.unreadCounts('alice')).general ?? 0;
    expect(await unread()).toBeGreaterThanOrEqual(2);

    const atAlice = arrives(alice, 'message_read_receipt');
    const atBob = arrives(bob, 'message_read_receipt');
    alice.emit('message_read', { channelId: 'general', messageId: sent[0] });
    const receipt = await atAlice;
    expect(receipt).toEqual({
      userId: 'alice',
      userDisplayName: 'Alice',
      channelId: 'general',
      messageId: sent[0],
      readAt: expect.any(String),
    });
    expect(await atBob).toEqual(receipt);
    expect(await unread()).toBe(1);

    const latest = arrives(bob, 'message_read_receipt');
    alice.emit('message_read', { channelId: 'general', messageId: null });
    expect(await latest).toMatchObject({ userId: 'alice', messageId: sent[1] });
    expect(await unread()).toBe(0);
    await quietWindow();
    expect(atCarol.events()).toEqual([]);
  });

  it('message_read: refuses a non-member, a message of another channel and invalid payloads', async () => {
    const alice = await signIn('alice');
    const elsewhere = (await t.server.domain.messages.history('alice', 'alice-bob', { limit: 1 }))
      .messages[0]!;
    const cases: [payload: unknown, reason: RegExp][] = [
      [{ channelId: 'secret' }, /not a member/],
      [{ channelId: 'general', messageId: elsewhere.id }, /no message/],
      [{ channelId: 'general', messageId: 'msg_nope' }, /no message/],
      [{ messageId: null }, /invalid payload/],
      [{ channelId: 'general', messageId: false }, /invalid payload/],
    ];
    for (const [payload, reason] of cases) {
      const refused = arrives<string>(alice, 'chat:error');
      alice.emit('message_read', payload);
      expect(await refused, JSON.stringify(payload)).toMatch(reason);
    }
  });

  it("chat:typing: chat:user_typing to the channel's other users, not the typist's tabs nor outsiders", async () => {
    const [alice, aliceTab, bob, carol] = await Promise.all([
      signIn('alice'),
      signIn('alice'),
      signIn('bob'),
      signIn('carol'),
    ]);
    await join(alice, 'general');
    await subscribe(aliceTab, 'general');
    await join(bob, 'general');
    await join(carol, 'lobby'); // not in general
    const atAlice = record(alice);
    const atTab = record(aliceTab);
    const atCarol = record(carol);

    const started = arrives(bob, 'chat:user_typing');
    alice.emit('chat:typing', { channelId: 'general', isTyping: true });
    expect(await started).toEqual({
      userId: 'alice',
      userDisplayName: 'Alice',
      isTyping: true,
      channelId: 'general',
    });
    const stopped = arrives(bob, 'chat:user_typing');
    alice.emit('chat:typing', { channelId: 'general', isTyping: false });
    expect(await stopped).toMatchObject({ userId: 'alice', isTyping: false });
    await quietWindow();
    expect(atAlice.of('chat:user_typing')).toEqual([]);
    expect(atTab.of('chat:user_typing')).toEqual([]);
    expect(atCarol.events()).toEqual([]);

    for (const [payload, reason] of [
      [{ channelId: 'secret', isTyping: true }, /not a member/],
      [{ channelId: 'general', isTyping: 'yes' }, /invalid payload/],
      [{ channelId: 'general' }, /invalid payload/],
    ] as const) {
      const refused = arrives<string>(alice, 'chat:error');
      alice.emit('chat:typing', payload);
      expect(await refused).toMatch(reason);
    }
  });

  it('stops typing when the typist disconnects', async () => {
    const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);
    await join(alice, 'general');
    await join(bob, 'general');
    const started = arrives(bob, 'chat:user_typing');
    alice.emit('chat:typing', { channelId: 'general', isTyping: true });
    await started;
    const stopped = arrives(bob, 'chat:user_typing');
    alice.disconnect();
    expect(await stopped).toMatchObject({ userId: 'alice', isTyping: false, channelId: 'general' });
  });

  it("file_uploaded: file_upload_notification to the channel, for one's own message in it only", async () => {
    const [alice, bob, carol] = await Promise.all([signIn('alice'), signIn('bob'), signIn('carol')]);
    await join(alice, 'general');
    await join(bob, 'general');
    const atCarol = record(carol);
    const sent = arrives<{ id: string }>(alice, 'chat:new_message');
    alice.emit('chat:send_message', { channelId: 'general', message: 'error-log.txt', messageType: 'file' });
    const messageId = (await sent).id;
    const notice = {
      channelId: 'general',
      fileName: 'error-log.txt',
      fileSize: 20480,
      fileType: 'text/plain',
      messageId,
    };

    const atAlice = arrives(alice, 'file_upload_notification');
    const atBob = arrives(bob, 'file_upload_notification');
    alice.emit('file_uploaded', notice);
    const got = await atAlice;
    expect(got).toEqual({
      messageId,
      channelId: 'general',
      uploadedBy: 'alice',
      uploaderName: 'Alice',
      fileName: 'error-log.txt',
      fileSize: 20480,
      fileType: 'text/plain',
      uploadedAt: expect.any(String),
    });
    expect(await atBob).toEqual(got);

    const atBobLater = record(bob);
    const cases: [who: Socket, payload: unknown, reason: RegExp][] = [
      [bob, notice, /not yours/],
      [alice, { ...notice, messageId: 'msg_nope' }, /no message/],
      [alice, { ...notice, channelId: 'secret' }, /not a member/],
      [alice, { ...notice, fileSize: -1 }, /invalid payload/],
      [alice, { ...notice, fileSize: 1.5 }, /invalid payload/],
      [alice, { channelId: 'general', fileName: 'a.txt' }, /invalid payload/],
    ];
    for (const [who, payload, reason] of cases) {
      const refused = arrives<string>(who, 'chat:error');
      who.emit('file_uploaded', payload);
      expect(await refused).toMatch(reason);
    }
    await quietWindow();
    expect(atBobLater.of('file_upload_notification')).toEqual([]);
    expect(atCarol.events()).toEqual([]);
  });
});

describe('/helpdesk: admin events', () => {
  it('system_broadcast from an admin reaches every signed-in socket, the sender included', async () => {
    const [carol, alice, bob] = await Promise.all([signIn('carol'), signIn('alice'), signIn('bob')]);
    const stranger = await anonymous();
    const atStranger = record(stranger);
    const waits = [carol, alice, bob].map((s) => arrives(s, 'system_broadcast_received'));
    carol.emit('system_broadcast', { message: 'System maintenance in 10 minutes', priority: 'high' });
    const [first, ...rest] = await Promise.all(waits);
    expect(first).toEqual({
      message: 'System maintenance in 10 minutes',
      priority: 'high',
      from: 'Carol',
      broadcastAt: expect.any(String),
      broadcastId: expect.any(String),
    });
    for (const got of rest) expect(got).toEqual(first);
    await quietWindow();
    expect(atStranger.events()).toEqual([]);
  });

  it('refuses system_broadcast from a member (broadcast:error) and invalid payloads; nobody hears it', async () => {
    const [alice, bob, carol] = await Promise.all([signIn('alice'), signIn('bob'), signIn('carol')]);
    const atBob = record(bob);
    const forbidden = arrives<string>(alice, 'broadcast:error');
    alice.emit('system_broadcast', { message: 'Free pizza', priority: 'high' });
    expect(await forbidden).toBe('Missing permission: chat.send_broadcasts');
    for (const payload of [
      { message: 'x', priority: 'urgent' },
      { message: '', priority: 'low' },
      { priority: 'low' },
    ]) {
      const refused = arrives<string>(carol, 'broadcast:error');
      carol.emit('system_broadcast', payload);
      expect(await refused).toMatch(/invalid payload/);
    }
    await quietWindow();
    expect(atBob.events()).toEqual([]);
  });

  it("channel_updated: by a channel's admin or a workspace admin; stored and sent to the channel", async () => {
    const [alice, bob, carol] = await Promise.all([signIn('alice'), signIn('bob'), signIn('carol')]);
    await join(alice, 'ops');
    await join(bob, 'ops');
    const atCarol = record(carol); // a member of ops whose socket did not join it

    // bob: a member of the workspace, an admin of ops.
    const atAlice = arrives(alice, 'channel_updated');
    const atBob = arrives(bob, 'channel_updated');
    bob.emit('channel_updated', {
      channelId: 'ops',
      changes: { name: 'operations', description: 'On call' },
    });
    const got = await atAlice;
    expect(got).toEqual({
      channelId: 'ops',
      changes: { name: 'operations', description: 'On call' },
      updatedBy: 'bob',
      updaterName: 'Bob',
      updatedAt: expect.any(String),
    });
    expect(await atBob).toEqual(got);
    expect(await t.server.store.getRoom('ops')).toMatchObject({ name: 'operations', description: 'On call' });

    // carol: a workspace admin, not a member of lobby.
    await join(alice, 'lobby');
    const removed = arrives(alice, 'channel_updated');
    carol.emit('channel_updated', { channelId: 'lobby', changes: { description: null } });
    expect(await removed).toMatchObject({
      channelId: 'lobby',
      changes: { description: null },
      updatedBy: 'carol',
    });
    expect((await t.server.store.getRoom('lobby'))?.description).toBeNull();
    await quietWindow();
    expect(atCarol.of('channel_updated')).toEqual([]);
  });

  it('refuses channel_updated without chat.manage_channels, a taken name and invalid payloads', async () => {
    const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);
    await join(bob, 'general');
    const atBob = record(bob);
    const cases: [payload: unknown, reason: RegExp | string][] = [
      [{ channelId: 'general', changes: { name: 'alice-land' } }, 'Missing permission: chat.manage_channels'],
      [{ channelId: 'no-such-channel', changes: { name: 'x' } }, /does not exist/],
      [{ channelId: 'general', changes: { topic: 'x' } }, /invalid payload/],
      [{ channelId: 'general', changes: { name: '' } }, /invalid payload/],
      [{ channelId: 'general', changes: { description: 'x'.repeat(501) } }, /invalid payload/],
      [{ changes: { name: 'x' } }, /invalid payload/],
    ];
    for (const [payload, reason] of cases) {
      const refused = arrives<string>(alice, 'chat:error');
      alice.emit('channel_updated', payload);
      const message = await refused;
      if (typeof reason === 'string') expect(message).toBe(reason);
      else expect(message).toMatch(reason);
    }
    // The spec's `minProperties: 1` is not in the generated schema: the core refuses an empty change.
    const empty = arrives<string>(bob, 'chat:error');
    bob.emit('channel_updated', { channelId: 'lobby', changes: {} });
    expect(await empty).toMatch(/nothing to change/);
    // bob manages lobby (its owner), but `general` is a name another channel has.
    const conflict = arrives<string>(bob, 'chat:error');
    bob.emit('channel_updated', { channelId: 'lobby', changes: { name: 'general' } });
    expect(await conflict).toMatch(/already exists/);
    await quietWindow();
    expect(atBob.of('channel_updated')).toEqual([]);
    expect(await t.server.store.getRoom('general')).toMatchObject({ name: 'general' });
  });
});

describe('/helpdesk: presence', () => {
  it('update_presence: stored; presence_updated and presence:update to every signed-in socket', async () => {
    const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);
    const stranger = await anonymous();
    const atStranger = record(stranger);

    const updated = [alice, bob].map((s) => arrives(s, 'presence_updated'));
    const legacy = [alice, bob].map((s) => arrives(s, 'presence:update'));
    alice.emit('update_presence', {
      status: 'busy',
      statusMessage: 'In a meeting',
      customStatus: 'Working on tickets',
    });
    const [atAlice, atBob] = await Promise.all(updated);
    expect(atAlice).toEqual({
      userId: 'alice',
      userDisplayName: 'Alice',
      status: 'busy',
      statusMessage: 'In a meeting',
      customStatus: 'Working on tickets',
      timestamp: expect.any(String),
      reason: 'status_change',
    });
    expect(atBob).toEqual(atAlice);
    for (const got of await Promise.all(legacy)) {
      expect(got).toEqual({ userId: 'alice', status: 'busy', connectionCount: 1 });
    }
    expect(await t.server.store.getUser('alice')).toMatchObject({
      status: 'busy',
      statusMessage: 'In a meeting',
      customStatus: 'Working on tickets',
    });

    // Texts left out are kept; null clears one.
    const kept = arrives(bob, 'presence_updated');
    alice.emit('update_presence', { status: 'away' });
    expect(await kept).toMatchObject({
      status: 'away',
      statusMessage: 'In a meeting',
      customStatus: 'Working on tickets',
    });
    const cleared = arrives(bob, 'presence_updated');
    alice.emit('update_presence', { status: 'online', statusMessage: null });
    expect(await cleared).toMatchObject({
      status: 'online',
      statusMessage: null,
      customStatus: 'Working on tickets',
    });
    expect(await t.server.store.getUser('alice')).toMatchObject({ statusMessage: null });

    for (const payload of [
      { status: 'sleeping' },
      { statusMessage: 'no status' },
      { status: 'busy', mood: 'great' },
      { status: 'busy', statusMessage: 'x'.repeat(141) },
    ]) {
      const refused = arrives<string>(alice, 'presence:error');
      alice.emit('update_presence', payload);
      expect(await refused, JSON.stringify(payload)).toMatch(/invalid payload/);
    }
    await quietWindow();
    expect(atStranger.events()).toEqual([]);
  });

  it('presence:set_status: both formats to everyone, status texts kept; an unknown status is refused', async () => {
    const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);
    const set = [alice, bob].map((s) => arrives(s, 'presence:update'));
    alice.emit('update_presence', { status: 'online', statusMessage: 'Back at 3', customStatus: null });
    await Promise.all(set);

    const updated = [alice, bob].map((s) => arrives(s, 'presence_updated'));
    const legacy = [alice, bob].map((s) => arrives(s, 'presence:update'));
    alice.emit('presence:set_status', 'away');
    for (const got of await Promise.all(updated)) {
      expect(got).toMatchObject({
        userId: 'alice',
        status: 'away',
        statusMessage: 'Back at 3',
        reason: 'status_change',
      });
    }
    for (const got of await Promise.all(legacy)) {
      expect(got).toEqual({ userId: 'alice', status: 'away', connectionCount: 1 });
    }
    expect((await t.server.store.getUser('alice'))?.status).toBe('away');

    const refused = arrives<string>(alice, 'presence:error');
    alice.emit('presence:set_status', 'sleeping');
    expect(await refused).toMatch(/invalid payload/);
  });

  it('presence:get_online_users: who is online with their connected tabs; not who appears offline', async () => {
    const [alice] = await Promise.all([signIn('alice'), signIn('alice'), signIn('bob')]);
    const online = (await emitAck(alice, 'presence:get_online_users')) as {
      userId: string;
    }[];
    expect(online).toHaveLength(2);
    expect(online).toEqual(
      expect.arrayContaining([
        { userId: 'alice', status: 'online', connectionCount: 2 },
        { userId: 'bob', status: 'online', connectionCount: 1 },
      ]),
    );

    const hidden = arrives(alice, 'presence_updated');
    alice.emit('presence:set_status', 'offline');
    expect(await hidden).toMatchObject({ userId: 'alice', status: 'offline', reason: 'status_change' });
    const after = await emitAck(alice, 'presence:get_online_users');
    expect(after).toEqual([{ userId: 'bob', status: 'online', connectionCount: 1 }]);
  });

  it('multi-tab: closing one of two tabs changes nothing; closing the last sends presence_updated (disconnect)', async () => {
    const bob = await signIn('bob');
    const [tab1, tab2] = [await signIn('alice'), await signIn('alice')];
    const atBob = record(bob);

    await closeSocket(tab1);
    await quietWindow();
    expect(atBob.events()).toEqual([]);
    expect(await emitAck(bob, 'presence:get_online_users')).toEqual(
      expect.arrayContaining([{ userId: 'alice', status: 'online', connectionCount: 1 }]),
    );

    const offline = arrives(bob, 'presence_updated');
    const legacy = arrives(bob, 'presence:update');
    tab2.disconnect();
    expect(await offline).toMatchObject({ userId: 'alice', status: 'offline', reason: 'disconnect' });
    expect(await legacy).toEqual({ userId: 'alice', status: 'offline', connectionCount: 0 });
    expect(await emitAck(bob, 'presence:get_online_users')).toEqual([
      { userId: 'bob', status: 'online', connectionCount: 1 },
    ]);
  });
});

describe('/helpdesk: calls', () => {
  it('invite, accept, ICE both ways and end: each signal reaches every tab of the other party only', async () => {
    const [a1, a2, b1, b2, carol] = await Promise.all([
      signIn('alice'),
      signIn('alice'),
      signIn('bob'),
      signIn('bob'),
      signIn('carol'),
    ]);
    const at = { a1: record(a1), a2: record(a2), b1: record(b1), b2: record(b2), carol: record(carol) };

    const incoming = [b1, b2].map((s) => arrives<{ callId: string }>(s, 'call:incoming'));
    a1.emit('call:invite', { targetUserId: 'bob', callType: 'video', offer });
    const [ring, ring2] = await Promise.all(incoming);
    expect(ring).toEqual({
      callId: expect.any(String),
      from: 'alice',
      fromName: 'Alice',
      callType: 'video',
      offer,
    });
    expect(ring2).toEqual(ring);
    const callId = ring!.callId;
    expect(t.server.domain.calls.get(callId)).toMatchObject({ state: 'ringing', callerId: 'alice' });

    const accepted = [a1, a2].map((s) => arrives(s, 'call:accepted'));
    b1.emit('call:accept', { callId, answer, targetUserId: 'alice' });
    for (const got of await Promise.all(accepted)) expect(got).toEqual({ callId, answer });
    expect(t.server.domain.calls.get(callId)?.state).toBe('accepted');

    const toBob = [b1, b2].map((s) => arrives(s, 'call:ice_candidate'));
    a1.emit('call:ice_candidate', { targetUserId: 'bob', candidate });
    for (const got of await Promise.all(toBob)) expect(got).toEqual({ from: 'alice', candidate });
    const toAlice = [a1, a2].map((s) => arrives(s, 'call:ice_candidate'));
    b2.emit('call:ice_candidate', { targetUserId: 'alice', candidate: { candidate: '' } });
    for (const got of await Promise.all(toAlice))
      expect(got).toEqual({ from: 'bob', candidate: { candidate: '' } });

    const ended = [b1, b2].map((s) => arrives(s, 'call:ended'));
    a2.emit('call:end', { callId, targetUserId: 'bob' });
    for (const got of await Promise.all(ended)) expect(got).toEqual({ callId });
    expect(t.server.domain.calls.get(callId)?.state).toBe('ended');

    // Ending it again changes nothing and is no error.
    await emitAck(a1, 'call:end', { callId, targetUserId: 'bob' });
    await quietWindow();
    expect(at.a1.events().sort()).toEqual(['call:accepted', 'call:ice_candidate']);
    expect(at.a2.events().sort()).toEqual(['call:accepted', 'call:ice_candidate']);
    expect(at.b1.events().sort()).toEqual(['call:ended', 'call:ice_candidate', 'call:incoming']);
    expect(at.b2.events().sort()).toEqual(['call:ended', 'call:ice_candidate', 'call:incoming']);
    expect(at.carol.events()).toEqual([]);
  });

  it("reject: call:rejected to the caller's tabs", async () => {
    const [alice, bob, carol] = await Promise.all([signIn('alice'), signIn('bob'), signIn('carol')]);
    const atCarol = record(carol);
    const atBob = record(bob);
    const ring = arrives<{ callId: string }>(bob, 'call:incoming');
    alice.emit('call:invite', { targetUserId: 'bob', callType: 'audio', offer });
    const { callId } = await ring;
    const rejected = arrives(alice, 'call:rejected');
    bob.emit('call:reject', { callId, targetUserId: 'alice' });
    expect(await rejected).toEqual({ callId });
    expect(t.server.domain.calls.get(callId)?.state).toBe('rejected');
    await quietWindow();
    expect(atBob.events()).toEqual(['call:incoming']);
    expect(atCarol.events()).toEqual([]);
  });

  it('a callId chosen by the caller: the callee sees it, and the caller hangs up before an answer', async () => {
    const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);
    const ring = arrives(bob, 'call:incoming');
    alice.emit('call:invite', {
      targetUserId: 'bob',
      callType: 'audio',
      offer,
      callId: 'call-7-1705314600000',
    });
    expect(await ring).toMatchObject({ callId: 'call-7-1705314600000', from: 'alice' });
    const ended = arrives(bob, 'call:ended');
    alice.emit('call:end', { callId: 'call-7-1705314600000', targetUserId: 'bob' });
    expect(await ended).toEqual({ callId: 'call-7-1705314600000' });

    const reused = arrives<string>(alice, 'chat:error');
    alice.emit('call:invite', {
      targetUserId: 'bob',
      callType: 'audio',
      offer,
      callId: 'call-7-1705314600000',
    });
    expect(await reused).toMatch(/already used/);
  });

  it("refuses acting on someone else's call, the wrong party, and callees who cannot be called", async () => {
    const [alice, bob, carol] = await Promise.all([signIn('alice'), signIn('bob'), signIn('carol')]);
    const ring = arrives(bob, 'call:incoming');
    alice.emit('call:invite', { targetUserId: 'bob', callType: 'video', offer, callId: 'c-2' });
    await ring;
    const atAlice = record(alice);
    const atBob = record(bob);

    const cases: [who: Socket, event: string, payload: unknown, reason: RegExp][] = [
      [carol, 'call:end', { callId: 'c-2', targetUserId: 'alice' }, /not one of its parties/],
      [carol, 'call:accept', { callId: 'c-2', answer, targetUserId: 'alice' }, /not one of its parties/],
      [carol, 'call:reject', { callId: 'c-2', targetUserId: 'alice' }, /not one of its parties/],
      [carol, 'call:ice_candidate', { targetUserId: 'alice', candidate }, /no ringing or active call/],
      [alice, 'call:accept', { callId: 'c-2', answer, targetUserId: 'bob' }, /you placed it/],
      [bob, 'call:accept', { callId: 'c-2', answer, targetUserId: 'carol' }, /must be the other party/],
      [bob, 'call:reject', { callId: 'c-2', targetUserId: 'carol' }, /must be the other party/],
      [bob, 'call:end', { callId: 'c-2', targetUserId: 'carol' }, /must be the other party/],
      [bob, 'call:ice_candidate', { targetUserId: 'bob', candidate }, /yourself/],
      [bob, 'call:accept', { callId: 'no-such-call', answer, targetUserId: 'alice' }, /no such call/],
      [carol, 'call:invite', { targetUserId: 'bob', callType: 'audio', offer }, /busy/],
      [carol, 'call:invite', { targetUserId: 'nobody', callType: 'audio', offer }, /not online/],
      [carol, 'call:invite', { targetUserId: 'carol', callType: 'audio', offer }, /yourself/],
      [carol, 'call:invite', { targetUserId: 'alice', callType: 'hologram', offer }, /invalid payload/],
      [carol, 'call:invite', { targetUserId: 'alice', callType: 'audio' }, /invalid payload/],
      [bob, 'call:accept', { callId: 'c-2', targetUserId: 'alice' }, /invalid payload/],
      [bob, 'call:ice_candidate', { targetUserId: 'alice' }, /invalid payload/],
    ];
    for (const [who, event, payload, reason] of cases) {
      const refused = arrives<string>(who, 'chat:error');
      who.emit(event, payload);
      expect(await refused, `${event} ${JSON.stringify(payload)}`).toMatch(reason);
    }
    await quietWindow();
    // The refused ones told only their sender, with chat:error.
    expect(atAlice.events().filter((e) => e !== 'chat:error')).toEqual([]);
    expect(atBob.events().filter((e) => e !== 'chat:error')).toEqual([]);
    // Nothing of that touched the call: bob still answers it.
    const accepted = arrives(alice, 'call:accepted');
    bob.emit('call:accept', { callId: 'c-2', answer, targetUserId: 'alice' });
    expect(await accepted).toEqual({ callId: 'c-2', answer });
  });

  it("ends the call for the other party when one party's last tab closes", async () => {
    const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);
    const ring = arrives<{ callId: string }>(bob, 'call:incoming');
    alice.emit('call:invite', { targetUserId: 'bob', callType: 'audio', offer });
    const { callId } = await ring;
    const accepted = arrives(alice, 'call:accepted');
    bob.emit('call:accept', { callId, answer, targetUserId: 'alice' });
    await accepted;
    const ended = arrives(bob, 'call:ended');
    alice.disconnect();
    expect(await ended).toEqual({ callId });
  });

  it('a call nobody answers ends by itself after the ring timeout, for both parties', async () => {
    const quick = await startTestServer({ domain: { ringTimeoutMs: 300 } });
    try {
      const [alice, bob] = await Promise.all([signIn('alice', quick), signIn('bob', quick)]);
      const ring = arrives<{ callId: string }>(bob, 'call:incoming');
      const endedForAlice = arrives(alice, 'call:ended');
      const endedForBob = arrives(bob, 'call:ended');
      alice.emit('call:invite', { targetUserId: 'bob', callType: 'video', offer });
      const { callId } = await ring;
      expect(await endedForAlice).toEqual({ callId });
      expect(await endedForBob).toEqual({ callId });
      expect(quick.server.domain.calls.get(callId)?.state).toBe('missed');
      const late = arrives<string>(bob, 'chat:error');
      bob.emit('call:accept', { callId, answer, targetUserId: 'alice' });
      expect(await late).toMatch(/missed/);
    } finally {
      await closeAll();
      await quick.close();
    }
  });
});

describe("/helpdesk: seed 003's usage examples", () => {
  it('Basic Chat Connection: authenticates, joins channel 1, shows new messages and sends one', async () => {
    const carol = await signIn('carol');
    await join(carol, 1);
    const jwt = await token('alice');
    // What the example reads and calls, outside its own code.
    const localStorage = { getItem: (_key: string) => jwt };
    const logged: unknown[][] = [];
    const console = { log: (...args: unknown[]) => logged.push(args) };
    const shown: { channelId: unknown; message: string; userId: unknown }[] = [];
    const displayMessage = (message: (typeof shown)[number]) => shown.push(message);
    const aliceJoined = arrives(carol, 'user_joined');

    // The example, as the seed writes it (its URL and token changed).
    const socket = io(`${t.server.url}/helpdesk`);
    track(t, NAMESPACE, socket);

    // Authenticate
    socket.emit('authenticate', localStorage.getItem('jwt'));

    socket.on('authenticated', (user) => {
      console.log('Connected as:', user.displayName);

      // Join a channel
      socket.emit('join_channel', 1);
    });

    // Listen for new messages
    socket.on('chat:new_message', (message) => {
      displayMessage(message);
    });

    // Send a message
    const sendMessage = (channelId: number, text: string) => {
      socket.emit('chat:send_message', {
        channelId,
        message: text,
        messageType: 'text',
      });
    };
    // (end of the example)

    // It authenticated, and joined channel 1: the channel's members see alice arrive.
    expect(await aliceJoined).toMatchObject({ userId: 'alice', channelId: 1 });
    expect(logged).toEqual([['Connected as:', 'Alice']]);

    // A message to channel 1 is displayed.
    carol.emit('chat:send_message', { channelId: 1, message: 'Hi Alice, how can I help?' });
    await until(() => shown.length === 1, 'the example displays the message');
    expect(shown[0]).toMatchObject({ channelId: 1, userId: 'carol', message: 'Hi Alice, how can I help?' });

    // sendMessage posts to channel 1: carol gets it, and so does the example's own listener.
    const atCarol = arrives(carol, 'chat:new_message');
    sendMessage(1, 'Hello!');
    expect(await atCarol).toMatchObject({
      channelId: 1,
      userId: 'alice',
      message: 'Hello!',
      messageType: 'text',
    });
    await until(() => shown.length === 2, 'the example displays its own message');
    expect(shown[1]).toMatchObject({ channelId: 1, userId: 'alice', message: 'Hello!' });
  });

  it('Presence Management: updateStatus changes presence; presence_updated reaches the listeners', async () => {
    /** The example's code, on one socket. */
    const presenceManagement = (
      socket: Socket,
      updateUserPresence: (userId: unknown, status: unknown) => void,
    ) => {
      // Update status
      const updateStatus = (status: string, message: string | null = null) => {
        socket.emit('update_presence', {
          status,
          statusMessage: message,
          customStatus: 'Working on tickets',
        });
      };

      // Listen for presence updates
      socket.on('presence_updated', (presence) => {
        updateUserPresence(presence.userId, presence.status);
      });
      return updateStatus;
    };

    const alice = await signIn('alice');
    const bob = await signIn('bob');
    const aliceView = new Map<unknown, unknown>();
    const bobView = new Map<unknown, unknown>();
    const updateStatus = presenceManagement(alice, (id, status) => aliceView.set(id, status));
    presenceManagement(bob, (id, status) => bobView.set(id, status));

    updateStatus('busy', 'In a meeting');
    await until(
      () => bobView.get('alice') === 'busy' && aliceView.get('alice') === 'busy',
      'busy everywhere',
    );
    expect(await t.server.store.getUser('alice')).toMatchObject({
      status: 'busy',
      statusMessage: 'In a meeting',
      customStatus: 'Working on tickets',
    });

    // Without a message: the helper sends `statusMessage: null`, which clears it.
    updateStatus('away');
    await until(() => bobView.get('alice') === 'away', 'away at bob');
    expect(await t.server.store.getUser('alice')).toMatchObject({ status: 'away', statusMessage: null });

    // Closing alice's last tab: bob's listener marks her offline.
    alice.disconnect();
    await until(() => bobView.get('alice') === 'offline', 'offline at bob');
  });
});

describe('/helpdesk: one room, many dialects', () => {
  it('a message sent through /helpdesk into general reaches /messenger members, and the other way', async () => {
    const messenger = await connectAs(t, '/messenger', 'alice');
    const bob = await signIn('bob');
    await join(bob, 'general');

    const received = arrives<{
      message: { content: string; sender: { _id: string } };
      conversationId: string;
    }>(messenger, 'receive_message');
    const own = arrives(bob, 'chat:new_message');
    bob.emit('chat:send_message', { channelId: 'general', message: 'From the helpdesk' });
    await own;
    expect(await received).toMatchObject({
      conversationId: 'general',
      message: { content: 'From the helpdesk', sender: { _id: 'bob' } },
    });

    const atBob = arrives(bob, 'chat:new_message');
    const ack = await emitAck(messenger, 'send_message', {
      conversationId: 'general',
      content: 'From the messenger',
      type: 'text',
    });
    expect(ack).toMatchObject({ success: true });
    expect(await atBob).toMatchObject({
      channelId: 'general',
      userId: 'alice',
      userDisplayName: 'Alice',
      message: 'From the messenger',
      messageType: 'text',
    });

    // A /helpdesk socket that has not joined general hears nothing of it.
    const carol = await signIn('carol');
    const quiet = expectQuiet(carol, 'chat:new_message');
    await emitAck(messenger, 'send_message', {
      conversationId: 'general',
      content: 'Anyone?',
      type: 'text',
    });
    await quiet.verify();
  });
});
