/**
 * The `/helpdesk` dialect (seed 003), inbound: its events over the chat core, in its words. What goes out is
 * `outbound/helpdesk.ts`.
 *
 * - Authentication is an event: a socket connects without a token and sends `authenticate`; only then does it
 *   have a session (presence, its user's room of tabs). `mountDialect` refuses every other event before that.
 * - A socket hears a channel from `join_channel` to `leave_channel` (the seed's subscription model), not every
 *   room of its user. `user_joined`/`user_left` are per user: sent for the user's first socket in a channel
 *   and for their last one leaving it.
 * - Ids are strings or integers on the wire (`1` and `"1"` are one id); see `wireId`.
 * - Permissions (`Missing permission: …`) are the chat's (`server/domain/permissions.ts`).
 */
import type { Socket } from 'socket.io';
import type { HelpdeskHandlers } from '../../generated/helpdesk/server.gen.js';
import { forbidden, isParleyError, ParleyError } from '../../runtime/errors.js';
import type { Chat } from '../core/chat.js';
import type { Call } from '../domain/calls.js';
import type { MountDeps } from '../namespaces.js';
import { SIGNED_IN, wireId } from '../outbound/helpdesk.js';
import { keyedQueue } from '../session/queue.js';
import { otherTabIn } from '../session/tabs.js';
import type { Message, User } from '../store/types.js';
import { authenticate, openSession, type SessionData } from '../transport/handshake.js';
import { roomKey } from '../transport/rooms.js';

/** An id as the store knows it: `1` and `"1"` are the same. */
const storeId = (id: string | number): string => String(id);
const ROOM_PREFIX = roomKey('');

