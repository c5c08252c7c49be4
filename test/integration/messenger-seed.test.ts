/**
 * Seed 001's own client code ("Client Usage" and "Client Handler" blocks), changed only in URL and token (and
 * React state turned into plain variables), against the reference server's `/messenger`.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, type TestServer } from './kit.js';

let t: TestServer;
let SOCKET_URL: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer();
  SOCKET_URL = `${t.server.url}/messenger`;
  for (const user of ['alice', 'bob']) tokens[user] = await t.server.auth.issueToken!(user);
});
afterAll(async () => {
  await t.close();
});

/** The seed's connection: `io(SOCKET_URL, { auth: { token: localStorage.getItem('token') } })`. */
async function connectAs(user: string): Promise<Socket> {
  const localStorage = { getItem: (_key: string) => tokens[user] };
  const socket = io(SOCKET_URL, {
    auth: { token: localStorage.getItem('token') },
  });
  await nextEvent(socket, 'connect');
  return socket;
}

describe("seed 001's client code", () => {
  it('sends with the documented callback, receives, shows typing, marks read and sees messages_read', async () => {
    const aliceSocket = await connectAs('alice');
    const bobSocket = await connectAs('bob');
    const conversation = { _id: 'alice-bob' };
    const conversations = [conversation];
    const currentConversation = conversation;

    // useEffect: join all conversation rooms once connected
    {
      const socket = bobSocket;
      const connected = true;
      if (socket && connected) {
        const conversationIds = conversations.map((c) => c._id);
        socket.emit('join_conversations', conversationIds);
      }
    }

    // Bob's handlers, as the seed writes them (state kept in plain variables).
    let bobMessages: { _id: string; content: string; status?: string }[] = [];
    const typingUsers = new Set<string>();
    bobSocket.on('receive_message', ({ message, conversationId }) => {
      if (conversationId === currentConversation._id) bobMessages = [...bobMessages, message];
    });
    bobSocket.on('typing_status', ({ username, conversationId, isTyping }) => {
      if (conversationId === currentConversation._id) {
        if (isTyping) typingUsers.add(username);
        else typingUsers.delete(username);
      }
    });

    // Alice: handleSendMessage
    let aliceMessages: { _id: string; content: string; status?: string }[] = [];
    const messageText = 'Hello, how are you?';
    const received = nextEvent(bobSocket, 'receive_message');
    const response = await new Promise<{ success: boolean; message: { _id: string; content: string } }>(
      (resolve) => {
        const socket = aliceSocket;
        socket.emit(
          'send_message',
          { conversationId: conversation._id, content: messageText, type: 'text' },
          (response: { success: boolean; message: { _id: string; content: string } }) => {
            if (response.success) aliceMessages = [...aliceMessages, response.message];
            resolve(response);
          },
        );
      },
    );
    expect(response.success).toBe(true);
    expect(aliceMessages.map((m) => m.content)).toEqual([messageText]);
    await received;
    expect(bobMessages.map((m) => m._id)).toEqual([response.message._id]);

    // Alice: handleTyping emits typing true; Bob sees her in typingUsers
    const typingSeen = nextEvent(bobSocket, 'typing_status');
    aliceSocket.emit('typing', { conversationId: conversation._id, isTyping: true });
    await typingSeen;
    expect(typingUsers.has('alice')).toBe(true);
    const stopped = nextEvent(bobSocket, 'typing_status');
    aliceSocket.emit('typing', { conversationId: conversation._id, isTyping: false });
    await stopped;
    expect(typingUsers.size).toBe(0);

    // Bob: the mark_read effect; Alice's messages_read handler marks her message read
    aliceSocket.on('messages_read', ({ conversationId, messageIds }) => {
      if (conversationId === currentConversation._id) {
        aliceMessages = aliceMessages.map((msg) =>
          messageIds.includes(msg._id) ? { ...msg, status: 'read' } : msg,
        );
      }
    });
    const read = nextEvent(aliceSocket, 'messages_read');
    const unreadIds = bobMessages.filter((m) => m.status !== 'read').map((m) => m._id);
    if (unreadIds.length > 0)
      bobSocket.emit('mark_read', { conversationId: conversation._id, messageIds: unreadIds });
    await read;
    expect(aliceMessages[0]?.status).toBe('read');

    aliceSocket.disconnect();
    bobSocket.disconnect();
  });

  it('edits and deletes as the server handlers describe, and shows the documented placeholder', async () => {
    const aliceSocket = await connectAs('alice');
    const bobSocket = await connectAs('bob');
    const sent = (await aliceSocket.emitWithAck('send_message', {
      conversationId: 'alice-bob',
      content: 'Updated message content?',
      type: 'text',
    })) as { message: { _id: string } };
    let shown = { _id: sent.message._id, content: 'Updated message content?', deleted: false };
    bobSocket.on('message_deleted', ({ messageId }) => {
      if (messageId === shown._id) shown = { ...shown, deleted: true, content: 'This message was deleted' };
    });
    expect(await bobSocket.emitWithAck('edit_message', { messageId: shown._id, newContent: 'x' })).toEqual({
      success: false,
      message: 'Unauthorized',
    });
    const deleted = nextEvent(bobSocket, 'message_deleted');
    expect(await aliceSocket.emitWithAck('delete_message', { messageId: shown._id })).toEqual({
      success: true,
    });
    await deleted;
    expect(shown).toMatchObject({ deleted: true, content: 'This message was deleted' });
    expect((await t.server.domain.messages.get('alice', shown._id)).content).toBe('This message was deleted');
    aliceSocket.disconnect();
    bobSocket.disconnect();
  });

  it("a bad token gets the seed's connect_error, whose message the client checks for 'Authentication'", async () => {
    const socket = io(SOCKET_URL, { auth: { token: 'not-a-jwt' }, reconnection: false });
    const error = await nextEvent<Error>(socket, 'connect_error');
    expect(error.message.includes('Authentication')).toBe(true);
    socket.disconnect();
  });
});
