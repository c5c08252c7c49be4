/**
 * The `/workspace` dialect (seed 004) end to end: a real server on port 0, real sockets speaking the seed's
 * events (token in the auth object and in the query string), the seed's own client code, and the same rooms
 * seen through `/messenger`. Demo data: alice, bob, carol (admin; owner of #general), #general (all three),
 * the direct conversation `alice-bob`.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../server/store/types.js';
import {
  ARRIVAL_MS,
  closeAll,
  collect,
  connectAs,
  emitAck,
  expectQuiet,
  nextEvent,
  socketAs,
  startTestServer,
  type TestServer,
  track,
} from './kit.js';

let t: TestServer;
/** A second channel alice and bob are in (carol is not), and a private one only carol is in. */
let random: string;
let staff: string;

beforeAll(async () => {
  // Many tests send as the same users: limits that cannot run out, except in the rate-limit test's own server.
  const plenty = { burst: 10_000, perSecond: 10_000 };
  t = await startTestServer({ domain: { rateLimits: { message: plenty, reaction: plenty } } });
  const { rooms, users } = t.server.domain;
  await users.ensure('dave');
  random = (await rooms.create('alice', { kind: 'channel', name: 'random', members: ['bob'] })).room.id;
  staff = (await rooms.create('carol', { kind: 'channel', name: 'staff', private: true })).room.id;
});
afterEach(closeAll);
afterAll(async () => {
  await t.close();
});

const token = (user: string) => t.server.auth.issueToken!(user);

/** `user`'s socket, connected and authenticated. */
const connect = (user: string) => connectAs(t, '/workspace', user, { welcome: 'authenticated' });

async function joinChannel(socket: Socket, channelId: string) {
  const joined = nextEvent(socket, 'joined_channel');
  socket.emit('join_channel', { channelId });
  expect(await joined).toEqual({ channelId });
}

async function joinConversation(socket: Socket, conversationId: string) {
  const joined = nextEvent(socket, 'conversation_joined');
  socket.emit('join_conversation', { conversationId });
  expect(await joined).toEqual({ conversationId });
}

interface WireMessage {
  id: string;
  content: string;
  createdAt: string;
  replyToId: string | null;
  channelId?: string;
  conversationId?: string;
  replyTo: WireMessage | null;
  attachments: { id: string; url: string; originalName: string }[];
  reactions: unknown[];
}

/** Sends through the socket, which has joined the room, and resolves with the broadcast it gets back. */
async function send(socket: Socket, payload: Record<string, unknown>): Promise<WireMessage> {
  const direct = 'conversationId' in payload;
  const echoed = nextEvent<WireMessage>(socket, direct ? 'new_direct_message' : 'new_message', {
    where: (m) => m.content === payload.content,
  });
  socket.emit(direct ? 'send_direct_message' : 'send_message', payload);
  return echoed;
}

/** A message stored straight through the chat core (the fixture for edit/delete/react cases). */
async function stored(userId: string, roomId: string, content: string): Promise<Message> {
  return (await t.server.chat.sendMessage(userId, { roomId, content })).message;
}