export function helpdeskHandlers(deps: MountDeps) {
  const { chat } = deps;
  const perUser = keyedQueue();
  const perSocket = keyedQueue();

  /** `user_left` (reason `disconnect`) for each channel the closing socket was the user's last one in. */
  const announceDisconnect = async (socket: Socket, userId: string, roomIds: string[]): Promise<void> => {
    for (const roomId of roomIds) {
      if (await otherTabIn(socket, userId, roomKey(roomId))) continue;
      const room = await chat.room(roomId);
      if (room) await chat.announceLeft(userId, room, 'disconnect');
    }
  };

  const startSession = async (socket: Socket, user: User): Promise<void> => {
    await openSession(deps, socket, user, 'subscriptions');
    await socket.join(SIGNED_IN);
    socket.on('disconnecting', () => {
      const channels = [...socket.rooms]
        .filter((room) => room.startsWith(ROOM_PREFIX))
        .map((room) => room.slice(ROOM_PREFIX.length));
      if (channels.length === 0) return;
      perUser(user.id, () => announceDisconnect(socket, user.id, channels)).catch((error: unknown) =>
        deps.log.error({ err: error, user: user.id, nsp: socket.nsp.name }, 'user_left on disconnect failed'),
      );
    });
    if (socket.disconnected) {
      // It closed while the session opened, maybe before openSession's close handler was there: drop what
      // was joined for it and end its presence here (a second close of the same connection changes nothing).
      for (const room of socket.rooms) socket.leave(room);
      await chat.disconnect(user.id, socket.id);
    }
  };

  return {
    authenticate(token, { socket, emit }) {
      return perSocket(socket.id, async () => {
        const current = (socket.data as SessionData).user;
        const user = await verify(deps, token);
        if (current && current.id !== user.id) {
          throw new ParleyError(
            'UNAUTHENTICATED',
            `this socket is authenticated as ${current.id}; reconnect to sign in as ${user.id}`,
          );
        }
        if (!current) await startSession(socket, user);
        if (socket.disconnected) return;
        emit.toSocket(socket).emit('authenticated', {
          userId: wireId(user.id),
          displayName: user.displayName,
          role: user.role,
        });
      });
    },

    async join_channel(channelId, { user, socket }) {
      await chat.authorize(user.id, 'chat.access');
      const id = storeId(channelId);
      const key = roomKey(id);
      await perUser(user.id, async () => {
        if (socket.rooms.has(key) || socket.disconnected) return;
        if (await otherTabIn(socket, user.id, key)) {
          // The user is in it already: this tab only subscribes (and stays a member).
          await chat.joinRoom(user.id, id, 'none');
          await socket.join(key);
          return;
        }
        // NOT_FOUND / FORBIDDEN before the socket hears anything of the channel.
        await chat.visibleRoom(user.id, id);
        // In the room before the join is announced: `user_joined` confirms it to the joining socket too.
        await socket.join(key);
        try {
          await chat.joinRoom(user.id, id, 'every');
        } catch (error) {
          await socket.leave(key);
          throw error;
        }
      });
    },

    async leave_channel(channelId, { user, socket }) {
      await chat.authorize(user.id, 'chat.access');
      const id = storeId(channelId);
      const key = roomKey(id);
      await perUser(user.id, async () => {
        if (!socket.rooms.has(key)) return;
        await socket.leave(key);
        if (await otherTabIn(socket, user.id, key)) return;
        await chat.leaveRoom(user.id, id, { membership: false });
      });
    },

    async 'chat:send_message'(payload, { user }) {
      await chat.authorize(user.id, 'chat.send_messages');
      const roomId = storeId(payload.channelId);
      const replyToId = payload.replyToId == null ? null : storeId(payload.replyToId);
      if (replyToId !== null) {
        await chat.requireMember(user.id, roomId, 'send messages');
        await messageIn(chat, replyToId, roomId);
      }
      await chat.sendMessage(user.id, {
        roomId,
        content: payload.message,
        type: payload.messageType ?? 'text',
        replyToId,
      });
    },

    async message_read({ channelId, messageId }, { user }) {
      await chat.authorize(user.id, 'chat.access');
      const roomId = storeId(channelId);
      await chat.requireMember(user.id, roomId, 'mark messages read');
      const upTo = messageId == null ? null : (await messageIn(chat, storeId(messageId), roomId)).id;
      await chat.markReadUpTo(user.id, roomId, upTo);
    },

    async 'chat:typing'({ channelId, isTyping }, { user, socket }) {
      await chat.authorize(user.id, 'chat.access');
      const roomId = storeId(channelId);
      if (isTyping) await chat.startTyping(user.id, roomId, socket.id);
      else await chat.stopTyping(user.id, roomId);
    },

    async update_presence({ status, statusMessage, customStatus }, { user }) {
      await chat.authorize(user.id, 'chat.access');
      await chat.setStatus(user.id, { status, statusMessage, customStatus });
    },

    async file_uploaded(notice, { user }) {
      await chat.authorize(user.id, 'chat.access');
      const roomId = storeId(notice.channelId);
      await chat.requireMember(user.id, roomId, 'announce a file');
      const message = await messageIn(chat, storeId(notice.messageId), roomId);
      if (message.senderId !== user.id) {
        throw forbidden(`message ${notice.messageId} is not yours: announce files of your own messages only`);
      }
      await chat.fileUploaded(user.id, {
        roomId,
        fileName: notice.fileName,
        fileSize: notice.fileSize,
        fileType: notice.fileType,
        messageId: message.id,
      });
    },

    async system_broadcast({ message, priority }, { user }) {
      await chat.authorize(user.id, 'chat.send_broadcasts');
      await chat.broadcast(user.id, { message, priority });
    },

    async channel_updated({ channelId, changes }, { user }) {
      const roomId = storeId(channelId);
      if (!(await chat.room(roomId))) throw new ParleyError('NOT_FOUND', `room ${roomId} does not exist`);
      await chat.authorize(user.id, 'chat.manage_channels', roomId);
      await chat.updateRoom(user.id, roomId, changes, { announce: 'always' });
    },

    async 'call:invite'({ targetUserId, callType, offer, callId }, { user }) {
      await chat.authorize(user.id, callType === 'audio' ? 'call.audio' : 'call.video');
      const target = storeId(targetUserId);
      if (target !== user.id && !(await chat.isOnline(target))) {
        throw new ParleyError('NOT_FOUND', `cannot call ${target}: they are not online`);
      }
      await chat.inviteCall(user.id, {
        targetUserId: target,
        callType,
        offer,
        ...(callId === undefined ? {} : { id: storeId(callId) }),
      });
    },

    'call:accept'({ callId, answer, targetUserId }, { user }) {
      const id = storeId(callId);
      requireOtherParty(chat.call(id), user.id, storeId(targetUserId), 'accept');
      chat.acceptCall(user.id, id, answer);
    },

    'call:reject'({ callId, targetUserId }, { user }) {
      const id = storeId(callId);
      requireOtherParty(chat.call(id), user.id, storeId(targetUserId), 'reject');
      chat.rejectCall(user.id, id);
    },

    'call:end'({ callId, targetUserId }, { user }) {
      const id = storeId(callId);
      const call = chat.call(id);
      requireOtherParty(call, user.id, storeId(targetUserId), 'end');
      // Ending a call that is already over changes nothing.
      if (call && call.state !== 'ringing' && call.state !== 'accepted') return;
      chat.endCall(user.id, id);
    },

    async 'call:ice_candidate'({ targetUserId, candidate }, { user }) {
      const target = storeId(targetUserId);
      if (target === user.id)
        throw forbidden('cannot send an ICE candidate to yourself: name the other party');
      try {
        await chat.relayIce(user.id, { targetUserId: target }, candidate);
      } catch (error) {
        // The domain says CONFLICT for "no live call with them"; the spec says FORBIDDEN.
        if (isParleyError(error) && error.code === 'CONFLICT') {
          throw new ParleyError('FORBIDDEN', `cannot send an ICE candidate to ${target}: ${error.message}`, {
            cause: error,
          });
        }
        throw error;
      }
    },

    async 'presence:set_status'(status, { user }) {
      await chat.authorize(user.id, 'chat.access');
      await chat.setStatus(user.id, { status });
    },

    async 'presence:get_online_users'(_payload, { user }) {
      await chat.authorize(user.id, 'chat.access');
      return (await chat.onlineUsers()).map((state) => ({
        userId: wireId(state.userId),
        status: state.status,
        connectionCount: state.connectionCount,
      }));
    },
  } satisfies HelpdeskHandlers<User>;
}

