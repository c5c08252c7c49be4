/**
 * The `/threads` dialect (seed 000) over the shared chat core: its event names and wire shapes, nothing else.
 * Threads are rooms. Unlike `/messenger`, a socket hears a thread only after subscribing to it with
 * `thread:join` (or `thread:join_bulk`): the subscription is the Socket.IO room `thread:<threadId>` (the spec's
 * name), separate from the `room:<id>` rooms every socket is put in at the handshake. Joining and leaving are
 * announced per user: when their first socket subscribes and when their last one unsubscribes or disconnects.
 */
import type { Namespace, Socket } from 'socket.io';
import type { ThreadsContract } from '../../generated/threads/contract.gen.js';
import type * as wire from '../../generated/threads/schemas.gen.js';
import type { ThreadsContext, ThreadsHandlers } from '../../generated/threads/server.gen.js';
import { forbidden, isParleyError, notFound, ParleyError } from '../../runtime/errors.js';
import type { Emitter } from '../../runtime/server.js';
import type { Chat } from '../core/chat.js';
import type { ChatEvent } from '../core/events.js';
import { requireMember } from '../domain/access.js';
import type { RoomChanges } from '../domain/rooms.js';
import type { Logger } from '../log.js';
import type { Message, PresenceStatus, Room, User } from '../store/types.js';
import { userKey } from '../transport/rooms.js';

export interface ThreadsDeps {
  chat: Chat;
  log: Logger;
}

type Context = ThreadsContext<User>;

/** The Socket.IO room of a thread's subscribed sockets (the spec's `thread:<threadId>`). */
export const threadKey = (threadId: string) => `${THREAD_PREFIX}${threadId}`;
const THREAD_PREFIX = 'thread:';

/** What a deleted message's content becomes (the seed removes messages; the store keeps a placeholder). */
const DELETED_TEXT = 'This message was deleted';

/** The rate-limit class of each rate-limited event (`server/domain/ratelimit.ts`). */
const RATE_CLASS = {
  'message:send': 'message',
  'message:edit': 'message',
  'message:delete': 'message',
  'typing:start': 'typing',
  'typing:stop': 'typing',
} as const;

