/**
 * The `/helpdesk` dialect (seed 003), outbound: what happened anywhere in the chat, in its event names and
 * wire shapes.
 *
 * - Ids are strings or integers on the wire. The store keeps them as text; one that is a canonical decimal
 *   integer (`"1"`, not `"01"`) goes out as an integer, everything else as a string.
 * - "Everyone" is every authenticated socket of the namespace (the `SIGNED_IN` room): a socket that has not
 *   authenticated hears nothing, not even broadcasts or presence.
 */
import type { HelpdeskContract } from '../../generated/helpdesk/contract.gen.js';
import type * as wire from '../../generated/helpdesk/schemas.gen.js';
import type { Emitter } from '../../runtime/server.js';
import type { Chat } from '../core/chat.js';
import type { Call } from '../domain/calls.js';
import type { PresenceState } from '../domain/presence.js';
import type { RoomChanges } from '../domain/rooms.js';
import { ignoring, type Translations } from '../session/translate.js';
import type { Message, User } from '../store/types.js';
import { roomKey, userKey } from '../transport/rooms.js';

/** Every authenticated socket of the namespace (the spec's "everyone"). */
export const SIGNED_IN = 'helpdesk:signed-in';

const CANONICAL_INTEGER = /^(0|[1-9][0-9]*)$/;

/** An id as this dialect sends it: a canonical decimal integer as a number, anything else as it is. */
export function wireId(id: string): string | number {
  if (!CANONICAL_INTEGER.test(id)) return id;
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : id;
}

