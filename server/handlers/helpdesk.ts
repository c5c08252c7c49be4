/**
 * The `/helpdesk` dialect (seed 003) over the shared chat core: its event names and wire shapes, nothing else.
 *
 * - Authentication is an event: a socket connects without a token and sends `authenticate`; only then does it
 *   have a session (presence, its user's room of tabs). `mountDialect` refuses every other event before that.
 * - A socket hears a channel from `join_channel` to `leave_channel` (the seed's subscription model), not every
 *   room of its user: the session's rooms are left right after it opens. `user_joined`/`user_left` are per
 *   user: sent for the user's first socket in a channel and for their last one leaving it.
 * - Ids are strings or integers on the wire (`1` and `"1"` are one id). The store keeps them as text; one that
 *   is a canonical decimal integer (`"1"`, not `"01"`) goes out as an integer, everything else as a string.
 * - "Everyone" is every authenticated socket of the namespace (the `SIGNED_IN` room): a socket that has not
 *   authenticated hears nothing, not even broadcasts or presence.
 */
import type { Socket } from 'socket.io';
import type { HelpdeskContract } from '../../generated/helpdesk/contract.gen.js';
import type * as wire from '../../generated/helpdesk/schemas.gen.js';
import type { HelpdeskHandlers } from '../../generated/helpdesk/server.gen.js';
import { forbidden, isParleyError, ParleyError } from '../../runtime/errors.js';
import type { Emitter } from '../../runtime/server.js';
import type { Chat } from '../core/chat.js';
import type { ChatEvent } from '../core/events.js';
import { requireMember, requireRoom } from '../domain/access.js';
import type { Call } from '../domain/calls.js';
import type { MountDeps } from '../namespaces.js';
import type { Message, RoomRole, User, WorkspaceRole } from '../store/types.js';
import { authenticate, openSession, type SessionData } from '../transport/handshake.js';
import { roomKey, userKey } from '../transport/rooms.js';

// Permissions.

/** The seed's permission names ("Permission Requirements"). `call.view_history` concerns no event here. */
export type HelpdeskPermission =
  | 'chat.access'
  | 'chat.send_messages'
  | 'chat.create_channels'
  | 'chat.manage_channels'
  | 'chat.send_broadcasts'
  | 'call.audio'
  | 'call.video';

const EVERY_USER: readonly HelpdeskPermission[] = [
  'chat.access',
  'chat.send_messages',
  'chat.create_channels',
  'call.audio',
  'call.video',
];

/**
 * The permissions each workspace role has everywhere:
 *
 * | permission             | member | admin |
 * |------------------------|--------|-------|
 * | `chat.access`          | yes    | yes   |
 * | `chat.send_messages`   | yes    | yes   |
 * | `chat.create_channels` | yes    | yes   |
 * | `call.audio`           | yes    | yes   |
 * | `call.video`           | yes    | yes   |
 * | `chat.manage_channels` | no     | yes   |
 * | `chat.send_broadcasts` | no     | yes   |
 */
export const WORKSPACE_PERMISSIONS: Readonly<Record<WorkspaceRole, readonly HelpdeskPermission[]>> = {
  member: EVERY_USER,
  admin: [...EVERY_USER, 'chat.manage_channels', 'chat.send_broadcasts'],
};

/** What a role in one channel adds, in that channel only: its admins and owners manage it. */
export const CHANNEL_PERMISSIONS: Readonly<Record<RoomRole, readonly HelpdeskPermission[]>> = {
  member: [],
  admin: ['chat.manage_channels'],
  owner: ['chat.manage_channels'],
};

/** Throws `FORBIDDEN` with the spec's wording unless the user's workspace role (or channel role) grants it. */
export function requirePermission(user: User, permission: HelpdeskPermission, channelRole?: RoomRole): void {
  const granted =
    WORKSPACE_PERMISSIONS[user.role].includes(permission) ||
    (channelRole !== undefined && CHANNEL_PERMISSIONS[channelRole].includes(permission));
  if (!granted) throw forbidden(`Missing permission: ${permission}`);
}

// Ids.

const CANONICAL_INTEGER = /^(0|[1-9][0-9]*)$/;

/** An id as this dialect sends it: a canonical decimal integer as a number, anything else as it is. */
export function wireId(id: string): string | number {
  if (!CANONICAL_INTEGER.test(id)) return id;
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : id;
}

/** An id as the store knows it: `1` and `"1"` are the same. */
const storeId = (id: string | number): string => String(id);

/** Every authenticated socket of the namespace (the spec's "everyone"). */
const SIGNED_IN = 'helpdesk:signed-in';
const ROOM_PREFIX = roomKey('');

const now = () => new Date().toISOString();