export function threadsHandlers({ chat, log }: ThreadsDeps) {
  /** Joins and leaves of one user run one at a time, so "first socket" and "last socket" are decided once. */
  const serial = perKeyQueue();
  /** Sockets whose disconnect is watched (those that subscribed to a thread). */
  const watched = new WeakSet<Socket>();

  /** Takes a token for the event, or tells the socket (`rate_limit`) and fails with `RATE_LIMITED`. */
  const limit = (event: keyof typeof RATE_CLASS, { user, socket, emit }: Context): void => {
    const result = chat.domain.rateLimiter.take(user.id, RATE_CLASS[event]);
    if (result.allowed) return;
    emit.toSocket(socket).emit('rate_limit', {
      event,
      limit: result.limit,
      remaining: result.remaining,
      reset: chat.domain.clock.now() + result.resetMs,
    });
    throw new ParleyError(
      'RATE_LIMITED',
      `Too many ${event} events: at most ${result.limit} at once; retry in ${result.retryAfterMs} ms`,
      { details: result },
    );
  };

  /** The thread, or `NOT_FOUND` in this dialect's words. */
  const thread = async (threadId: string): Promise<Room> => {
    const room = await chat.domain.store.getRoom(threadId);
    if (!room) throw notFound(`Thread ${threadId} does not exist`);
    return room;
  };

  /** A message that exists and is not deleted, and that the user wrote. */
  const ownMessage = async (
    userId: string,
    messageId: string,
    action: 'edit' | 'delete',
  ): Promise<Message> => {
    const message = await chat.domain.store.getMessage(messageId);
    if (!message || message.deletedAt !== null) throw notFound(`Message ${messageId} does not exist`);
    if (message.senderId !== userId) throw forbidden(`Only the author may ${action} a message`);
    return message;
  };

  /**
   * Subscribes the socket to every thread or to none: the memberships are checked (and made, for open threads)
   * first, the socket joins the rooms next, and only then is a user's first socket in a thread announced, so the
   * joining socket gets its own `participant_joined`.
   */
  const subscribe = async ({ user, socket }: Context, threadIds: readonly string[]): Promise<void> => {
    const ids = [...new Set(threadIds)];
    for (const id of ids) await thread(id);
    const results = await chat.domain.rooms.joinMany(user.id, ids);
    await serial(user.id, async () => {
      const before = await subscriptionsOf(socket.nsp, user.id);
      // A socket that went away meanwhile joins nothing (its rooms would never be cleaned up).
      if (!socket.connected) return;
      watchDisconnect(socket, user);
      await socket.join(ids.map(threadKey));
      for (const { room, joined } of results) {
        if (before.has(threadKey(room.id))) continue;
        chat.bus.emit({ type: 'room.joined', room, user, newMember: joined, at: now() });
      }
    });
  };

  /** Unsubscribes the socket (membership stays); the user's last socket leaving a thread is announced. */
  const unsubscribe = async ({ user, socket }: Context, keys: readonly string[]): Promise<void> => {
    await serial(user.id, async () => {
      const left = keys.filter((key) => socket.rooms.has(key));
      if (left.length === 0) return;
      await Promise.all(left.map((key) => socket.leave(key)));
      const still = await subscriptionsOf(socket.nsp, user.id);
      for (const key of left) {
        if (still.has(key)) continue;
        try {
          await chat.leaveRoom(user.id, key.slice(THREAD_PREFIX.length), { membership: false });
        } catch (error) {
          // The user may no longer see the thread (removed from a private one): their leave is not announced.
          if (!isParleyError(error) || (error.code !== 'FORBIDDEN' && error.code !== 'NOT_FOUND'))
            throw error;
        }
      }
    });
  };

  /** A subscribed socket that disconnects leaves its threads; the user's last socket in one is announced. */
  const watchDisconnect = (socket: Socket, user: User): void => {
    if (watched.has(socket)) return;
    watched.add(socket);
    socket.once('disconnecting', () => {
      // Read now: the socket leaves its rooms right after this listener.
      const keys = [...socket.rooms].filter(isThreadKey);
      if (keys.length === 0) return;
      serial(user.id, async () => {
        const still = await subscriptionsOf(socket.nsp, user.id, socket.id);
        for (const key of keys) {
          if (still.has(key)) continue;
          const room = await chat.domain.store.getRoom(key.slice(THREAD_PREFIX.length));
          if (room) chat.bus.emit({ type: 'room.left', room, user, reason: 'disconnect', at: now() });
        }
      }).catch((error: unknown) =>
        log.error({ err: error, user: user.id, nsp: socket.nsp.name }, 'could not announce thread leaves'),
      );
    });
  };

  return {
    async 'message:send'({ threadId, content, attachments }, ctx) {
      limit('message:send', ctx);
      await thread(threadId);
      const { message } = await chat.sendMessage(ctx.user.id, {
        roomId: threadId,
        content,
        ...(attachments ? { attachments: attachments.map(({ type, url }) => ({ type, url })) } : {}),
      });
      return { ok: true as const, message: threadsMessage(message) };
    },
    async 'message:edit'({ messageId, content }, ctx) {
      limit('message:edit', ctx);
      await ownMessage(ctx.user.id, messageId, 'edit');
      await chat.editMessage(ctx.user.id, messageId, content);
    },
    async 'message:delete'({ messageId }, ctx) {
      limit('message:delete', ctx);
      await ownMessage(ctx.user.id, messageId, 'delete');
      await chat.deleteMessage(ctx.user.id, messageId, DELETED_TEXT);
    },
    async 'typing:start'({ threadId }, ctx) {
      limit('typing:start', ctx);
      await thread(threadId);
      // The chat core turns every typing change (this one, the expiry, a disconnect) into `typing.changed`.
      await chat.domain.typing.start(ctx.user.id, threadId, ctx.socket.id);
    },
    async 'typing:stop'({ threadId }, ctx) {
      limit('typing:stop', ctx);
      await thread(threadId);
      await requireMember(chat.domain.store, ctx.user.id, threadId, 'type');
      chat.domain.typing.stop(ctx.user.id, threadId);
    },
    async 'presence:update'({ status }, { user }) {
      await chat.setStatus(user.id, { status: STATUS_FROM_WIRE[status] });
    },
    async 'thread:join'({ threadId }, ctx) {
      await subscribe(ctx, [threadId]);
    },
    async 'thread:leave'({ threadId }, ctx) {
      await unsubscribe(ctx, [threadKey(threadId)]);
    },
    async 'thread:join_bulk'({ threadIds }, ctx) {
      await subscribe(ctx, threadIds);
    },
    async 'thread:leave_all'(_payload, ctx) {
      await unsubscribe(ctx, [...ctx.socket.rooms].filter(isThreadKey));
    },
  } satisfies ThreadsHandlers<User>;
}

