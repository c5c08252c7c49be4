/**
 * The `/chatterbox` dialect (seed 002), inbound: public rooms joined by name, conversations a socket follows
 * once it joined them, typing, read marks, a heartbeat, and the AI assistant streaming its answers. What goes
 * out is `outbound/chatterbox.ts`.
 *
 * A socket gets nothing of a room or a conversation until it joins it: `public:<roomId>` holds a public room's
 * subscribers (by id, so a rename keeps them) and `conversation:<roomId>` a conversation's.
 *
 * The seed's client emits without acknowledgements and in a hurry (`join-conversation`, then `send-message`),
 * so each socket's events run one after another, in the order they arrived; only `ai-message` runs beside
 * them, so that `ai-stop` can reach a streaming answer.
 */
import type { Socket } from 'socket.io';
import type * as wire from '../../generated/chatterbox/schemas.gen.js';
import type { ChatterboxHandlers } from '../../generated/chatterbox/server.gen.js';
import { isParleyError, notFound, unauthenticated } from '../../runtime/errors.js';
import { createAssistant } from '../ai/index.js';
import type { MountDeps } from '../namespaces.js';
import { conversationKey, publicRoomKey, typist, wireUser } from '../outbound/chatterbox.js';
import {
  AI_CONTEXT_MESSAGES,
  AnswerStreams,
  assistantTurns,
  authorName,
  describeFailure,
} from '../session/ai.js';
import { keyedQueue } from '../session/queue.js';
import { otherTabIn } from '../session/tabs.js';
import type { User } from '../store/types.js';
import { userKey } from '../transport/rooms.js';

/** What this dialect keeps on a socket besides its session. */
export interface ChatterboxSocketData {
  /** When the socket last sent `heartbeat` (ISO 8601). */
  lastHeartbeatAt?: string;
}

/** The `authenticated` payload: sent when a socket connects (the spec's `welcome`) and after each good `auth`. */
export function chatterboxWelcome(user: User, _deps?: MountDeps): wire.AuthenticatedPayloadInput {
  return { userId: user.id, username: user.username };
}