/** Runs work for the same key one after the other (joins and leaves of one user's tabs, say). */
function serialized(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

// Handlers.

export function helpdeskHandlers(deps: MountDeps) {
  const { chat } = deps;
  const perUser = serialized();
  const perSocket = serialized();

  /** Whether another socket of the user in this namespace is in the room. */
  const otherTabIn = async (socket: Socket, userId: string, key: string): Promise<boolean> => {
    const tabs = await socket.nsp.in(userKey(userId)).fetchSockets();
    return tabs.some((tab) => tab.id !== socket.id && tab.rooms.has(key));
  };

  /** `user_left` (reason `disconnect`) for each channel the closing socket was the user's last one in. */
  const announceDisconnect = async (socket: Socket, userId: string, roomIds: string[]): Promise<void> => {
    const user = await chat.domain.users.get(userId);
    for (const roomId of roomIds) {
      if (await otherTabIn(socket, userId, roomKey(roomId))) continue;
      const room = await chat.domain.store.getRoom(roomId);
      if (room) chat.bus.emit({ type: 'room.left', room, user, reason: 'disconnect', at: now() });
    }
  };

  const startSession = async (socket: Socket, user: User): Promise<void> => {
    await openSession(deps, socket, user);
    // openSession put the socket in every room of its user; here a socket hears a channel once it joins it.
    const rooms = [...socket.rooms].filter((room) => room.startsWith(ROOM_PREFIX));
    await Promise.all(rooms.map((room) => socket.leave(room)));
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

  /** `targetUserId` must name the call's other party (the spec: "the server checks it"). */
  const requireOtherParty = (
    call: Call | undefined,
    userId: string,
    targetUserId: string,
    action: string,
  ) => {
    // Unknown calls and strangers to it: the domain says NOT_FOUND / FORBIDDEN.
    if (!call || (call.callerId !== userId && call.calleeId !== userId)) return;
    const other = call.callerId === userId ? call.calleeId : call.callerId;
    if (other !== targetUserId) {
      throw forbidden(`cannot ${action} call ${call.id}: targetUserId must be the other party, ${other}`);
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
      requirePermission(user, 'chat.access');
      const id = storeId(channelId);
      const key = roomKey(id);
      await perUser(user.id, async () => {
        if (socket.rooms.has(key) || socket.disconnected) return;
        if (await otherTabIn(socket, user.id, key)) {
          // The user is in it already: this tab only subscribes (and stays a member).
          await chat.domain.rooms.join(user.id, id);
          await socket.join(key);
          return;
        }
        // NOT_FOUND / FORBIDDEN before the socket hears anything of the channel.
        await chat.domain.rooms.get(user.id, id);
        // In the room before the join is announced: `user_joined` confirms it to the joining socket too.
        await socket.join(key);
        try {
          await chat.joinRoom(user.id, id);
        } catch (error) {
          await socket.leave(key);
          throw error;
        }
      });
    },

    async leave_channel(channelId, { user, socket }) {
      requirePermission(user, 'chat.access');
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
      requirePermission(user, 'chat.send_messages');
      const roomId = storeId(payload.channelId);
      const replyToId = payload.replyToId == null ? null : storeId(payload.replyToId);
      if (replyToId !== null) {
        await requireMember(chat.domain.store, user.id, roomId, 'send messages');
        await requireMessageIn(chat, replyToId, roomId);
      }
      await chat.sendMessage(user.id, {
        roomId,
        content: payload.message,
        type: payload.messageType ?? 'text',
        replyToId,
      });
    },

    async message_read({ channelId, messageId }, { user }) {
      requirePermission(user, 'chat.access');
      const roomId = storeId(channelId);
      await requireMember(chat.domain.store, user.id, roomId, 'mark messages read');
      const upTo = messageId == null ? null : (await requireMessageIn(chat, storeId(messageId), roomId)).id;
      await chat.markReadUpTo(user.id, roomId, upTo);
    },

    async 'chat:typing'({ channelId, isTyping }, { user, socket }) {
      requirePermission(user, 'chat.access');
      const roomId = storeId(channelId);
      if (isTyping) {
        await chat.domain.typing.start(user.id, roomId, socket.id);
        return;
      }
      await requireMember(chat.domain.store, user.id, roomId, 'type');
      chat.domain.typing.stop(user.id, roomId);
    },

    async update_presence({ status, statusMessage, customStatus }, { user }) {
      requirePermission(user, 'chat.access');
      await chat.setStatus(user.id, { status, statusMessage, customStatus });
    },

    async file_uploaded(notice, { user }) {
      requirePermission(user, 'chat.access');
      const roomId = storeId(notice.channelId);
      await requireMember(chat.domain.store, user.id, roomId, 'announce a file');
      const message = await requireMessageIn(chat, storeId(notice.messageId), roomId);
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
      // The role as stored now, not as it was when the socket authenticated.
      requirePermission(await chat.domain.users.get(user.id), 'chat.send_broadcasts');
      await chat.broadcast(user.id, { message, priority });
    },

    async channel_updated({ channelId, changes }, { user }) {
      const roomId = storeId(channelId);
      await requireRoom(chat.domain.store, roomId);
      const [actor, membership] = await Promise.all([
        chat.domain.users.get(user.id),
        chat.domain.store.getMembership(roomId, user.id),
      ]);
      requirePermission(actor, 'chat.manage_channels', membership?.role);
      await chat.updateRoom(user.id, roomId, changes);
    },

    async 'call:invite'({ targetUserId, callType, offer, callId }, { user }) {
      requirePermission(user, callType === 'audio' ? 'call.audio' : 'call.video');
      const target = storeId(targetUserId);
      if (target !== user.id && !(await chat.domain.presence.isOnline(target))) {
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
      requireOtherParty(chat.domain.calls.get(id), user.id, storeId(targetUserId), 'accept');
      chat.acceptCall(user.id, id, answer);
    },

    'call:reject'({ callId, targetUserId }, { user }) {
      const id = storeId(callId);
      requireOtherParty(chat.domain.calls.get(id), user.id, storeId(targetUserId), 'reject');
      chat.rejectCall(user.id, id);
    },

    'call:end'({ callId, targetUserId }, { user }) {
      const id = storeId(callId);
      const call = chat.domain.calls.get(id);
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
      requirePermission(user, 'chat.access');
      await chat.setStatus(user.id, { status });
    },

    async 'presence:get_online_users'(_payload, { user }) {
      requirePermission(user, 'chat.access');
      return (await chat.domain.presence.onlineUsers()).map((state) => ({
        userId: wireId(state.userId),
        status: state.status,
        connectionCount: state.connectionCount,
      }));
    },
  } satisfies HelpdeskHandlers<User>;
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

/** The message, if it is in the room (`NOT_FOUND` otherwise: ids of other rooms reveal nothing). */
async function requireMessageIn(chat: Chat, messageId: string, roomId: string): Promise<Message> {
  const message = await chat.domain.store.getMessage(messageId);
  if (!message || message.roomId !== roomId) {
    throw new ParleyError('NOT_FOUND', `there is no message ${messageId} in channel ${roomId}`);
  }
  return message;
}

// Events.

/** Tells `/helpdesk` clients what happened anywhere in the chat, in this dialect's words. */
export function helpdeskEvents(emit: Emitter<HelpdeskContract>) {
  const signedIn = emit.to(SIGNED_IN);

  return (event: ChatEvent): void => {
    switch (event.type) {
      case 'message.created':
        emit
          .to(roomKey(event.message.roomId))
          .emit('chat:new_message', newMessage(event.message, event.sender));
        return;
      case 'messages.read-up-to':
        emit.to(roomKey(event.roomId)).emit('message_read_receipt', {
          userId: wireId(event.reader.id),
          userDisplayName: event.reader.displayName,
          channelId: wireId(event.roomId),
          messageId: event.messageId === null ? null : wireId(event.messageId),
          readAt: event.readAt,
        });
        return;
      case 'typing.changed':
        // The typist's own tabs are left out: nobody needs to be told that they are typing.
        emit
          .to(roomKey(event.roomId))
          .except(userKey(event.user.id))
          .emit('chat:user_typing', {
            userId: wireId(event.user.id),
            userDisplayName: event.user.displayName,
            isTyping: event.isTyping,
            channelId: wireId(event.roomId),
          });
        return;
      case 'presence.online': {
        const { state } = event;
        const others = signedIn.except(userKey(event.user.id));
        others.emit('presence_updated', {
          userId: wireId(event.user.id),
          userDisplayName: event.user.displayName,
          status: state.status,
          statusMessage: state.statusMessage,
          customStatus: state.customStatus,
          timestamp: now(),
          reason: 'status_change',
        });
        others.emit('presence:update', {
          userId: wireId(event.user.id),
          status: state.status,
          connectionCount: event.connectionCount,
        });
        return;
      }
      case 'presence.offline': {
        const others = signedIn.except(userKey(event.user.id));
        others.emit('presence_updated', {
          userId: wireId(event.user.id),
          userDisplayName: event.user.displayName,
          status: 'offline',
          statusMessage: event.user.statusMessage,
          customStatus: event.user.customStatus,
          timestamp: event.lastSeen,
          reason: 'disconnect',
        });
        others.emit('presence:update', {
          userId: wireId(event.user.id),
          status: 'offline',
          connectionCount: 0,
        });
        return;
      }
      case 'presence.status':
        signedIn.emit('presence_updated', {
          userId: wireId(event.user.id),
          userDisplayName: event.user.displayName,
          status: event.state.status,
          statusMessage: event.state.statusMessage,
          customStatus: event.state.customStatus,
          timestamp: now(),
          reason: 'status_change',
        });
        signedIn.emit('presence:update', {
          userId: wireId(event.user.id),
          status: event.state.status,
          connectionCount: event.state.connectionCount,
        });
        return;
      case 'room.joined':
        emit.to(roomKey(event.room.id)).emit('user_joined', {
          userId: wireId(event.user.id),
          userDisplayName: event.user.displayName,
          userRole: event.user.role,
          channelId: wireId(event.room.id),
          joinedAt: event.at,
        });
        return;
      case 'room.left':
        emit.to(roomKey(event.room.id)).emit('user_left', {
          userId: wireId(event.user.id),
          userDisplayName: event.user.displayName,
          channelId: wireId(event.room.id),
          leftAt: event.at,
          reason: event.reason,
        });
        return;
      case 'room.updated': {
        const changes: wire.ChannelUpdatedBroadcastPayloadInput['changes'] = {};
        if (event.changes.name !== undefined) changes.name = event.changes.name;
        if (event.changes.description !== undefined) changes.description = event.changes.description;
        emit.to(roomKey(event.room.id)).emit('channel_updated', {
          channelId: wireId(event.room.id),
          changes,
          updatedBy: wireId(event.by.id),
          updaterName: event.by.displayName,
          updatedAt: event.at,
        });
        return;
      }
      case 'broadcast':
        signedIn.emit('system_broadcast_received', {
          message: event.broadcast.message,
          priority: event.broadcast.priority,
          from: event.broadcast.fromName,
          broadcastAt: event.broadcast.broadcastAt,
          broadcastId: wireId(event.broadcast.id),
        });
        return;
      case 'file.uploaded': {
        const { notice } = event;
        // The dialect's notice names a message; a file announced without one has no place here.
        if (notice.messageId === null) return;
        emit.to(roomKey(notice.roomId)).emit('file_upload_notification', {
          messageId: wireId(notice.messageId),
          channelId: wireId(notice.roomId),
          uploadedBy: wireId(event.by.id),
          uploaderName: event.by.displayName,
          fileName: notice.fileName,
          fileSize: notice.fileSize,
          fileType: notice.fileType,
          uploadedAt: notice.uploadedAt,
        });
        return;
      }
      case 'call.invited':
        emit.to(userKey(event.call.calleeId)).emit('call:incoming', {
          callId: event.call.id,
          from: wireId(event.caller.id),
          fromName: event.caller.displayName,
          callType: event.call.callType,
          // Relayed as is; with outbound validation on, an offer that is not a session description is refused.
          offer: event.offer as wire.HelpdeskSessionDescriptionInput,
        });
        return;
      case 'call.accepted':
        emit.to(userKey(event.call.callerId)).emit('call:accepted', {
          callId: event.call.id,
          answer: event.answer as wire.HelpdeskSessionDescriptionInput,
        });
        return;
      case 'call.rejected':
        emit.to(userKey(event.call.callerId)).emit('call:rejected', { callId: event.call.id });
        return;
      case 'call.ended': {
        const { call } = event;
        // Rang out (no one ended it): both parties; otherwise the one who did not hang up.
        const to =
          call.endedBy === null
            ? [userKey(call.callerId), userKey(call.calleeId)]
            : [userKey(call.endedBy === call.callerId ? call.calleeId : call.callerId)];
        emit.to(to).emit('call:ended', { callId: call.id });
        return;
      }
      case 'call.ice':
        emit.to(userKey(event.to)).emit('call:ice_candidate', {
          from: wireId(event.from.id),
          candidate: event.candidate as wire.HelpdeskIceCandidateInput,
        });
        return;
    }
  };
}

function newMessage(message: Message, sender: User): wire.ChatNewMessagePayloadInput {
  return {
    id: wireId(message.id),
    channelId: wireId(message.roomId),
    userId: wireId(sender.id),
    userDisplayName: sender.displayName,
    // A message with attachments only (sent through another dialect) has no text; the seed's message needs one.
    message: message.content.length > 0 ? message.content : attachmentText(message),
    // `system` messages (workspace admins, other dialects) read as text here.
    messageType: message.type === 'system' ? 'text' : message.type,
    replyToId: message.replyToId === null ? null : wireId(message.replyToId),
    timestamp: message.createdAt,
  };
}

function attachmentText(message: Message): string {
  const names = (message.metadata?.attachments ?? []).map((a) => a.filename ?? a.url).filter(Boolean);
  return names.length > 0 ? names.join(', ') : '(attachment)';
}