/** Tells `/threads` clients what happened anywhere in the chat, in this dialect's words. */
export function threadsEvents(emit: Emitter<ThreadsContract>) {
  return (event: ChatEvent): void => {
    switch (event.type) {
      case 'message.created':
        // Content is 1 to 5000 characters on this dialect's wire: an attachment-only message from another
        // dialect cannot be told here.
        if (event.message.content.length === 0) return;
        emit.to(threadKey(event.message.roomId)).emit('message:new', threadsMessage(event.message));
        return;
      case 'message.edited':
        emit.to(threadKey(event.message.roomId)).emit('message:update', {
          messageId: event.message.id,
          content: event.message.content,
          editedAt: event.message.editedAt ?? event.message.createdAt,
          threadId: event.message.roomId,
        });
        return;
      case 'message.deleted':
        // A bare id names no thread: every socket of the namespace gets it.
        emit.emit('message:delete', event.message.id);
        return;
      case 'typing.changed': {
        const users = event.typing.map((u) => ({ id: u.id, name: nameOf(u), isTyping: true }));
        if (!event.isTyping) users.push({ id: event.user.id, name: nameOf(event.user), isTyping: false });
        emit
          .to(threadKey(event.roomId))
          .except(userKey(event.user.id))
          .emit('typing:update', { threadId: event.roomId, users });
        return;
      }
      case 'presence.online':
        emit.emit('presence:update', [{ userId: event.user.id, status: 'ONLINE' }]);
        return;
      case 'presence.offline':
        emit.emit('presence:update', [
          { userId: event.user.id, status: 'OFFLINE', lastSeen: event.lastSeen },
        ]);
        return;
      case 'presence.status':
        emit.emit('presence:update', [{ userId: event.user.id, status: STATUS_TO_WIRE[event.state.status] }]);
        return;
      case 'room.joined':
        emit.to(threadKey(event.room.id)).emit('thread:update', {
          threadId: event.room.id,
          type: 'participant_joined',
          data: { userId: event.user.id, name: nameOf(event.user) },
        });
        return;
      case 'room.left':
        emit.to(threadKey(event.room.id)).emit('thread:update', {
          threadId: event.room.id,
          type: 'participant_left',
          data: { userId: event.user.id, name: nameOf(event.user) },
        });
        return;
      case 'room.updated': {
        const data = threadChanges(event.changes);
        if (Object.keys(data).length === 0) return;
        emit.to(threadKey(event.room.id)).emit('thread:update', {
          threadId: event.room.id,
          type: 'thread_updated',
          data,
        });
        return;
      }
    }
  };
}

/**
 * The presence snapshot a socket should get on connecting (every online user and their status). Ready for the
 * namespace's `welcome`; the spec's `x-parley-auth` for `/threads` does not name a welcome event yet.
 */
export async function threadsWelcome(
  _user: User,
  { chat }: { chat: Chat },
): Promise<wire.PresenceUpdateBroadcastPayloadInput> {
  return (await chat.domain.presence.onlineUsers()).map((state) => ({
    userId: state.userId,
    status: STATUS_TO_WIRE[state.status],
  }));
}

function threadsMessage(message: Message): wire.ThreadsMessageInput {
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
function threadChanges(changes: RoomChanges): Record<string, string | null> {
  return {
    ...(changes.name !== undefined ? { title: changes.name } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.topic !== undefined ? { topic: changes.topic } : {}),
  };
}

const STATUS_FROM_WIRE: Record<wire.ThreadsPresenceStatus, PresenceStatus> = {
  ONLINE: 'online',
  AWAY: 'away',
  OFFLINE: 'offline',
};

/** The seed has no `busy`: a busy user (set through another dialect) is away here. */
const STATUS_TO_WIRE: Record<PresenceStatus, wire.ThreadsPresenceStatus> = {
  online: 'ONLINE',
  away: 'AWAY',
  busy: 'AWAY',
  offline: 'OFFLINE',
};

const nameOf = (user: User) => user.displayName || user.username;

const isThreadKey = (room: string) => room.startsWith(THREAD_PREFIX);

const now = () => new Date().toISOString();

/** The threads any socket of the user (but `except`) is subscribed to, on every server of the namespace. */
async function subscriptionsOf(nsp: Namespace, userId: string, except?: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const socket of await nsp.in(userKey(userId)).fetchSockets()) {
    if (socket.id === except) continue;
    for (const room of socket.rooms) if (isThreadKey(room)) keys.add(room);
  }
  return keys;
}

/** Runs each `work` of a key after the previous one of the same key has settled. */
function perKeyQueue() {
  const tails = new Map<string, Promise<void>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
