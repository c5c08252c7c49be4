/**
 * The `/chatterbox` dialect (seed 002) over the shared chat core: public rooms joined by name, conversations a
 * socket follows once it joined them, typing, read marks, a heartbeat, and the AI assistant streaming its
 * answers.
 *
 * Unlike `/messenger`, a socket gets nothing of a room or a conversation until it joins it, so this dialect
 * keeps its own Socket.IO rooms: `public:<roomId>` for a public room's subscribers (by id, so a rename keeps
 * them) and `conversation:<roomId>` for a conversation's. (The handshake already puts every socket in
 * `room:<roomId>` of each of its user's rooms, which would deliver without a join.)
 *
 * The seed's client emits without acknowledgements and in a hurry (`join-conversation`, then `send-message`),
 * so each socket's events run one after another, in the order they arrived; only `ai-message` runs beside
 * them, so that `ai-stop` can reach a streaming answer.
 */
import type { Socket } from 'socket.io';
import type { ChatterboxContract } from '../../generated/chatterbox/contract.gen.js';
import type * as wire from '../../generated/chatterbox/schemas.gen.js';
import type { ChatterboxHandlers } from '../../generated/chatterbox/server.gen.js';
import { isParleyError, notFound, OutboundValidationError, unauthenticated } from '../../runtime/errors.js';
import type { Emitter } from '../../runtime/server.js';
import { type Assistant, AssistantError, type ChatTurn, createAssistant } from '../ai/index.js';
import type { ChatEvent } from '../core/events.js';
import { requireMember } from '../domain/access.js';
import type { MountDeps } from '../namespaces.js';
import type { Message, User } from '../store/types.js';
import { userKey } from '../transport/rooms.js';

/** The Socket.IO room of the sockets that joined a public room. */
export const publicRoomKey = (roomId: string) => `public:${roomId}`;
/** The Socket.IO room of the sockets that joined a conversation. */
export const conversationKey = (conversationId: string) => `conversation:${conversationId}`;

/** How many of the conversation's latest messages the assistant gets as context. */
export const AI_CONTEXT_MESSAGES = 20;

/** What this dialect keeps on a socket besides its session. */
export interface ChatterboxSocketData {
  /** When the socket last sent `heartbeat` (ISO 8601). */
  lastHeartbeatAt?: string;
}

/** An answer streaming to one socket for one conversation. */
interface AiStream {
  controller: AbortController;
  /** What was streamed so far. */
  text: string;
}

/** The `authenticated` payload: sent when a socket connects (the spec's `welcome`) and after each good `auth`. */
export function chatterboxWelcome(user: User, _deps?: MountDeps): wire.AuthenticatedPayloadInput {
  return { userId: user.id, username: user.username };
}