const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 8)}`;

describe('/workspace: handshake', () => {
  it('authenticates a token from the auth object and says who the user is', async () => {
    const socket = await socketAs(t, '/workspace', 'alice');
    const welcome = nextEvent(socket, 'authenticated');
    socket.connect();
    expect(await welcome).toEqual({ userId: 'alice', user: { id: 'alice', name: 'Alice', image: null } });
  });

  it('authenticates a token from the query string', async () => {
    const socket = await socketAs(t, '/workspace', 'bob', { via: 'query' });
    const welcome = nextEvent(socket, 'authenticated');
    socket.connect();
    expect(await welcome).toMatchObject({ userId: 'bob' });
  });

  it.each([
    ['a token with a bad signature', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl' }],
    ['no token', {}],
  ])('answers %s with error "Authentication failed", then disconnects', async (_name, auth) => {
    const socket = await socketAs(t, '/workspace', null, auth);
    const error = nextEvent(socket, 'error');
    const gone = nextEvent<string>(socket, 'disconnect');
    const welcomes = collect(socket, 'authenticated');
    socket.connect();
    expect(await error).toEqual({ message: 'Authentication failed', code: 'UNAUTHENTICATED' });
    expect(await gone).toBe('io server disconnect');
    // Disconnected by the server: nothing can follow, so the recording is complete.
    expect(welcomes.got).toEqual([]);
  });
});

describe('/workspace: an unauthenticated socket is served nothing', () => {
  // Every client event, with a payload that would succeed for alice.
  const events: [string, () => Record<string, unknown> | undefined, string][] = [
    ['join_channel', () => ({ channelId: 'general' }), 'joined_channel'],
    ['leave_channel', () => ({ channelId: 'general' }), 'left_channel'],
    ['send_message', () => ({ channelId: 'general', content: 'intruder' }), 'new_message'],
    ['edit_message', () => ({ channelId: 'general', messageId: 'x', content: 'intruder' }), 'message_edited'],
    ['delete_message', () => ({ channelId: 'general', messageId: 'x' }), 'message_deleted'],
    [
      'forward_message',
      () => ({ channelId: 'general', messageId: 'x', targetChannelId: random }),
      'message_forwarded',
    ],
    ['add_reaction', () => ({ channelId: 'general', messageId: 'x', emoji: '👍' }), 'reaction_added'],
    ['remove_reaction', () => ({ channelId: 'general', messageId: 'x', emoji: '👍' }), 'reaction_removed'],
    ['join_conversation', () => ({ conversationId: 'alice-bob' }), 'conversation_joined'],
    ['leave_conversation', () => ({ conversationId: 'alice-bob' }), 'conversation_left'],
    [
      'send_direct_message',
      () => ({ conversationId: 'alice-bob', content: 'intruder' }),
      'new_direct_message',
    ],
    [
      'edit_direct_message',
      () => ({ conversationId: 'alice-bob', messageId: 'x', content: 'intruder' }),
      'direct_message_edited',
    ],
    [
      'delete_direct_message',
      () => ({ conversationId: 'alice-bob', messageId: 'x' }),
      'direct_message_deleted',
    ],
    [
      'add_direct_reaction',
      () => ({ conversationId: 'alice-bob', messageId: 'x', emoji: '👍' }),
      'direct_reaction_added',
    ],
    [
      'remove_direct_reaction',
      () => ({ conversationId: 'alice-bob', messageId: 'x', emoji: '👍' }),
      'direct_reaction_removed',
    ],
    ['ping', () => undefined, 'pong'],
  ];

  it.each(events)(
    '%s with a bad token: only the authentication error, and the socket is closed',
    async (event, payload, effect) => {
      const socket = await socketAs(t, '/workspace', null, { token: 'not-a-jwt' });
      // Once the server has closed the socket nothing more can arrive on it.
      const errors: unknown[] = [];
      const effects: unknown[] = [];
      socket.on('error', (payload) => errors.push(payload));
      socket.on(effect, (payload) => effects.push(payload));
      const gone = nextEvent(socket, 'disconnect');
      socket.once('connect', () => {
        const body = payload();
        if (body === undefined) socket.emit(event);
        else socket.emit(event, body);
      });
      socket.connect();
      await gone;
      expect(errors).toEqual([{ message: 'Authentication failed', code: 'UNAUTHENTICATED' }]);
      expect(effects).toEqual([]);
      const history = await t.server.domain.messages.history('alice', 'general', { limit: 100 });
      expect(history.messages.map((m) => m.content)).not.toContain('intruder');
    },
  );
});

describe('/workspace: channels', () => {
  it('lets a member join and leave a channel; events arrive only while joined', async () => {
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await joinChannel(bob, 'general');
    const content = unique('while joined');
    const atBob = nextEvent<WireMessage>(bob, 'new_message', { where: (m) => m.content === content });
    await t.server.chat.sendMessage('alice', { roomId: 'general', content });
    await atBob;

    const left = nextEvent(bob, 'left_channel');
    bob.emit('leave_channel', { channelId: 'general' });
    expect(await left).toEqual({ channelId: 'general' });
    const afterLeaving = expectQuiet<WireMessage>(bob, 'new_message');
    await joinChannel(alice, 'general');
    await send(alice, { channelId: 'general', content: unique('after bob left') });
    await afterLeaving.verify();
    // Leaving keeps the membership.
    expect(await t.server.store.getMembership('general', 'bob')).toBeDefined();
  });

  it('answers left_channel also for a channel the socket had not joined', async () => {
    const carol = await connect('carol');
    const left = nextEvent(carol, 'left_channel');
    carol.emit('leave_channel', { channelId: random });
    expect(await left).toEqual({ channelId: random });
  });

  it.each([
    ['a channel the user is not a member of', () => staff],
    ['an unknown channel', () => 'no-such-channel'],
    ['a conversation', () => 'alice-bob'],
  ])('refuses to join %s with "Access denied to channel"', async (_name, channelId) => {
    const bob = await connect('bob');
    const error = nextEvent(bob, 'error');
    const joined = expectQuiet(bob, 'joined_channel');
    await emitAck(bob, 'join_channel', { channelId: channelId() });
    expect(await error).toEqual({ message: 'Access denied to channel', code: 'FORBIDDEN' });
    await joined.verify();
  });

  it("stores a message and delivers it to the channel's joined sockets, the sender's included, and no one else", async () => {
    const [alice, bob, carolJoinedNothing, dave] = await Promise.all([
      connect('alice'),
      connect('bob'),
      connect('carol'),
      connect('dave'),
    ]);
    await Promise.all([joinChannel(alice, 'general'), joinChannel(bob, 'general')]);
    const content = unique('Hello, world!');
    const atBob = nextEvent<WireMessage>(bob, 'new_message', { where: (m) => m.content === content });
    const atCarol = expectQuiet(carolJoinedNothing, 'new_message');
    const atDave = expectQuiet(dave, 'new_message');

    const message = await send(alice, { content, channelId: 'general', attachments: [] });
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_/),
      content,
      channelId: 'general',
      userId: 'alice',
      createdAt: expect.any(String),
      updatedAt: message.createdAt,
      replyToId: null,
      user: { id: 'alice', name: 'Alice', image: null },
      replyTo: null,
      attachments: [],
      reactions: [],
    });
    expect(await atBob).toEqual(message);
    await Promise.all([atCarol.verify(), atDave.verify()]);
    expect((await t.server.domain.messages.get('alice', message.id)).content).toBe(content);
  });

  it('sends a reply with the answered message in replyTo', async () => {
    const alice = await connect('alice');
    await joinChannel(alice, 'general');
    const original = await stored('bob', 'general', unique('Is everyone here?'));
    const reply = await send(alice, {
      content: unique('Yes'),
      channelId: 'general',
      replyToId: original.id,
    });
    expect(reply.replyToId).toBe(original.id);
    expect(reply.replyTo).toMatchObject({
      id: original.id,
      content: original.content,
      channelId: 'general',
      userId: 'bob',
      user: { id: 'bob', name: 'Bob', image: null },
      replyTo: null,
    });
  });

  it('refuses a reply to a message of another room (NOT_FOUND) and stores nothing', async () => {
    const alice = await connect('alice');
    const elsewhere = await stored('bob', 'alice-bob', unique('private'));
    const error = nextEvent(alice, 'error');
    const content = unique('misplaced reply');
    alice.emit('send_message', { content, channelId: 'general', replyToId: elsewhere.id });
    expect(await error).toMatchObject({ code: 'NOT_FOUND' });
    const history = await t.server.domain.messages.history('alice', 'general', { limit: 100 });
    expect(history.messages.map((m) => m.content)).not.toContain(content);
  });

  it("lets the author edit, announces it to the joined sockets, and refuses someone else's message", async () => {
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await joinChannel(bob, 'general');
    const message = await stored('alice', 'general', unique('typo'));

    const refused = nextEvent(bob, 'error');
    bob.emit('edit_message', { messageId: message.id, content: 'hijacked', channelId: 'general' });
    expect(await refused).toMatchObject({ code: 'FORBIDDEN' });

    const edited = nextEvent(bob, 'message_edited');
    alice.emit('edit_message', { messageId: message.id, content: 'Updated content', channelId: 'general' });
    expect(await edited).toEqual({ messageId: message.id, content: 'Updated content' });
    const after = await t.server.domain.messages.get('alice', message.id);
    expect(after.content).toBe('Updated content');
    expect(after.editedAt).not.toBeNull();
  });

  it('refuses to edit a message through another channel (NOT_FOUND)', async () => {
    const alice = await connect('alice');
    const message = await stored('alice', 'general', unique('here'));
    const error = nextEvent(alice, 'error');
    alice.emit('edit_message', { messageId: message.id, content: 'moved?', channelId: random });
    expect(await error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("deletes the author's message with its reactions, and announces it; a plain member cannot delete another's", async () => {
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await joinChannel(bob, 'general');
    const message = await stored('alice', 'general', unique('oops'));
    await t.server.chat.addReaction('bob', message.id, '👍');

    const refused = nextEvent(bob, 'error');
    bob.emit('delete_message', { messageId: message.id, channelId: 'general' });
    expect(await refused).toMatchObject({ code: 'FORBIDDEN' });

    const deleted = nextEvent(bob, 'message_deleted');
    alice.emit('delete_message', { messageId: message.id, channelId: 'general' });
    expect(await deleted).toEqual({ messageId: message.id, channelId: 'general' });
    expect((await t.server.store.getMessage(message.id))?.deletedAt).not.toBeNull();
    expect(await t.server.store.listReactions(message.id)).toEqual([]);

    // Gone for this dialect: deleting or editing it again finds nothing.
    const again = nextEvent(alice, 'error');
    alice.emit('delete_message', { messageId: message.id, channelId: 'general' });
    expect(await again).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("lets the channel's owner delete someone else's message (the core's rule)", async () => {
    const [carol, bob] = await Promise.all([connect('carol'), connect('bob')]);
    await joinChannel(bob, 'general');
    const message = await stored('bob', 'general', unique('off topic'));
    const deleted = nextEvent(bob, 'message_deleted');
    carol.emit('delete_message', { messageId: message.id, channelId: 'general' });
    expect(await deleted).toEqual({ messageId: message.id, channelId: 'general' });
  });

  it('forwards a copy into another channel: new_message there, message_forwarded to the sender', async () => {
    const [alice, bobInRandom, carolInGeneral] = await Promise.all([
      connect('alice'),
      connect('bob'),
      connect('carol'),
    ]);
    await Promise.all([joinChannel(bobInRandom, random), joinChannel(carolInGeneral, 'general')]);
    const original = await stored('carol', 'general', unique('Deploy is scheduled for Friday.'));
    const atBob = nextEvent<WireMessage>(bobInRandom, 'new_message', {
      where: (m) => m.content === original.content,
    });
    // Carol joined only the source channel: the copy is not hers to see.
    const atCarol = expectQuiet<WireMessage>(carolInGeneral, 'new_message', {
      where: (m) => m.id !== original.id,
    });
    const confirmed = nextEvent<{ message: WireMessage }>(alice, 'message_forwarded');
    const notForBob = expectQuiet(bobInRandom, 'message_forwarded');

    alice.emit('forward_message', { messageId: original.id, channelId: 'general', targetChannelId: random });
    const copy = await atBob;
    expect(copy).toMatchObject({ content: original.content, channelId: random, userId: 'alice' });
    expect(copy.id).not.toBe(original.id);
    expect(await confirmed).toEqual({
      messageId: original.id,
      channelId: 'general',
      targetChannelId: random,
      message: copy,
    });
    await Promise.all([atCarol.verify(), notForBob.verify()]);
  });

  it('refuses to forward into a channel the sender is not a member of', async () => {
    const alice = await connect('alice');
    const original = await stored('alice', 'general', unique('secret plans'));
    const error = nextEvent(alice, 'error');
    alice.emit('forward_message', { messageId: original.id, channelId: 'general', targetChannelId: staff });
    expect(await error).toEqual({ message: 'Access denied to channel', code: 'FORBIDDEN' });
  });

  it('adds a reaction once, announces it, and removes it', async () => {
    const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
    await joinChannel(bob, 'general');
    const message = await stored('bob', 'general', unique('react to me'));

    const added = nextEvent(bob, 'reaction_added');
    alice.emit('add_reaction', { messageId: message.id, emoji: '👍', channelId: 'general' });
    expect(await added).toEqual({
      id: expect.stringMatching(/^rxn_/),
      emoji: '👍',
      messageId: message.id,
      userId: 'alice',
      createdAt: expect.any(String),
      user: { id: 'alice', name: 'Alice' },
    });

    const repeated = expectQuiet(bob, 'reaction_added');
    await emitAck(alice, 'add_reaction', { messageId: message.id, emoji: '👍', channelId: 'general' });
    await repeated.verify();
    expect(await t.server.domain.reactions.counts('bob', message.id)).toEqual([
      { emoji: '👍', count: 1, userIds: ['alice'] },
    ]);

    const removed = nextEvent(bob, 'reaction_removed');
    alice.emit('remove_reaction', { messageId: message.id, emoji: '👍', channelId: 'general' });
    expect(await removed).toEqual({
      messageId: message.id,
      emoji: '👍',
      userId: 'alice',
      channelId: 'general',
    });
    const nothingToRemove = expectQuiet(bob, 'reaction_removed');
    await emitAck(alice, 'remove_reaction', { messageId: message.id, emoji: '👍', channelId: 'general' });
    await nothingToRemove.verify();
    expect(await t.server.domain.reactions.counts('bob', message.id)).toEqual([]);
  });
});

describe('/workspace: direct conversations', () => {
  it('joins a conversation, and refuses one the user does not take part in', async () => {
    const [alice, carol] = await Promise.all([connect('alice'), connect('carol')]);
    await joinConversation(alice, 'alice-bob');
    const error = nextEvent(carol, 'error');
    carol.emit('join_conversation', { conversationId: 'alice-bob' });
    expect(await error).toEqual({ message: 'Access denied to conversation', code: 'FORBIDDEN' });
  });

  it('sends, edits, reacts to and deletes a direct message, each reaching the joined participants only', async () => {
    const [alice, bob, carol] = await Promise.all([connect('alice'), connect('bob'), connect('carol')]);
    await Promise.all([joinConversation(alice, 'alice-bob'), joinConversation(bob, 'alice-bob')]);
    await joinChannel(carol, 'general');
    const carolHears = expectQuiet(carol, [
      'new_direct_message',
      'direct_message_edited',
      'direct_reaction_added',
    ]);

    const content = unique('Hello, how are you?');
    const atBob = nextEvent<WireMessage>(bob, 'new_direct_message', { where: (m) => m.content === content });
    const message = await send(alice, { content, conversationId: 'alice-bob', attachments: [] });
    expect(message).toMatchObject({
      content,
      conversationId: 'alice-bob',
      userId: 'alice',
      replyToId: null,
      replyTo: null,
      user: { id: 'alice', name: 'Alice', image: null },
    });
    expect(message).not.toHaveProperty('channelId');
    expect(await atBob).toEqual(message);

    const edited = nextEvent(bob, 'direct_message_edited');
    alice.emit('edit_direct_message', {
      messageId: message.id,
      content: 'Updated content',
      conversationId: 'alice-bob',
    });
    expect(await edited).toEqual({ messageId: message.id, content: 'Updated content' });

    const reacted = nextEvent(alice, 'direct_reaction_added');
    bob.emit('add_direct_reaction', { messageId: message.id, emoji: '🎉', conversationId: 'alice-bob' });
    expect(await reacted).toMatchObject({ emoji: '🎉', messageId: message.id, userId: 'bob' });
    const unreacted = nextEvent(alice, 'direct_reaction_removed');
    bob.emit('remove_direct_reaction', { messageId: message.id, emoji: '🎉', conversationId: 'alice-bob' });
    expect(await unreacted).toEqual({
      messageId: message.id,
      emoji: '🎉',
      userId: 'bob',
      conversationId: 'alice-bob',
    });

    const refused = nextEvent(bob, 'error');
    bob.emit('delete_direct_message', { messageId: message.id, conversationId: 'alice-bob' });
    expect(await refused).toMatchObject({ code: 'FORBIDDEN' });
    const deleted = nextEvent(bob, 'direct_message_deleted');
    alice.emit('delete_direct_message', { messageId: message.id, conversationId: 'alice-bob' });
    expect(await deleted).toEqual({ messageId: message.id, conversationId: 'alice-bob' });

    await carolHears.verify();
  });

  it('stops delivering after leave_conversation, and keeps the participant', async () => {
    const bob = await connect('bob');
    await joinConversation(bob, 'alice-bob');
    const left = nextEvent(bob, 'conversation_left');
    bob.emit('leave_conversation', { conversationId: 'alice-bob' });
    expect(await left).toEqual({ conversationId: 'alice-bob' });
    const after = expectQuiet(bob, 'new_direct_message');
    await stored('alice', 'alice-bob', unique('after leaving'));
    await after.verify();
    expect(await t.server.store.getMembership('alice-bob', 'bob')).toBeDefined();
  });
});

describe('/workspace: forbidden and invalid requests', () => {
  let aliceInGeneral: Message;
  let aliceInDm: Message;
  beforeAll(async () => {
    aliceInGeneral = await stored('alice', 'general', unique('alice in general'));
    aliceInDm = await stored('alice', 'alice-bob', unique('alice to bob'));
  });

  // [event, who, payload, documented error]
  const forbidden: [string, string, () => Record<string, unknown>, Record<string, unknown>][] = [
    ['join_channel', 'bob', () => ({ channelId: staff }), { message: 'Access denied to channel' }],
    [
      'send_message',
      'bob',
      () => ({ channelId: staff, content: 'hi' }),
      { message: 'Access denied to channel' },
    ],
    [
      'edit_message',
      'bob',
      () => ({ channelId: 'general', messageId: aliceInGeneral.id, content: 'mine now' }),
      { code: 'FORBIDDEN' },
    ],
    [
      'delete_message',
      'bob',
      () => ({ channelId: 'general', messageId: aliceInGeneral.id }),
      { code: 'FORBIDDEN' },
    ],
    [
      'forward_message',
      'bob',
      () => ({ channelId: 'general', messageId: aliceInGeneral.id, targetChannelId: staff }),
      { message: 'Access denied to channel' },
    ],
    [
      'add_reaction',
      'dave',
      () => ({ channelId: 'general', messageId: aliceInGeneral.id, emoji: '👍' }),
      { message: 'Access denied to channel' },
    ],
    [
      'remove_reaction',
      'dave',
      () => ({ channelId: 'general', messageId: aliceInGeneral.id, emoji: '👍' }),
      { message: 'Access denied to channel' },
    ],
    [
      'join_conversation',
      'carol',
      () => ({ conversationId: 'alice-bob' }),
      { message: 'Access denied to conversation' },
    ],
    [
      'send_direct_message',
      'carol',
      () => ({ conversationId: 'alice-bob', content: 'hi' }),
      { message: 'Access denied to conversation' },
    ],
    [
      'edit_direct_message',
      'bob',
      () => ({ conversationId: 'alice-bob', messageId: aliceInDm.id, content: 'mine now' }),
      { code: 'FORBIDDEN' },
    ],
    [
      'delete_direct_message',
      'bob',
      () => ({ conversationId: 'alice-bob', messageId: aliceInDm.id }),
      { code: 'FORBIDDEN' },
    ],
    [
      'add_direct_reaction',
      'carol',
      () => ({ conversationId: 'alice-bob', messageId: aliceInDm.id, emoji: '👍' }),
      { message: 'Access denied to conversation' },
    ],
    [
      'remove_direct_reaction',
      'carol',
      () => ({ conversationId: 'alice-bob', messageId: aliceInDm.id, emoji: '👍' }),
      { message: 'Access denied to conversation' },
    ],
  ];

  it.each(forbidden)('%s by %s is refused with the error event', async (event, user, payload, expected) => {
    const socket = await connect(user);
    const error = nextEvent<{ message: string; code: string }>(socket, 'error');
    socket.emit(event, payload());
    expect(await error).toMatchObject({ code: 'FORBIDDEN', ...expected });
    // Nothing changed.
    expect((await t.server.store.getMessage(aliceInGeneral.id))?.content).toBe(aliceInGeneral.content);
    expect((await t.server.store.getMessage(aliceInDm.id))?.deletedAt).toBeNull();
  });

  // [event, what is wrong, payload]
  const invalid: [string, string, unknown][] = [
    ['join_channel', 'no channelId', {}],
    ['leave_channel', 'an empty channelId', { channelId: '' }],
    ['send_message', 'no content', { channelId: 'general' }],
    ['send_message', 'content over 5000 characters', { channelId: 'general', content: 'x'.repeat(5001) }],
    ['send_message', 'an unknown key', { channelId: 'general', content: 'hi', extra: true }],
    [
      'send_message',
      'more than 10 attachments',
      { channelId: 'general', content: 'hi', attachments: Array(11).fill('u') },
    ],
    ['edit_message', 'empty content', { messageId: 'm', channelId: 'general', content: '' }],
    ['delete_message', 'no channelId', { messageId: 'm' }],
    ['forward_message', 'no targetChannelId', { messageId: 'm', channelId: 'general' }],
    ['add_reaction', 'a number as emoji', { messageId: 'm', channelId: 'general', emoji: 42 }],
    ['remove_reaction', 'a bare string', 'general'],
    ['join_conversation', 'channelId instead of conversationId', { channelId: 'alice-bob' }],
    ['leave_conversation', 'null', null],
    [
      'send_direct_message',
      'an attachment without id',
      { conversationId: 'alice-bob', content: 'hi', attachments: [{}] },
    ],
    ['edit_direct_message', 'no content', { messageId: 'm', conversationId: 'alice-bob' }],
    ['delete_direct_message', 'no messageId', { conversationId: 'alice-bob' }],
    ['add_direct_reaction', 'an empty emoji', { messageId: 'm', conversationId: 'alice-bob', emoji: '' }],
    ['remove_direct_reaction', 'an array', []],
  ];

  it.each(invalid)(
    '%s with %s fails with VALIDATION_FAILED and keeps serving',
    async (event, _what, payload) => {
      const alice = await connect('alice');
      const error = nextEvent<{ message: string; code: string }>(alice, 'error');
      alice.emit(event, payload);
      const received = await error;
      expect(received.code).toBe('VALIDATION_FAILED');
      expect(received.message).toContain(event);
      // Still served.
      const pong = nextEvent(alice, 'pong');
      alice.emit('ping');
      await pong;
    },
  );

  it('refuses an attachment that is not an upload of the sender', async () => {
    const alice = await connect('alice');
    const error = nextEvent(alice, 'error');
    alice.emit('send_message', { content: 'see file', channelId: 'general', attachments: ['upl_nope'] });
    expect(await error).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('/workspace: failures a retry may fix, and rate limits', () => {
  it('"Error Recovery": a send that failed on the server says "Failed to send", and the retry goes through', async () => {
    const socket = await connect('alice');
    await joinChannel(socket, 'general');
    const retried: Record<string, unknown>[] = [];
    const storeMessageForRetry = (data: unknown) => retried.push(data as Record<string, unknown>);
    const messageData = { content: unique('retry me'), channelId: 'general' };
    const failure = vi
      .spyOn(t.server.chat, 'sendMessage')
      .mockRejectedValueOnce(new Error('the database did not answer in time'));

    // Retry failed operations
    socket.on('error', (data) => {
      if (data.message.includes('Failed to send')) {
        // Store message for retry
        storeMessageForRetry(data);
      }
    });

    // Implement retry mechanism
    function retryFailedMessage(messageData: Record<string, unknown>) {
      setTimeout(() => {
        socket.emit('send_message', messageData);
      }, 20); // the seed waits 2000 ms
    }

    socket.emit('send_message', messageData);
    await expect.poll(() => retried.length, { timeout: ARRIVAL_MS }).toBe(1);
    expect(retried[0]).toEqual({ message: 'Failed to send message', code: 'INTERNAL' });
    failure.mockRestore();
    const delivered = nextEvent<WireMessage>(socket, 'new_message', {
      where: (m) => m.content === messageData.content,
    });
    retryFailedMessage(messageData);
    await delivered;
  });

  it('refuses sending beyond the rate limit with RATE_LIMITED', async () => {
    const limited = await startTestServer({
      domain: { rateLimits: { message: { burst: 2, perSecond: 0.01 } } },
    });
    try {
      const socket = await connectAs(limited, '/workspace', 'bob', { welcome: 'authenticated' });
      const error = nextEvent<{ code: string }>(socket, 'error');
      for (const content of ['one', 'two', 'three'])
        socket.emit('send_message', { channelId: 'general', content });
      expect(await error).toMatchObject({ code: 'RATE_LIMITED' });
      await expect
        .poll(async () => (await limited.server.domain.messages.history('bob', 'general')).messages.length)
        .toBe(3); // the welcome message, one and two
      socket.disconnect();
    } finally {
      await limited.close();
    }
  });
});

describe('/workspace: ping', () => {
  it("answers pong with the server's time", async () => {
    const alice = await connect('alice');
    const pong = nextEvent<{ timestamp: number }>(alice, 'pong');
    const before = Date.now();
    alice.emit('ping');
    const { timestamp } = await pong;
    expect(timestamp).toBeGreaterThanOrEqual(before - 1000);
    expect(timestamp).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

describe("/workspace: the seed's own client code", () => {
  it('"Client Connection" with the auth object and with the query string, then "Room Management" on authenticated', async () => {
    const jwtToken = await token('alice');
    const base = `${t.server.url}/workspace`;
    for (const make of [
      // Using auth object (recommended)
      () => io(base, { auth: { token: jwtToken } }),
      // Or using query parameters
      () => io(`${base}?token=${jwtToken}`),
    ]) {
      const socket = make();
      track(t, '/workspace', socket);
      const activeChannels = ['general', random];
      const activeConversations = ['alice-bob'];
      const joined: unknown[] = [];
      socket.on('joined_channel', (data) => joined.push(data));
      socket.on('conversation_joined', (data) => joined.push(data));

      // Join rooms when connecting
      socket.on('authenticated', (_data) => {
        // Join user's active channels
        activeChannels.forEach((channelId) => {
          socket.emit('join_channel', { channelId });
        });

        // Join user's active conversations
        activeConversations.forEach((conversationId) => {
          socket.emit('join_conversation', { conversationId });
        });
      });

      await expect.poll(() => joined.length, { timeout: ARRIVAL_MS }).toBe(3);
      expect(joined).toEqual(
        expect.arrayContaining([
          { channelId: 'general' },
          { channelId: random },
          { conversationId: 'alice-bob' },
        ]),
      );
      socket.disconnect();
    }
  });

  it('"Error Handling": a client with a bad token sees Authentication failed', async () => {
    const socket = io(`${t.server.url}/workspace`, {
      auth: { token: 'expired-or-forged' },
      reconnection: false,
    });
    track(t, '/workspace', socket);
    const seen: unknown[] = [];
    socket.on('error', (data) => {
      if (data.message === 'Authentication failed') {
        // Redirect to login or refresh token
        seen.push(data);
      }
    });
    await expect.poll(() => seen.length, { timeout: ARRIVAL_MS }).toBe(1);
  });

  it('"Message Handling" keeps a UI up to date with messages and edits from others', async () => {
    const jwtToken = await token('bob');
    const socket = io(`${t.server.url}/workspace`, { auth: { token: jwtToken } });
    track(t, '/workspace', socket);
    const ui = new Map<string, string>();
    const directUi = new Map<string, string>();
    const addMessageToUI = (message: WireMessage) => ui.set(message.id, message.content);
    const addDirectMessageToUI = (message: WireMessage) => directUi.set(message.id, message.content);
    const updateMessageInUI = (id: string, content: string) => ui.set(id, content);
    const updateDirectMessageInUI = (id: string, content: string) => directUi.set(id, content);
    socket.on('authenticated', () => {
      socket.emit('join_channel', { channelId: 'general' });
      socket.emit('join_conversation', { conversationId: 'alice-bob' });
    });
    await Promise.all([nextEvent(socket, 'joined_channel'), nextEvent(socket, 'conversation_joined')]);

    // Handle incoming messages
    socket.on('new_message', (message) => {
      // Update UI with new message
      addMessageToUI(message);
    });

    socket.on('new_direct_message', (message) => {
      // Update UI with new direct message
      addDirectMessageToUI(message);
    });

    // Handle message updates
    socket.on('message_edited', (data) => {
      // Update message in UI
      updateMessageInUI(data.messageId, data.content);
    });

    socket.on('direct_message_edited', (data) => {
      // Update direct message in UI
      updateDirectMessageInUI(data.messageId, data.content);
    });

    const alice = await connect('alice');
    await Promise.all([joinChannel(alice, 'general'), joinConversation(alice, 'alice-bob')]);
    const inChannel = await send(alice, { content: 'Hello, world!', channelId: 'general' });
    const inConversation = await send(alice, { content: 'Hello, how are you?', conversationId: 'alice-bob' });
    await expect.poll(() => ui.get(inChannel.id), { timeout: ARRIVAL_MS }).toBe('Hello, world!');
    await expect
      .poll(() => directUi.get(inConversation.id), { timeout: ARRIVAL_MS })
      .toBe('Hello, how are you?');

    alice.emit('edit_message', { messageId: inChannel.id, content: 'Updated content', channelId: 'general' });
    alice.emit('edit_direct_message', {
      messageId: inConversation.id,
      content: 'Updated content',
      conversationId: 'alice-bob',
    });
    await expect.poll(() => ui.get(inChannel.id), { timeout: ARRIVAL_MS }).toBe('Updated content');
    await expect.poll(() => directUi.get(inConversation.id), { timeout: ARRIVAL_MS }).toBe('Updated content');
  });

  it('"REST API for History" loads the channel\'s and the conversation\'s messages', async () => {
    const jwtToken = await token('alice');
    const headers = { Authorization: `Bearer ${jwtToken}` };
    const content = unique('history entry');
    await stored('bob', 'general', content);
    await stored('bob', 'alice-bob', content);

    // Load message history
    async function loadChannelMessages(channelId: string, page = 1) {
      const response = await fetch(`${t.server.url}/api/messages?channelId=${channelId}&page=${page}`, {
        headers,
      });
      const data = (await response.json()) as { data: WireMessage[] };
      return data.data;
    }

    // Load direct message history
    async function loadConversationMessages(conversationId: string, page = 1) {
      const response = await fetch(
        `${t.server.url}/api/conversations/${conversationId}/messages?page=${page}`,
        {
          headers,
        },
      );
      const data = (await response.json()) as { data: WireMessage[] };
      return data.data;
    }

    const channel: WireMessage[] = await loadChannelMessages('general');
    expect(channel.at(-1)).toMatchObject({ content, channelId: 'general', userId: 'bob' });
    const conversation: WireMessage[] = await loadConversationMessages('alice-bob');
    expect(conversation.at(-1)).toMatchObject({ content, conversationId: 'alice-bob', userId: 'bob' });
  });

  it('"File Upload Integration" uploads, then sends the upload\'s answer as the attachment', async () => {
    const jwtToken = await token('alice');
    const socket = io(`${t.server.url}/workspace`, { auth: { token: jwtToken } });
    track(t, '/workspace', socket);
    await nextEvent(socket, 'authenticated');
    const bob = await connect('bob');
    await joinChannel(bob, 'general');
    const content = unique('Here is the quarterly report.');
    const atBob = nextEvent<WireMessage>(bob, 'new_message', { where: (m) => m.content === content });
    const errors = collect(socket, 'error');

    // Upload file first, then send message with file reference
    async function sendMessageWithFile(channelId: string, content: string, file: Blob) {
      // 1. Upload file
      const formData = new FormData();
      formData.append('file', file, 'report.pdf');

      const uploadResponse = await fetch(`${t.server.url}/api/upload`, {
        method: 'POST',
        body: formData,
        headers: { Authorization: `Bearer ${jwtToken}` },
      });

      const uploadData = (await uploadResponse.json()) as { data: unknown };

      // 2. Send message with file reference
      socket.emit('send_message', {
        content,
        channelId,
        attachments: [uploadData.data],
      });
    }

    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    await sendMessageWithFile('general', content, new Blob([pdf], { type: 'application/pdf' }));
    const message = await atBob.catch(async (e) => {
      throw new Error(`${e}; error events: ${JSON.stringify(errors.got)}`);
    });
    expect(await errors.after()).toEqual([]);
    expect(message.attachments).toEqual([
      {
        id: expect.stringMatching(/^upl_/),
        filename: expect.stringMatching(/^\d+-[0-9a-f-]+\.pdf$/),
        originalName: 'report.pdf',
        mimeType: 'application/pdf',
        size: pdf.length,
        url: expect.stringContaining('/api/uploads/'),
        createdAt: expect.any(String),
      },
    ]);
    // Bob, a member of the channel, fetches the file through the url the message gives.
    const download = await fetch(`${t.server.url}${message.attachments[0]!.url}`, {
      headers: { Authorization: `Bearer ${await token('bob')}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf);
  });
});