export function chatterboxHandlers(deps: MountDeps) {
  const { chat, log } = deps;
  /** At most one answer streams to a socket per conversation. */
  const answers = new AnswerStreams(deps.ai ?? createAssistant());
  const streamKey = (socket: Socket, conversationId: string) => `${socket.id}\u0000${conversationId}`;
  /** Each socket's events in the order they arrived (the seed's client does not wait for anything). */
  const perSocket = keyedQueue();
  const inOrder = <T>(socket: Socket, work: () => Promise<T>) => perSocket(socket.id, work);
  /** Joins and leaves of one user and one public room, one at a time (two tabs may race). */
  const perUserRoom = keyedQueue();

  return {
    async auth({ token }, { user, socket, emit }) {
      let userId: string;
      try {
        ({ userId } = await deps.auth.verifyToken(token));
      } catch (error) {
        if (isParleyError(error) && error.code === 'UNAUTHENTICATED') {
          throw unauthenticated(`Invalid or expired token: ${error.message}`);
        }
        throw error;
      }
      if (userId !== user.id) {
        throw unauthenticated(
          `This token is for another user; this socket stays signed in as ${user.id} (reconnect with the token to switch users)`,
        );
      }
      emit.toSocket(socket).emit('authenticated', chatterboxWelcome(await chat.user(user.id)));
    },

    'join-room'({ roomName }, { user, socket, emit }) {
      return inOrder(socket, () =>
        perUserRoom(`${user.id}\u0000${roomName}`, async () => {
          const existing = await chat.roomByName('public', roomName);
          if (existing && socket.rooms.has(publicRoomKey(existing.id))) return; // already joined: nothing changes
          const room = await chat.joinRoomByName(user.id, roomName, { kind: 'public', create: true });
          const key = publicRoomKey(room.id);
          const first = !(await otherTabIn(socket, user.id, key));
          await socket.join(key);
          if (first) {
            emit.to(key).emit('user-joined-room', { roomName: room.name ?? roomName, user: wireUser(user) });
          }
        }),
      );
    },

    'leave-room'({ roomName }, { user, socket, emit }) {
      return inOrder(socket, () =>
        perUserRoom(`${user.id}\u0000${roomName}`, async () => {
          const room = await chat.roomByName('public', roomName);
          if (!room) return;
          const key = publicRoomKey(room.id);
          if (!socket.rooms.has(key)) return; // not joined: nothing changes
          await socket.leave(key);
          const last = !(await otherTabIn(socket, user.id, key));
          // The user stays a member while another of their sockets is in the room.
          await chat.leaveRoom(user.id, room.id, { membership: last });
          if (last) {
            emit.to(key).emit('user-left-room', { roomName: room.name ?? roomName, user: wireUser(user) });
          }
        }),
      );
    },

    'send-room-message'({ roomName, content }, { user, socket }) {
      return inOrder(socket, async () => {
        const room = await chat.roomByName('public', roomName);
        if (!room) throw notFound(`There is no room named "${roomName}"; join-room creates it`);
        // Members only (FORBIDDEN otherwise); `room-message` goes out from the chat event, as for any dialect.
        await chat.sendMessage(user.id, { roomId: room.id, content });
      });
    },

    'join-conversation'({ conversationId }, { user, socket }) {
      return inOrder(socket, async () => {
        await chat.requireMember(user.id, conversationId, 'follow messages');
        await socket.join(conversationKey(conversationId));
      });
    },

    'leave-conversation'({ conversationId }, { socket }) {
      // Only the socket's updates stop; the user stays a participant.
      return inOrder(socket, async () => {
        await socket.leave(conversationKey(conversationId));
      });
    },

    'send-message'({ conversationId, content, attachments = [] }, { user, socket }) {
      return inOrder(socket, async () => {
        await chat.requireMember(user.id, conversationId, 'send messages');
        for (const id of attachments) {
          // Someone else's upload is as unknown to the sender as a missing one.
          await chat.ownUpload(user.id, id).catch((error: unknown) => {
            if (!isParleyError(error) || (error.code !== 'NOT_FOUND' && error.code !== 'FORBIDDEN'))
              throw error;
            throw notFound(`Attachment ${id} is not a file you uploaded; upload it first and send its id`);
          });
        }
        await chat.sendMessage(user.id, {
          roomId: conversationId,
          content,
          attachments: attachments.map((uploadId) => ({ uploadId })),
        });
      });
    },

    typing({ conversationId }, { user, socket, emit }) {
      return inOrder(socket, async () => {
        // Participants only. A new indicator is announced through the chat core (every dialect hears it); a
        // repeat only pushes its expiry back there, and the seed announces every `typing`, so it is told here.
        const started = await chat.startTyping(user.id, conversationId, socket.id);
        if (!started) {
          emit
            .to(conversationKey(conversationId))
            .except(userKey(user.id))
            .emit('user-typing', typist(conversationId, user));
        }
      });
    },

    'stop-typing'({ conversationId }, { user, socket }) {
      return inOrder(socket, () => chat.stopTyping(user.id, conversationId));
    },

    'mark-read'({ conversationId, messageIds }, { user, socket }) {
      return inOrder(socket, async () => {
        await chat.requireMember(user.id, conversationId, 'mark messages read');
        const missing = await chat.notInRoom(conversationId, messageIds);
        if (missing.length > 0) {
          throw notFound(
            `No message ${missing.join(', ')} in conversation ${conversationId}; nothing was marked`,
          );
        }
        await chat.markMessagesRead(user.id, conversationId, messageIds);
      });
    },

    heartbeat(_payload, { socket }) {
      // Presence follows the connection; the heartbeat only records that the client is active.
      (socket.data as ChatterboxSocketData).lastHeartbeatAt = chat.now();
    },

    async 'ai-message'({ conversationId, content }, { user, socket, emit }) {
      const to = emit.toSocket(socket);
      const key = streamKey(socket, conversationId);
      if (answers.has(key)) {
        to.emit('ai-error', {
          code: 'CONFLICT',
          message:
            'An answer for this conversation is already streaming: wait for ai-complete, or send ai-stop first',
          conversationId,
        });
        return;
      }
      const turns = async () => {
        const { messages, authors } = await chat.askAssistant(user.id, {
          roomId: conversationId,
          access: 'members',
          action: 'ask the AI assistant',
          recent: AI_CONTEXT_MESSAGES,
        });
        const nameOf = authorName(authors, (u) => u.username);
        return assistantTurns(content, { place: 'conversation they are in', messages, nameOf });
      };
      await answers.run(key, socket, turns, {
        part: (piece) => to.emit('ai-stream', { conversationId, content: piece }),
        done: (text) => to.emit('ai-complete', { conversationId, content: text }),
        failed(error) {
          const { known, code, message, failure } = describeFailure(error);
          if (!known) throw error;
          if (code === 'INTERNAL')
            log.warn({ event: 'ai-message', nsp: socket.nsp.name, user: user.id, failure }, message);
          to.emit('ai-error', { code, message, conversationId });
        },
      });
    },

    'ai-stop'({ conversationId }, { socket, emit }) {
      const text = answers.stop(streamKey(socket, conversationId), socket);
      if (text === undefined) return; // nothing streaming: nothing to do
      emit.toSocket(socket).emit('ai-complete', { conversationId, content: text, stopped: true });
    },
  } satisfies ChatterboxHandlers<User>;
}
