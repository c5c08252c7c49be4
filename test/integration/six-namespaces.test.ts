/**
 * One room, six namespaces: what alice does in `general` through one namespace reaches bob on every namespace
 * that has a word for it, each in its own wire format. Bob is connected (and subscribed to `general`, where a
 * dialect asks for that) on all six at once.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, connectAs, emitAck, nextEvent, startTestServer, type TestServer } from './kit.js';

let t: TestServer;
const bob: Record<string, Socket> = {};
const alice: Record<string, Socket> = {};

/** The next `event` on bob's socket of `namespace`, stringified, so we can look for what was sent. */
const seen = (namespace: string, event: string) =>
  nextEvent(bob[namespace]!, event).then((p) => JSON.stringify(p));

beforeAll(async () => {
  t = await startTestServer();
  for (const [who, sockets] of [
    ['bob', bob],
    ['alice', alice],
  ] as const) {
    for (const ns of ['/', '/messenger', '/threads', '/chatterbox', '/workspace'])
      sockets[ns] = await connectAs(t, ns, who);
    // The runtime acks an event without a reply once handled: the joins are in place when the acks are back.
    await emitAck(sockets['/threads']!, 'thread:join', { threadId: 'general' });
    await emitAck(sockets['/chatterbox']!, 'join-conversation', { conversationId: 'general' });
    const joined = nextEvent(sockets['/workspace']!, 'joined_channel');
    sockets['/workspace']!.emit('join_channel', { channelId: 'general' });
    await joined;
    const helpdesk = await connectAs(t, '/helpdesk', null);
    const authenticated = nextEvent(helpdesk, 'authenticated');
    helpdesk.emit('authenticate', await t.server.auth.issueToken!(who));
    await authenticated;
    const inChannel = nextEvent(helpdesk, 'user_joined');
    helpdesk.emit('join_channel', 'general');
    await inChannel;
    sockets['/helpdesk'] = helpdesk;
  }
}, 60_000);

afterAll(async () => {
  await closeAll();
  await t.close();
});

describe('one room, six namespaces', () => {
  let messageId = '';

  it('a message sent through /workspace reaches bob on all six', async () => {
    const content = 'Hello from /workspace to everyone in #general';
    const arrivals = [
      seen('/', 'message:created'),
      seen('/messenger', 'receive_message'),
      seen('/threads', 'message:new'),
      seen('/chatterbox', 'new-message'),
      seen('/helpdesk', 'chat:new_message'),
      seen('/workspace', 'new_message'),
    ];
    alice['/workspace']!.emit('send_message', { content, channelId: 'general' });
    for (const payload of await Promise.all(arrivals)) expect(payload).toContain(content);
    const { messages } = await t.server.domain.messages.history('bob', 'general', { limit: 1 });
    messageId = messages.at(-1)!.id;
    expect(messages.at(-1)!.content).toBe(content);
  });

  it('an edit through / reaches the namespaces that show edits', async () => {
    const arrivals = [
      seen('/', 'message:updated'),
      seen('/messenger', 'message_edited'),
      seen('/threads', 'message:update'),
      seen('/workspace', 'message_edited'),
    ];
    const ack = await emitAck(alice['/']!, 'message:edit', { messageId, content: 'edited via /' });
    expect(ack).toMatchObject({ ok: true });
    for (const payload of await Promise.all(arrivals)) expect(payload).toContain('edited via /');
  });

  it('a reaction through / reaches the namespaces that show reactions', async () => {
    const arrivals = [seen('/', 'reaction:updated'), seen('/workspace', 'reaction_added')];
    const ack = await emitAck(alice['/']!, 'reaction:add', { messageId, emoji: '👍' });
    expect(ack).toMatchObject({ ok: true });
    for (const payload of await Promise.all(arrivals)) expect(payload).toContain('👍');
  });

  it('typing through /threads reaches the namespaces that show typing', async () => {
    const arrivals = [
      seen('/', 'typing:updated'),
      seen('/messenger', 'typing_status'),
      seen('/threads', 'typing:update'),
      seen('/chatterbox', 'user-typing'),
      seen('/helpdesk', 'chat:user_typing'),
    ];
    alice['/threads']!.emit('typing:start', { threadId: 'general' });
    for (const payload of await Promise.all(arrivals)) expect(payload).toContain('alice');
    alice['/threads']!.emit('typing:stop', { threadId: 'general' });
  });

  it('a read receipt through /messenger reaches the namespaces that show receipts', async () => {
    const arrivals = [seen('/', 'receipt:updated'), seen('/messenger', 'messages_read')];
    alice['/messenger']!.emit('mark_read', { conversationId: 'general', messageIds: [messageId] });
    for (const payload of await Promise.all(arrivals)) expect(payload).toContain('alice');
  });

  it('a delete through /messenger reaches the namespaces that show deletes, and the store keeps it soft-deleted', async () => {
    const arrivals = [
      seen('/', 'message:deleted'),
      seen('/messenger', 'message_deleted'),
      seen('/threads', 'message:delete'),
      seen('/workspace', 'message_deleted'),
    ];
    const ack = await emitAck(alice['/messenger']!, 'delete_message', { messageId });
    expect(ack).toEqual({ success: true });
    for (const payload of await Promise.all(arrivals)) expect(payload).toContain(messageId);
    expect((await t.server.domain.messages.get('bob', messageId)).deletedAt).not.toBeNull();
  });
});