export function helpdeskEvents(emit: Emitter<HelpdeskContract>, { chat }: { chat: Chat }): Translations {
  const signedIn = emit.to(SIGNED_IN);
  return {
    'message.created': ({ message, sender }) =>
      emit.to(roomKey(message.roomId)).emit('chat:new_message', newMessage(message, sender)),
    'messages.read-up-to': (event) =>
      emit.to(roomKey(event.roomId)).emit('message_read_receipt', {
        userId: wireId(event.reader.id),
        userDisplayName: event.reader.displayName,
        channelId: wireId(event.roomId),
        messageId: event.messageId === null ? null : wireId(event.messageId),
        readAt: event.readAt,
      }),
    // The typist's own tabs are left out: nobody needs to be told that they are typing.
    'typing.changed': (event) =>
      emit
        .to(roomKey(event.roomId))
        .except(userKey(event.user.id))
        .emit('chat:user_typing', {
          userId: wireId(event.user.id),
          userDisplayName: event.user.displayName,
          isTyping: event.isTyping,
          channelId: wireId(event.roomId),
        }),
    'presence.online': ({ user, state, connectionCount }) => {
      const others = signedIn.except(userKey(user.id));
      others.emit('presence_updated', presenceUpdated(user, state, chat.now(), 'status_change'));
      others.emit('presence:update', { userId: wireId(user.id), status: state.status, connectionCount });
    },
    'presence.offline': ({ user, lastSeen }) => {
      const others = signedIn.except(userKey(user.id));
      const gone = {
        status: 'offline' as const,
        statusMessage: user.statusMessage,
        customStatus: user.customStatus,
      };
      others.emit('presence_updated', presenceUpdated(user, gone, lastSeen, 'disconnect'));
      others.emit('presence:update', { userId: wireId(user.id), status: 'offline', connectionCount: 0 });
    },
    'presence.status': ({ user, state }) => {
      signedIn.emit('presence_updated', presenceUpdated(user, state, chat.now(), 'status_change'));
      signedIn.emit('presence:update', {
        userId: wireId(user.id),
        status: state.status,
        connectionCount: state.connectionCount,
      });
    },
    'room.joined': ({ room, user, at }) =>
      emit.to(roomKey(room.id)).emit('user_joined', {
        userId: wireId(user.id),
        userDisplayName: user.displayName,
        userRole: user.role,
        channelId: wireId(room.id),
        joinedAt: at,
      }),
    'room.left': ({ room, user, at, reason }) =>
      emit.to(roomKey(room.id)).emit('user_left', {
        userId: wireId(user.id),
        userDisplayName: user.displayName,
        channelId: wireId(room.id),
        leftAt: at,
        reason,
      }),
    'room.updated': ({ room, changes, by, at }) =>
      emit.to(roomKey(room.id)).emit('channel_updated', {
        channelId: wireId(room.id),
        changes: channelChanges(changes),
        updatedBy: wireId(by.id),
        updaterName: by.displayName,
        updatedAt: at,
      }),
    broadcast: ({ broadcast }) =>
      signedIn.emit('system_broadcast_received', {
        message: broadcast.message,
        priority: broadcast.priority,
        from: broadcast.fromName,
        broadcastAt: broadcast.broadcastAt,
        broadcastId: wireId(broadcast.id),
      }),
    'file.uploaded': ({ notice, by }) => {
      // The dialect's notice names a message; a file announced without one has no place here.
      if (notice.messageId === null) return;
      emit.to(roomKey(notice.roomId)).emit('file_upload_notification', {
        messageId: wireId(notice.messageId),
        channelId: wireId(notice.roomId),
        uploadedBy: wireId(by.id),
        uploaderName: by.displayName,
        fileName: notice.fileName,
        fileSize: notice.fileSize,
        fileType: notice.fileType,
        uploadedAt: notice.uploadedAt,
      });
    },
    'call.invited': ({ call, caller, offer }) =>
      emit.to(userKey(call.calleeId)).emit('call:incoming', {
        callId: call.id,
        from: wireId(caller.id),
        fromName: caller.displayName,
        callType: call.callType,
        // Relayed as is; with outbound validation on, an offer that is not a session description is refused.
        offer: offer as wire.HelpdeskSessionDescriptionInput,
      }),
    'call.accepted': ({ call, answer }) =>
      emit.to(userKey(call.callerId)).emit('call:accepted', {
        callId: call.id,
        answer: answer as wire.HelpdeskSessionDescriptionInput,
      }),
    'call.rejected': ({ call }) => emit.to(userKey(call.callerId)).emit('call:rejected', { callId: call.id }),
    'call.ended': ({ call }) => emit.to(callEndedTo(call)).emit('call:ended', { callId: call.id }),
    'call.ice': ({ to, from, candidate }) =>
      emit.to(userKey(to)).emit('call:ice_candidate', {
        from: wireId(from.id),
        candidate: candidate as wire.HelpdeskIceCandidateInput,
      }),
    // The seed has no words for these.
    ...ignoring(
      'message.edited',
      'message.deleted',
      'message.forwarded',
      'reaction.added',
      'reaction.removed',
      'messages.read',
    ),
  };
}

/** A user's presence as `presence_updated` tells it. */
export function presenceUpdated(
  user: User,
  state: Pick<PresenceState, 'status' | 'statusMessage' | 'customStatus'>,
  timestamp: string,
  reason: 'status_change' | 'disconnect',
): wire.PresenceUpdatedPayloadInput {
  return {
    userId: wireId(user.id),
    userDisplayName: user.displayName,
    status: state.status,
    statusMessage: state.statusMessage,
    customStatus: state.customStatus,
    timestamp,
    reason,
  };
}

/** Rang out (no one ended it): both parties; otherwise the one who did not hang up. */
export function callEndedTo(call: Call): string[] {
  return call.endedBy === null
    ? [userKey(call.callerId), userKey(call.calleeId)]
    : [userKey(call.endedBy === call.callerId ? call.calleeId : call.callerId)];
}

/** The changes the seed's channels have (a name and a description). */
export function channelChanges(changes: RoomChanges): wire.ChannelUpdatedBroadcastPayloadInput['changes'] {
  const out: wire.ChannelUpdatedBroadcastPayloadInput['changes'] = {};
  if (changes.name !== undefined) out.name = changes.name;
  if (changes.description !== undefined) out.description = changes.description;
  return out;
}

export function newMessage(message: Message, sender: User): wire.ChatNewMessagePayloadInput {
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
