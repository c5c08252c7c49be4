/**
 * The `/messenger` dialect end to end: the generated typed client against the reference server (generated
 * `registerMessenger` over the chat core) on port 0, with real sockets and a real SQLite file.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createMessengerClient, type MessengerClient } from '../../generated/messenger/client.gen.js';
import {
  closeAll,
  closeSocket,
  connectAs,
  expectQuiet,
  nextEvent,
  SECRET,
  serverDrops,
  startTestServer,
  type TestServer,
} from './kit.js';

let t: TestServer;
const client = async (user: string) =>
  createMessengerClient(await connectAs(t, '/messenger', user), { validate: true });

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await closeAll();
  await t.close();
});

describe('/messenger: sending', () => {
  it("acks a stored message and delivers it to the conversation, the sender's tabs included, no one else", async () => {
    const [alice, aliceTab, bob, carol] = await Promise.all([
      client('alice'),
      client('alice'),
      client('bob'),
      client('carol'),
    ]);
    const atBob = nextEvent(bob.socket, 'receive_message');
    const atOtherTab = nextEvent(aliceTab.socket, 'receive_message');
    const atCarol = expectQuiet(carol.socket, 'receive_message');

    const ack = await alice.sendMessage({
      conversationId: 'alice-bob',
      content: 'Hello, how are you?',
      type: 'text',
    });
    expect(ack.success).toBe(true);
    if (!ack.success) return;
    expect(ack.message).toMatchObject({
      conversationId: 'alice-bob',
      content: 'Hello, how are you?',
      type: 'text',
      status: 'sent',
      sender: { _id: 'alice', username: 'alice' },
    });
    // An ack that reports a message sent means it is stored.
    const stored = await t.server.domain.messages.get('alice', ack.message._id);
    expect(stored.content).toBe('Hello, how are you?');

    expect(await atBob).toEqual({ message: ack.message, conversationId: 'alice-bob' });
    expect(await atOtherTab).toEqual({ message: ack.message, conversationId: 'alice-bob' });
    await atCarol.verify();
  });

  it('keeps the file fields of an image message', async () => {
    const alice = await client('alice');
    const ack = await alice.sendMessage({
      conversationId: 'alice-bob',
      content: 'Look',
      type: 'image',
      fileUrl: 'https://example.com/cat.png',
      fileName: 'cat.png',
    });
    expect(ack).toMatchObject({
      success: true,
      message: { type: 'image', fileUrl: 'https://example.com/cat.png', fileName: 'cat.png' },
    });
  });

  it('refuses a non-participant with the documented Unauthorized reply and stores nothing', async () => {
    const carol = await client('carol');
    const before = await t.server.domain.messages.history('alice', 'alice-bob', { limit: 100 });
    const ack = await carol.sendMessage({ conversationId: 'alice-bob', content: 'sneaky', type: 'text' });
    expect(ack).toEqual({ success: false, message: 'Unauthorized' });
    const after = await t.server.domain.messages.history('alice', 'alice-bob', { limit: 100 });
    expect(after.messages).toHaveLength(before.messages.length);
  });

  it('answers an invalid payload with a failed ack that says what is wrong, and keeps serving', async () => {
    const alice = await client('alice');
    // The untyped socket: the typed one (rightly) refuses this payload at compile time.
    const raw = (await (alice.socket as unknown as Socket)
      .timeout(2000)
      .emitWithAck('send_message', { conversationId: 'alice-bob', type: 'video' })) as {
      success: boolean;
      message: string;
    };
    expect(raw.success).toBe(false);
    expect(raw.message).toMatch(/content|type/);
    const ok = await alice.sendMessage({ conversationId: 'alice-bob', content: 'still here', type: 'text' });
    expect(ok.success).toBe(true);
  });
});

describe('/messenger: typing, receipts, edits and deletes', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  beforeAll(async () => {
    [alice, bob] = await Promise.all([client('alice'), client('bob')]);
  });

  it('tells the others who is typing, not the typist', async () => {
    const atBob = nextEvent(bob.socket, 'typing_status');
    const atAlice = expectQuiet(alice.socket, 'typing_status');
    alice.typing({ conversationId: 'alice-bob', isTyping: true });
    expect(await atBob).toEqual({
      userId: 'alice',
      username: 'alice',
      conversationId: 'alice-bob',
      isTyping: true,
    });
    const stopped = nextEvent(bob.socket, 'typing_status');
    alice.typing({ conversationId: 'alice-bob', isTyping: false });
    expect(await stopped).toMatchObject({ isTyping: false });
    await atAlice.verify();
  });

  it('stores read receipts and announces messages_read to the conversation', async () => {
    const sent = await alice.sendMessage({ conversationId: 'alice-bob', content: 'read me', type: 'text' });
    if (!sent.success) throw new Error('send failed');
    const unread = async () => (await t.server.domain.receipts.unreadCounts('bob'))['alice-bob'] ?? 0;
    const before = await unread();
    const atAlice = nextEvent(alice.socket, 'messages_read');
    bob.markRead({ conversationId: 'alice-bob', messageIds: [sent.message._id] });
    expect(await atAlice).toEqual({
      conversationId: 'alice-bob',
      messageIds: [sent.message._id],
      readBy: 'bob',
    });
    expect(await unread()).toBe(before - 1);
  });

  it('lets only the author edit, and announces the edit', async () => {
    const sent = await alice.sendMessage({ conversationId: 'alice-bob', content: 'typo', type: 'text' });
    if (!sent.success) throw new Error('send failed');
    expect(await bob.editMessage({ messageId: sent.message._id, newContent: 'hijacked' })).toEqual({
      success: false,
      message: 'Unauthorized',
    });
    const atBob = nextEvent<{ newContent: string; conversationId: string }>(bob.socket, 'message_edited');
    expect(await alice.editMessage({ messageId: sent.message._id, newContent: 'fixed' })).toEqual({
      success: true,
    });
    expect(await atBob).toMatchObject({
      messageId: sent.message._id,
      newContent: 'fixed',
      conversationId: 'alice-bob',
    });
    expect((await t.server.domain.messages.get('bob', sent.message._id)).content).toBe('fixed');
  });

  it('soft-deletes with the documented placeholder, by the author only', async () => {
    const sent = await alice.sendMessage({ conversationId: 'alice-bob', content: 'oops', type: 'text' });
    if (!sent.success) throw new Error('send failed');
    expect(await bob.deleteMessage({ messageId: sent.message._id })).toEqual({
      success: false,
      message: 'Unauthorized',
    });
    const atBob = nextEvent(bob.socket, 'message_deleted');
    expect(await alice.deleteMessage({ messageId: sent.message._id })).toEqual({ success: true });
    expect(await atBob).toEqual({ messageId: sent.message._id, conversationId: 'alice-bob' });
    const stored = await t.server.domain.messages.get('alice', sent.message._id);
    expect(stored.content).toBe('This message was deleted');
    expect(stored.deletedAt).not.toBeNull();
  });

  it('refuses to join a conversation the user is not in, with the error event', async () => {
    const carol = await client('carol');
    const error = nextEvent<{ code: string; message: string }>(carol.socket, 'error');
    carol.joinConversations(['alice-bob']);
    expect(await error).toEqual({ code: 'FORBIDDEN', message: 'Unauthorized' });
  });
});

describe('/messenger: presence', () => {
  it('announces online on the first tab and offline with last seen only when the last tab closes', async () => {
    await t.server.domain.users.ensure('dave');
    const carol = await client('carol');
    const online = nextEvent(carol.socket, 'user_online');
    const dave1 = await connectAs(t, '/messenger', 'dave');
    expect(await online).toEqual({ userId: 'dave', username: 'dave' });
    const dave2 = await connectAs(t, '/messenger', 'dave');
    const offline = expectQuiet(carol.socket, 'user_offline');
    await closeSocket(dave1);
    await offline.verify();
    const gone = nextEvent<{ userId: string; lastSeen: string }>(carol.socket, 'user_offline');
    dave2.disconnect();
    const event = await gone;
    expect(event.userId).toBe('dave');
    expect(Date.now() - Date.parse(event.lastSeen)).toBeLessThan(5000);
    expect((await t.server.domain.users.get('dave')).lastSeen).toBe(event.lastSeen);
  });
});

describe('/messenger: handshake', () => {
  it.each([
    ['no token', undefined, /no token/],
    [
      'a token with a bad signature',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl',
      /signature|invalid/i,
    ],
  ])('rejects %s with connect_error UNAUTHENTICATED', async (_name, token, reason) => {
    const error = (await connectAs(t, '/messenger', null, { token }).catch((e: unknown) => e)) as Error & {
      data?: { code: string; message: string };
    };
    expect(error).toBeInstanceOf(Error);
    expect(error.data?.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(reason);
  });

  it('rejects an expired token', async () => {
    const { issueToken } = await import('../../server/auth/index.js');
    const token = await issueToken('alice', { secret: SECRET, expiresIn: -10 });
    const error = (await connectAs(t, '/messenger', null, { token }).catch((e: unknown) => e)) as Error & {
      data?: { code: string };
    };
    expect(error.data?.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/expired/i);
  });
});

describe('/messenger: restart', () => {
  it('keeps messages, edits and deletes across a restart', async () => {
    const alice = await client('alice');
    const sent = await alice.sendMessage({ conversationId: 'alice-bob', content: 'durable', type: 'text' });
    if (!sent.success) throw new Error('send failed');
    await alice.editMessage({ messageId: sent.message._id, newContent: 'durable, edited' });
    await t.restart();
    const stored = await t.server.domain.messages.get('alice', sent.message._id);
    expect(stored.content).toBe('durable, edited');
    expect(stored.editedAt).not.toBeNull();
  });
});

describe('/messenger: connection state recovery', () => {
  it('is off by default: an event carries exactly its documented argument, and no session is offered', async () => {
    const bob = await connectAs(t, '/messenger', 'bob');
    const alice = await client('alice');
    const received = new Promise<unknown[]>((resolve) =>
      bob.once('receive_message', (...args) => resolve(args)),
    );
    await alice.sendMessage({ conversationId: 'alice-bob', content: 'one argument', type: 'text' });
    expect(await received).toHaveLength(1);
    expect((bob as unknown as { _pid?: string })._pid).toBeUndefined();
  });

  it('with --recovery, replays what a briefly disconnected client missed, and keeps its session', async () => {
    const recovering = await startTestServer({ recovery: true });
    onTestFinished(() => recovering.close());
    const bob = await connectAs(recovering, '/messenger', 'bob');
    const alice = createMessengerClient(await connectAs(recovering, '/messenger', 'alice'), {
      validate: true,
    });
    // Cut bob's transport without a clean disconnect, send once the server has noticed, then let him reconnect.
    const away = serverDrops(bob);
    bob.io.engine.close();
    await away;
    const sent = await alice.sendMessage({
      conversationId: 'alice-bob',
      content: 'while you were away',
      type: 'text',
    });
    if (!sent.success) throw new Error('send failed');
    const missed = nextEvent<{ message: { _id: string } }>(bob, 'receive_message');
    bob.connect();
    expect((await missed).message._id).toBe(sent.message._id);
    expect(bob.recovered).toBe(true);
  });
});
