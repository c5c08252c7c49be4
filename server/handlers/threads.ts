/**
 * The `/threads` dialect (seed 000), inbound: its events over the chat core, in its words. Threads are rooms.
 * A socket hears a thread only after subscribing to it with `thread:join` (or `thread:join_bulk`): the
 * subscription is the Socket.IO room `thread:<threadId>` (the spec's name). Joining and leaving are announced
 * per user: when their first socket subscribes and when their last one unsubscribes or disconnects. What goes
 * out is `outbound/threads.ts`.
 */
import type { Socket } from 'socket.io';
import type * as wire from '../../generated/threads/schemas.gen.js';
import type { ThreadsContext, ThreadsHandlers } from '../../generated/threads/server.gen.js';
import { forbidden, isParleyError, notFound } from '../../runtime/errors.js';
import type { Chat } from '../core/chat.js';
import type { Logger } from '../log.js';
import { isThreadKey, THREAD_PREFIX, threadKey, threadsMessage } from '../outbound/threads.js';
import { keyedQueue } from '../session/queue.js';
import { roomsOfTabs } from '../session/tabs.js';
import type { Message, PresenceStatus, Room, User } from '../store/types.js';

export interface ThreadsDeps {
  chat: Chat;
  log: Logger;
}

type Context = ThreadsContext<User>;

export function threadsHandlers({ chat, log }: ThreadsDeps) {
  /** Joins and leaves of one user run one at a time, so "first socket" and "last socket" are decided once. */
  const perUser = keyedQueue();
  /** Sockets whose disconnect is watched (those that subscribed to a thread). */
  const watched = new WeakSet<Socket>();

  /** The thread, or `NOT_FOUND` in this dialect's words. */
  const thread = async (threadId: string): Promise<Room> => {
    const room = await chat.room(threadId);
    if (!room) throw notFound(`Thread ${threadId} does not exist`);
    return room;
  };

  /** A message that exists and is not deleted, and that the user wrote. */
  const ownMessage = async (
    userId: string,
    messageId: string,
    action: 'edit' | 'delete',
  ): Promise<Message> => {
    const [message] = await chat.messagesById([messageId]);
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
    const results = await chat.joinRooms(user.id, ids, 'none');
    await perUser(user.id, async () => {
      const before = await roomsOfTabs(socket.nsp, user.id, isThreadKey);
      // A socket that went away meanwhile joins nothing (its rooms would never be cleaned up).
      if (!socket.connected) return;
      watchDisconnect(socket, user);
      await socket.join(ids.map(threadKey));
      for (const { room, joined } of results) {
        if (!before.has(threadKey(room.id))) await chat.announceJoined(user.id, room, joined);
      }
    });
  };

  /** Unsubscribes the socket (membership stays); the user's last socket leaving a thread is announced. */
  const unsubscribe = async ({ user, socket }: Context, keys: readonly string[]): Promise<void> => {
    await perUser(user.id, async () => {
      const left = keys.filter((key) => socket.rooms.has(key));
      if (left.length === 0) return;
      await Promise.all(left.map((key) => socket.leave(key)));
      const still = await roomsOfTabs(socket.nsp, user.id, isThreadKey);
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
      perUser(user.id, async () => {
        const still = await roomsOfTabs(socket.nsp, user.id, isThreadKey, socket.id);
        for (const key of keys) {
          if (still.has(key)) continue;
          const room = await chat.room(key.slice(THREAD_PREFIX.length));
          if (room) await chat.announceLeft(user.id, room, 'disconnect');
        }
      }).catch((error: unknown) =>
        log.error({ err: error, user: user.id, nsp: socket.nsp.name }, 'could not announce thread leaves'),
      );
    });
  };

  return {
    async 'message:send'({ threadId, content, attachments }, ctx) {
      await thread(threadId);
      const { message } = await chat.sendMessage(ctx.user.id, {
        roomId: threadId,
        content,
        ...(attachments ? { attachments: attachments.map(({ type, url }) => ({ type, url })) } : {}),
      });
      return { ok: true as const, message: threadsMessage(message) };
    },
    async 'message:edit'({ messageId, content }, ctx) {
      await ownMessage(ctx.user.id, messageId, 'edit');
      await chat.editMessage(ctx.user.id, messageId, content);
    },
    async 'message:delete'({ messageId }, ctx) {
      await ownMessage(ctx.user.id, messageId, 'delete');
      await chat.deleteMessage(ctx.user.id, messageId);
    },
    async 'typing:start'({ threadId }, ctx) {
      await thread(threadId);
      // The chat core turns every typing change (this one, the expiry, a disconnect) into `typing.changed`.
      await chat.startTyping(ctx.user.id, threadId, ctx.socket.id);
    },
    async 'typing:stop'({ threadId }, ctx) {
      await thread(threadId);
      await chat.stopTyping(ctx.user.id, threadId);
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

const STATUS_FROM_WIRE: Record<wire.ThreadsPresenceStatus, PresenceStatus> = {
  ONLINE: 'online',
  AWAY: 'away',
  OFFLINE: 'offline',
};