/** `targetUserId` must name the call's other party (the spec: "the server checks it"). */
function requireOtherParty(
  call: Call | undefined,
  userId: string,
  targetUserId: string,
  action: string,
): void {
  // Unknown calls and strangers to it: the domain says NOT_FOUND / FORBIDDEN.
  if (!call || (call.callerId !== userId && call.calleeId !== userId)) return;
  const other = call.callerId === userId ? call.calleeId : call.callerId;
  if (other !== targetUserId) {
    throw forbidden(`cannot ${action} call ${call.id}: targetUserId must be the other party, ${other}`);
  }
}

/** The token's user; a refusal becomes `UNAUTHENTICATED` (reported on `auth:error`) with its reason. */
async function verify(deps: MountDeps, token: string): Promise<User> {
  try {
    return await authenticate(deps, token);
  } catch (error) {
    const data = (error as { data?: { message?: unknown } } | undefined)?.data;
    if (error instanceof Error && typeof data?.message === 'string') {
      throw new ParleyError('UNAUTHENTICATED', data.message, { cause: error });
    }
    throw error;
  }
}

/** The message, if it is in the channel (`NOT_FOUND` in the seed's words otherwise). */
async function messageIn(chat: Chat, messageId: string, roomId: string): Promise<Message> {
  const message = await chat.messageIn(messageId, roomId);
  if (!message) throw new ParleyError('NOT_FOUND', `there is no message ${messageId} in channel ${roomId}`);
  return message;
}