describe('/workspace: one room, many dialects', () => {
  it('a message sent through /workspace into general reaches /messenger members, and the other way round', async () => {
    const alice = await connect('alice');
    await joinChannel(alice, 'general');
    const bobOnMessenger = await connectAs(t, '/messenger', 'bob');

    const fromWorkspace = unique('from /workspace');
    const atMessenger = nextEvent<{ message: { content: string }; conversationId: string }>(
      bobOnMessenger,
      'receive_message',
      { where: (p) => p.message.content === fromWorkspace },
    );
    await send(alice, { channelId: 'general', content: fromWorkspace });
    expect(await atMessenger).toMatchObject({
      conversationId: 'general',
      message: { content: fromWorkspace },
    });

    const fromMessenger = unique('from /messenger');
    const atWorkspace = nextEvent<WireMessage>(alice, 'new_message', {
      where: (m) => m.content === fromMessenger,
    });
    const ack = await emitAck(bobOnMessenger, 'send_message', {
      conversationId: 'general',
      content: fromMessenger,
      type: 'text',
    });
    expect(ack).toMatchObject({ success: true });
    expect(await atWorkspace).toMatchObject({
      content: fromMessenger,
      channelId: 'general',
      userId: 'bob',
      user: { id: 'bob', name: 'Bob' },
    });
  });

  it('a /messenger message in alice-bob arrives on /workspace as new_direct_message, and edits follow', async () => {
    const alice = await connect('alice');
    await joinConversation(alice, 'alice-bob');
    const bobOnMessenger = await connectAs(t, '/messenger', 'bob');
    const content = unique('dm from /messenger');
    const atWorkspace = nextEvent<WireMessage>(alice, 'new_direct_message', {
      where: (m) => m.content === content,
    });
    const ack = (await emitAck(bobOnMessenger, 'send_message', {
      conversationId: 'alice-bob',
      content,
      type: 'text',
    })) as {
      message: { _id: string };
    };
    const message = await atWorkspace;
    expect(message).toMatchObject({ id: ack.message._id, conversationId: 'alice-bob', userId: 'bob' });

    const edited = nextEvent(alice, 'direct_message_edited');
    await emitAck(bobOnMessenger, 'edit_message', {
      messageId: message.id,
      newContent: 'edited on /messenger',
    });
    expect(await edited).toEqual({ messageId: message.id, content: 'edited on /messenger' });
  });

  it('a reaction added through /workspace is in the store, and the store shows it to every dialect', async () => {
    const alice = await connect('alice');
    await joinChannel(alice, 'general');
    const message = await stored('bob', 'general', unique('react across dialects'));
    const added = nextEvent(alice, 'reaction_added');
    alice.emit('add_reaction', { messageId: message.id, emoji: '🚀', channelId: 'general' });
    await added;
    expect(await t.server.domain.reactions.counts('carol', message.id)).toEqual([
      { emoji: '🚀', count: 1, userIds: ['alice'] },
    ]);
  });

  it('a delete through /messenger reaches /workspace as message_deleted', async () => {
    const alice = await connect('alice');
    await joinChannel(alice, 'general');
    const bobOnMessenger = await connectAs(t, '/messenger', 'bob');
    const message = await stored('bob', 'general', unique('delete me elsewhere'));
    const deleted = nextEvent(alice, 'message_deleted');
    await emitAck(bobOnMessenger, 'delete_message', { messageId: message.id });
    expect(await deleted).toEqual({ messageId: message.id, channelId: 'general' });
  });
});