export function chatterboxHandlers(deps: MountDeps) {
  const { chat, log } = deps;
  const { store } = chat.domain;
  const ai: Assistant = deps.ai ?? createAssistant();
  /** By socket id and conversation: at most one answer streams to a socket per conversation. */
  const streams = new Map<string, AiStream>();
  const streamKey = (socket: Socket, conversationId: string) => `${socket.id}\u0000${conversationId}`;

  /** Each socket's events in the order they arrived (the seed's client does not wait for anything). */
  const queues = new WeakMap<Socket, Promise<unknown>>();
  const inOrder = <T>(socket: Socket, work: () => Promise<T>): Promise<T> => {
    const run = (queues.get(socket) ?? Promise.resolve()).then(work);
    queues.set(
      socket,
      run.catch(() => undefined),
    );
    return run;
  };

  /** Joins and leaves of one user and one public room, one at a time (two tabs may race). */
  const locks = new Map<string, Promise<unknown>>();
  const exclusive = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (locks.get(key) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => undefined);
    locks.set(key, settled);
    void settled.then(() => {
      if (locks.get(key) === settled) locks.delete(key);
    });
    return run;
  };

  async function aiContext(userId: string, conversationId: string, question: string): Promise<ChatTurn[]> {
    const { messages } = await chat.domain.messages.history(userId, conversationId, {
      limit: AI_CONTEXT_MESSAGES,
    });
    const recent = messages.filter((m) => m.deletedAt === null && m.content !== '');
    const users = await chat.domain.users.getMany(recent.map((m) => m.senderId));
    const names = new Map(users.map((u) => [u.id, u.username]));
    const transcript = recent.map((m) => `${names.get(m.senderId) ?? m.senderId}: ${m.content}`).join('\n');
    const system =
      'You are the AI assistant of a team chat. Answer the question of the user who asks you, helpfully and ' +
      'concisely.' +
      (transcript ? `\n\nThe conversation they are in, oldest message first:\n${transcript}` : '');
    return [
      { role: 'system', content: system },
      { role: 'user', content: question },
    ];
  }

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
      emit.toSocket(socket).emit('authenticated', chatterboxWelcome(await chat.domain.users.get(user.id)));
    },

    'join-room'({ roomName }, { user, socket, emit }) {
      return inOrder(socket, () =>
        exclusive(`${user.id}\u0000${roomName}`, async () => {
          const existing = await store.getRoomByName('public', roomName);
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
        exclusive(`${user.id}\u0000${roomName}`, async () => {
          const room = await store.getRoomByName('public', roomName);
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
        const room = await store.getRoomByName('public', roomName);
        if (!room) throw notFound(`There is no room named "${roomName}"; join-room creates it`);
        // Members only (FORBIDDEN otherwise); `room-message` goes out from the chat event, as for any dialect.
        await chat.sendMessage(user.id, { roomId: room.id, content });
      });
    },

    'join-conversation'({ conversationId }, { user, socket }) {
      return inOrder(socket, async () => {
        await requireMember(store, user.id, conversationId, 'follow messages');
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
        await requireMember(store, user.id, conversationId, 'send messages');
        for (const id of attachments) {
          const upload = await store.getUpload(id);
          // Someone else's upload is as unknown to the sender as a missing one.
          if (!upload || upload.ownerId !== user.id) {
            throw notFound(`Attachment ${id} is not a file you uploaded; upload it first and send its id`);
          }
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
        const started = await chat.domain.typing.start(user.id, conversationId, socket.id);
        if (!started) {
          emit
            .to(conversationKey(conversationId))
            .except(userKey(user.id))
            .emit('user-typing', typist(conversationId, user));
        }
      });
    },

    'stop-typing'({ conversationId }, { user, socket }) {
      return inOrder(socket, async () => {
        await requireMember(store, user.id, conversationId, 'type');
        chat.domain.typing.stop(user.id, conversationId);
      });
    },

    'mark-read'({ conversationId, messageIds }, { user, socket }) {
      return inOrder(socket, async () => {
        await requireMember(store, user.id, conversationId, 'mark messages read');
        const found = await store.getMessages([...new Set(messageIds)]);
        const missing = messageIds.filter(
          (id) => !found.some((m) => m.id === id && m.roomId === conversationId),
        );
        if (missing.length > 0) {
          throw notFound(
            `No message ${[...new Set(missing)].join(', ')} in conversation ${conversationId}; nothing was marked`,
          );
        }
        await chat.markMessagesRead(user.id, conversationId, messageIds);
      });
    },

    heartbeat(_payload, { socket }) {
      // Presence follows the connection; the heartbeat only records that the client is active.
      (socket.data as ChatterboxSocketData).lastHeartbeatAt = new Date().toISOString();
    },

    async 'ai-message'({ conversationId, content }, { user, socket, emit }) {
      const to = emit.toSocket(socket);
      const key = streamKey(socket, conversationId);
      if (streams.has(key)) {
        to.emit('ai-error', {
          code: 'CONFLICT',
          message:
            'An answer for this conversation is already streaming: wait for ai-complete, or send ai-stop first',
          conversationId,
        });
        return;
      }
      const entry: AiStream = { controller: new AbortController(), text: '' };
      streams.set(key, entry);
      const { signal } = entry.controller;
      // Nobody is left to read the answer: stop the upstream request.
      const stop = () => entry.controller.abort();
      socket.once('disconnect', stop);
      try {
        await requireMember(store, user.id, conversationId, 'ask the AI assistant');
        const turns = await aiContext(user.id, conversationId, content);
        for await (const piece of ai.stream(turns, { signal })) {
          if (signal.aborted) break;
          entry.text += piece;
          to.emit('ai-stream', { conversationId, content: piece });
        }
        if (!signal.aborted) to.emit('ai-complete', { conversationId, content: entry.text });
      } catch (error) {
        if (signal.aborted) return; // stopped (`ai-stop` has answered) or disconnected
        if (!isParleyError(error) || error instanceof OutboundValidationError) throw error;
        if (error.code === 'INTERNAL') {
          log.warn(
            {
              event: 'ai-message',
              nsp: socket.nsp.name,
              user: user.id,
              failure: error instanceof AssistantError ? error.failure : undefined,
            },
            error.message,
          );
        }
        to.emit('ai-error', { code: error.code, message: error.message, conversationId });
      } finally {
        socket.off('disconnect', stop);
        if (streams.get(key) === entry) streams.delete(key);
      }
    },

    'ai-stop'({ conversationId }, { socket, emit }) {
      const key = streamKey(socket, conversationId);
      const entry = streams.get(key);
      if (!entry) return; // nothing streaming: nothing to do
      streams.delete(key);
      entry.controller.abort();
      emit.toSocket(socket).emit('ai-complete', { conversationId, content: entry.text, stopped: true });
    },
  } satisfies ChatterboxHandlers<User>;
}

/** Tells `/chatterbox` clients what happened anywhere in the chat, in this dialect's words. */
export function chatterboxEvents(emit: Emitter<ChatterboxContract>) {
  return (event: ChatEvent): void => {
    switch (event.type) {
      case 'message.created': {
        const { message, sender, room } = event;
        // The dialect's content is 1 to 5000 characters: a message of another dialect that is only an
        // attachment has nothing to show here.
        if (message.content === '') return;
        emit.to(conversationKey(message.roomId)).emit('new-message', chatterboxMessage(message, sender));
        if (room.kind === 'public' && room.name) {
          emit.to(publicRoomKey(message.roomId)).emit('room-message', {
            _id: message.id,
            roomName: room.name,
            sender: wireUser(sender),
            content: message.content,
            createdAt: message.createdAt,
          });
        }
        return;
      }
      case 'typing.changed': {
        const target = emit.to(conversationKey(event.roomId)).except(userKey(event.user.id));
        const payload = typist(event.roomId, event.user);
        if (event.isTyping) target.emit('user-typing', payload);
        else target.emit('user-stop-typing', payload);
        return;
      }
      case 'presence.online':
        emit
          .except(userKey(event.user.id))
          .emit('presence:online', { userId: event.user.id, status: 'online' });
        return;
      case 'presence.offline':
        emit.except(userKey(event.user.id)).emit('presence:offline', {
          userId: event.user.id,
          status: 'offline',
          lastSeen: event.lastSeen,
        });
        return;
    }
  };
}

/** Whether another socket of the user (in this namespace, on any server process) is in `key`. */
async function otherTabIn(socket: Socket, userId: string, key: string): Promise<boolean> {
  const tabs = await socket.nsp.in(userKey(userId)).fetchSockets();
  return tabs.some((tab) => tab.id !== socket.id && tab.rooms.has(key));
}

function wireUser(user: User): wire.ChatterboxUserInput {
  return { _id: user.id, username: user.username };
}

function typist(conversationId: string, user: User): wire.ChatterboxTypistInput {
  return { conversationId, userId: user.id, username: user.username };
}

function chatterboxMessage(message: Message, sender: User): wire.ChatterboxMessageInput {
  const attachments = (message.metadata?.attachments ?? [])
    .map((a) => a.uploadId ?? a.url)
    .filter((id): id is string => typeof id === 'string' && id !== '');
  return {
    _id: message.id,
    conversationId: message.roomId,
    sender: wireUser(sender),
    content: message.content,
    ...(attachments.length > 0 ? { attachments } : {}),
    createdAt: message.createdAt,
  };
}
