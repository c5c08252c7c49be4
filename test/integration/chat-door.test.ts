/**
 * What a dialect does to the chat goes through the chat core and is announced to every namespace: a
 * `/workspace` delete removes the message's reactions before the deletion is told, so `/` tells the deleted
 * message without reactions, every time; `/messenger` refuses to stop typing outside a conversation, as the
 * other dialects do.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, type TestServer } from './kit.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const command = async <T>(socket: Socket, event: string, payload: unknown) =>
  (await socket.timeout(3000).emitWithAck(event, payload)) as { ok: true; data: T };

describe('the chat core as the only door', () => {
  it('a /workspace delete removes the reactions first: / tells message:deleted without them', async () => {
    const canonical = await t.connect('/', 'bob');
    const sent = await command<{ message: { id: string } }>(canonical, 'message:send', {
      roomId: 'general',
      content: 'soon gone',
    });
    const messageId = sent.data.message.id;
    const reacted = await command<{ reactions: unknown[] }>(canonical, 'reaction:add', {
      messageId,
      emoji: '👍',
    });
    expect(reacted.data.reactions).toHaveLength(1);

    const workspace = await t.connect('/workspace', 'bob');
    const joined = nextEvent(workspace, 'joined_channel');
    workspace.emit('join_channel', { channelId: 'general' });
    await joined;
    const told = nextEvent<{ message: { reactions: unknown[]; deletedAt: string | null } }>(
      canonical,
      'message:deleted',
    );
    const deleted = nextEvent(workspace, 'message_deleted');
    workspace.emit('delete_message', { channelId: 'general', messageId });
    await deleted;
    const { message } = await told;
    expect(message.deletedAt).not.toBeNull();
    expect(message.reactions).toEqual([]);
    expect(await t.server.store.listReactions(messageId)).toEqual([]);
  });

  it('/messenger: stopping to type in a conversation the user is not in is refused', async () => {
    const carol = await t.connect('/messenger', 'carol');
    const refused = nextEvent<{ code: string; message: string }>(carol, 'error');
    carol.emit('typing', { conversationId: 'alice-bob', isTyping: false });
    expect(await refused).toEqual({ code: 'FORBIDDEN', message: 'Unauthorized' });
  });
});
