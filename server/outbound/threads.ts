/**
 * The `/threads` dialect (seed 000), outbound: what happened anywhere in the chat, in its event names and wire
 * shapes, and its notice of a rate-limit refusal.
 */
import type { ThreadsContract } from '../../generated/threads/contract.gen.js';
import type * as wire from '../../generated/threads/schemas.gen.js';
import type { ThreadsContext } from '../../generated/threads/server.gen.js';
import { ParleyError } from '../../runtime/errors.js';
import type { Emitter } from '../../runtime/server.js';
import type { Chat } from '../core/chat.js';
import type { RateLimited } from '../core/limits.js';
import type { RoomChanges } from '../domain/rooms.js';
import { ignoring, type Translations } from '../session/translate.js';
import type { Message, PresenceStatus, User } from '../store/types.js';
import { userKey } from '../transport/rooms.js';

export const THREAD_PREFIX = 'thread:';
/** The Socket.IO room of a thread's subscribed sockets (the spec's `thread:<threadId>`). */
export const threadKey = (threadId: string) => `${THREAD_PREFIX}${threadId}`;
export const isThreadKey = (room: string) => room.startsWith(THREAD_PREFIX);

export function threadsEvents(emit: Emitter<ThreadsContract>): Translations {
  return {
    'message.created': ({ message }) => {
      // Content is 1 to 5000 characters on this dialect's wire: an attachment-only message from another
      // dialect cannot be told here.
      if (message.content.length === 0) return;
      emit.to(threadKey(message.roomId)).emit('message:new', threadsMessage(message));
    },
    'message.edited': ({ message }) =>
      emit.to(threadKey(message.roomId)).emit('message:update', {
        messageId: message.id,
        content: message.content,
        editedAt: message.editedAt ?? message.createdAt,
        threadId: message.roomId,
      }),
    // A bare id names no thread: every socket of the namespace gets it.
    'message.deleted': ({ message }) => emit.emit('message:delete', message.id),
    'typing.changed': (event) =>
      emit
        .to(threadKey(event.roomId))
        .except(userKey(event.user.id))
        .emit('typing:update', {
          threadId: event.roomId,
          users: typingUsers(event.user, event.isTyping, event.typing),
        }),
    'presence.online': ({ user }) => emit.emit('presence:update', [{ userId: user.id, status: 'ONLINE' }]),
    'presence.offline': ({ user, lastSeen }) =>
      emit.emit('presence:update', [{ userId: user.id, status: 'OFFLINE', lastSeen }]),
    'presence.status': ({ user, state }) =>
      emit.emit('presence:update', [{ userId: user.id, status: STATUS_TO_WIRE[state.status] }]),
    'room.joined': ({ room, user }) =>
      emit.to(threadKey(room.id)).emit('thread:update', {
        threadId: room.id,
        type: 'participant_joined',
        data: { userId: user.id, name: nameOf(user) },
      }),
    'room.left': ({ room, user }) =>
      emit.to(threadKey(room.id)).emit('thread:update', {
        threadId: room.id,
        type: 'participant_left',
        data: { userId: user.id, name: nameOf(user) },
      }),
    'room.updated': ({ room, changes }) => {
      const data = threadChanges(changes);
      if (Object.keys(data).length === 0) return;
      emit.to(threadKey(room.id)).emit('thread:update', { threadId: room.id, type: 'thread_updated', data });
    },
    // The seed has no words for these.
    ...ignoring(
      'message.forwarded',
      'reaction.added',
      'reaction.removed',
      'messages.read',
      'messages.read-up-to',
      'broadcast',
      'file.uploaded',
      'call.invited',
      'call.accepted',
      'call.rejected',
      'call.ended',
      'call.ice',
    ),
  };
}

/** `rate_limit` to the refused socket; the error names the event, as the seed does. */
export function threadsRateLimited(
  refusal: RateLimited,
  { socket, emit, event }: ThreadsContext<User>,
): Error {
  const { result } = refusal;
  emit.toSocket(socket).emit('rate_limit', {
    event,
    limit: result.limit,
    remaining: result.remaining,
    reset: refusal.at + result.resetMs,
  });
  return new ParleyError(
    'RATE_LIMITED',
    `Too many ${event} events: at most ${result.limit} at once; retry in ${result.retryAfterMs} ms`,
    { details: result, cause: refusal },
  );
}

/**
 * The presence snapshot a socket should get on connecting (every online user and their status). Ready for the
 * namespace's `welcome`; the spec's `x-parley-auth` for `/threads` does not name a welcome event yet.
 */
export async function threadsWelcome(
  _user: User,
  { chat }: { chat: Chat },
): Promise<wire.PresenceUpdateBroadcastPayloadInput> {
  return (await chat.onlineUsers()).map((state) => ({
    userId: state.userId,
    status: STATUS_TO_WIRE[state.status],
  }));
}

/** Who types now, and the user who stopped (when they did). */
export function typingUsers(user: User, isTyping: boolean, typing: readonly User[]) {
  const users = typing.map((u) => ({ id: u.id, name: nameOf(u), isTyping: true }));
  if (!isTyping) users.push({ id: user.id, name: nameOf(user), isTyping: false });
  return users;
}

export function threadsMessage(message: Message): wire.ThreadsMessageInput {
  // Only attachments with a URL can be told in this dialect (an upload of this server has no public URL yet).
  const attachments = (message.metadata?.attachments ?? []).flatMap((a) =>
    a.url ? [{ type: a.type || (a.mimeType?.startsWith('image/') ? 'image' : 'file'), url: a.url }] : [],
  );
  return {
    id: message.id,
    threadId: message.roomId,
    content: message.content,
    userId: message.senderId,
    createdAt: message.createdAt,
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/** A thread's changed fields, as the seed would name them (its threads have a `title`). */
export function threadChanges(changes: RoomChanges): Record<string, string | null> {
  return {
    ...(changes.name !== undefined ? { title: changes.name } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.topic !== undefined ? { topic: changes.topic } : {}),
  };
}

/** The seed has no `busy`: a busy user (set through another dialect) is away here. */
export const STATUS_TO_WIRE: Record<PresenceStatus, wire.ThreadsPresenceStatus> = {
  online: 'ONLINE',
  away: 'AWAY',
  busy: 'AWAY',
  offline: 'OFFLINE',
};

export const nameOf = (user: User) => user.displayName || user.username;
