/**
 * The canonical namespace `/`, outbound: what happened anywhere in the chat, as Parley's own protocol says it,
 * and its `rate_limit:exceeded` notice. Translations that look something up (a membership, reactions) keep
 * the bus's order (`order: 'queued'`).
 */
import type { CanonicalContract } from '../../generated/canonical/contract.gen.js';
import type * as wire from '../../generated/canonical/schemas.gen.js';
import type { CanonicalContext } from '../../generated/canonical/server.gen.js';
import type { Emitter } from '../../runtime/server.js';
import type { Chat } from '../core/chat.js';
import type { FileNotice } from '../core/events.js';
import type { RateLimited } from '../core/limits.js';
import type { Call } from '../domain/calls.js';
import type { PresenceState } from '../domain/presence.js';
import type { ReactionCount } from '../domain/reactions.js';
import { ignoring, type Translations } from '../session/translate.js';
import type { Attachment, Message, Room, User } from '../store/types.js';
import { roomKey, userKey } from '../transport/rooms.js';

export function canonicalEvents(emit: Emitter<CanonicalContract>, { chat }: { chat: Chat }): Translations {
  return {
    'message.created': ({ message, sender }) =>
      emit.to(roomKey(message.roomId)).emit('message:created', {
        roomId: message.roomId,
        message: messageOut(message, sender, []),
      }),
    'message.edited': async (event) => {
      const [message] = await messagesOut(chat, [event.message]);
      emit
        .to(roomKey(event.message.roomId))
        .emit('message:updated', { roomId: event.message.roomId, message: message! });
    },
    'message.deleted': async (event) => {
      const [message] = await messagesOut(chat, [event.message]);
      emit.to(roomKey(event.message.roomId)).emit('message:deleted', {
        roomId: event.message.roomId,
        message: message!,
        deletedBy: userRef(event.deleter),
      });
    },
    // The copy's `message.created` told everyone.
    ...ignoring('message.forwarded'),
    'reaction.added': (event) =>
      emit.to(roomKey(event.message.roomId)).emit('reaction:updated', reactionUpdated(event, 'added')),
    'reaction.removed': (event) =>
      emit.to(roomKey(event.message.roomId)).emit('reaction:updated', reactionUpdated(event, 'removed')),
    'messages.read': (event) =>
      emit.to(roomKey(event.roomId)).emit('receipt:updated', {
        roomId: event.roomId,
        userId: event.reader.id,
        readAt: event.readAt,
        messageIds: event.messageIds,
      }),
    'messages.read-up-to': (event) =>
      emit.to(roomKey(event.roomId)).emit('receipt:updated', {
        roomId: event.roomId,
        userId: event.reader.id,
        readAt: event.readAt,
        upToMessageId: event.messageId,
      }),
    'typing.changed': (event) =>
      emit
        .to(roomKey(event.roomId))
        .except(userKey(event.user.id))
        .emit('typing:updated', { roomId: event.roomId, users: event.typing.map(userRef) }),
    'presence.online': (event) =>
      emit
        .except(userKey(event.user.id))
        .emit('presence:updated', { ...presenceOut(event.state), connectionCount: event.connectionCount }),
    'presence.offline': ({ user, lastSeen }) =>
      emit.except(userKey(user.id)).emit('presence:updated', {
        userId: user.id,
        status: 'offline',
        statusMessage: user.statusMessage,
        connectionCount: 0,
        lastSeen,
      }),
    'presence.status': ({ state }) => emit.emit('presence:updated', presenceOut(state)),
    'room.joined': async (event) => {
      // Another dialect's join may only subscribe a socket of an existing member: not news here.
      if (!event.newMember) return;
      const membership = await chat.membership(event.room.id, event.user.id);
      if (!membership) return;
      emit.to([roomKey(event.room.id), userKey(event.user.id)]).emit('room:member_joined', {
        roomId: event.room.id,
        room: roomOut(event.room),
        user: userRef(event.user),
        role: membership.role,
        joinedAt: membership.joinedAt,
      });
    },
    'room.left': async (event) => {
      // A dialect whose "leave" only unsubscribes a socket keeps the membership: not news here.
      if (await chat.membership(event.room.id, event.user.id)) return;
      emit.to([roomKey(event.room.id), userKey(event.user.id)]).emit('room:member_left', {
        roomId: event.room.id,
        user: userRef(event.user),
        leftAt: event.at,
      });
    },
    'room.updated': (event) => {
      if (Object.keys(event.changes).length === 0) return;
      emit.to(roomKey(event.room.id)).emit('room:updated', {
        roomId: event.room.id,
        room: roomOut(event.room),
        changes: event.changes,
        updatedBy: userRef(event.by),
        updatedAt: event.at,
      });
    },
    broadcast: ({ broadcast }) => emit.emit('broadcast:received', broadcast),
    'file.uploaded': ({ notice, by }) =>
      emit.to(roomKey(notice.roomId)).emit('file:uploaded', fileOut(notice, by)),
    'call.invited': ({ call, caller, offer }) =>
      emit.to(userKey(call.calleeId)).emit('call:incoming', {
        ...parties(call),
        caller: userRef(caller),
        callType: call.callType,
        offer: offer as wire.CanonicalSessionDescriptionInput,
      }),
    'call.accepted': ({ call, answer }) =>
      emit.to(bothParties(call)).emit('call:accepted', {
        ...parties(call),
        answer: answer as wire.CanonicalSessionDescriptionInput,
      }),
    'call.rejected': ({ call }) => emit.to(bothParties(call)).emit('call:rejected', parties(call)),
    'call.ended': ({ call }) =>
      emit.to(bothParties(call)).emit('call:ended', {
        ...parties(call),
        reason: call.state === 'missed' ? 'missed' : 'ended',
        endedBy: call.endedBy,
      }),
    'call.ice': ({ call, from, to, candidate }) =>
      emit.to(userKey(to)).emit('call:ice', {
        callId: call.id,
        fromUserId: from.id,
        toUserId: to,
        candidate: candidate as wire.CanonicalIceCandidateInput,
      }),
  };
}

/** `rate_limit:exceeded` to the refused socket, just before the command's `RATE_LIMITED` ack. */
export function canonicalRateLimited(
  refusal: RateLimited,
  { socket, emit, event }: CanonicalContext<User>,
): undefined {
  const { result } = refusal;
  emit.toSocket(socket).emit('rate_limit:exceeded', {
    event,
    limit: result.limit,
    remaining: result.remaining,
    resetMs: result.resetMs,
    retryAfterMs: result.retryAfterMs,
  });
  return undefined;
}

export function reactionUpdated(
  event: { message: Message; user: User; emoji: string; counts: ReactionCount[] },
  action: 'added' | 'removed',
): wire.ReactionUpdatedPayloadInput {
  return {
    roomId: event.message.roomId,
    messageId: event.message.id,
    userId: event.user.id,
    emoji: event.emoji,
    action,
    reactions: event.counts,
  };
}

// ------------------------------------------------------------------------------------------------ wire shapes

export function userRef(user: User): wire.CanonicalUserRefInput {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName || user.username,
    avatar: user.avatar || null,
  };
}

export function roomOut(room: Room): wire.CanonicalRoomInput {
  return {
    id: room.id,
    kind: room.kind,
    name: room.name,
    description: room.description,
    topic: room.topic,
    private: room.private,
    createdBy: room.createdBy,
    createdAt: room.createdAt,
    updatedAt: room.updatedAt,
  };
}

export function attachmentOut(attachment: Attachment, messageId: string): wire.CanonicalAttachmentInput {
  const { uploadId, url, type, filename, mimeType, size } = attachment;
  return {
    ...(uploadId !== undefined ? { uploadId } : {}),
    // An upload of this server is fetched through the message (members of its room may).
    ...(url
      ? { url }
      : uploadId !== undefined
        ? { url: `/api/uploads/${uploadId}?messageId=${messageId}` }
        : {}),
    ...(type !== undefined ? { type } : {}),
    ...(filename !== undefined ? { filename } : {}),
    ...(mimeType !== undefined ? { mimeType } : {}),
    ...(Number.isInteger(size) && (size as number) >= 0 ? { size } : {}),
  };
}

export function messageOut(
  message: Message,
  sender: User,
  reactions: ReactionCount[],
): wire.CanonicalMessageInput {
  return {
    id: message.id,
    roomId: message.roomId,
    sender: userRef(sender),
    type: message.type,
    content: message.content,
    replyToId: message.replyToId,
    forwardedFromId: message.forwardedFromId,
    clientMessageId: message.clientMessageId,
    attachments: (message.metadata?.attachments ?? []).map((a) => attachmentOut(a, message.id)),
    reactions,
    seq: message.seq,
    changeSeq: message.changeSeq,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
  };
}

/** Messages with their senders and reactions, looked up once per page. */
export async function messagesOut(
  chat: Chat,
  messages: readonly Message[],
): Promise<wire.CanonicalMessageInput[]> {
  const [senders, reactions] = await Promise.all([
    chat.users(messages.map((m) => m.senderId)),
    Promise.all(messages.map((m) => chat.reactionCounts(m.id))),
  ]);
  return messages.map((message, i) =>
    messageOut(message, senders.get(message.senderId) ?? unknownUser(message.senderId), reactions[i] ?? []),
  );
}

/** A sender the store no longer knows: shown by id. */
export function unknownUser(id: string): User {
  return {
    id,
    username: id,
    displayName: id,
    avatar: null,
    role: 'member',
    status: 'offline',
    statusMessage: null,
    customStatus: null,
    lastSeen: null,
    createdAt: new Date(0).toISOString(),
  };
}

export function presenceOut(state: PresenceState): wire.CanonicalPresenceInput {
  return {
    userId: state.userId,
    status: state.status,
    statusMessage: state.statusMessage,
    connectionCount: state.connectionCount,
    lastSeen: state.connectionCount > 0 ? null : state.lastSeen,
  };
}

export function fileOut(notice: FileNotice, by: User): wire.CanonicalFileNoticeInput {
  return {
    roomId: notice.roomId,
    fileName: notice.fileName,
    fileSize: notice.fileSize,
    fileType: notice.fileType,
    messageId: notice.messageId,
    uploadedBy: userRef(by),
    uploadedAt: notice.uploadedAt,
  };
}

export function callOut(call: Call): wire.CanonicalCallInput {
  return {
    id: call.id,
    callerId: call.callerId,
    calleeId: call.calleeId,
    callType: call.callType,
    state: call.state,
    createdAt: call.createdAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    endedBy: call.endedBy,
  };
}

export function parties(call: Call): wire.CanonicalCallPartiesInput {
  return { callId: call.id, callerId: call.callerId, calleeId: call.calleeId };
}

export function bothParties(call: Call): string[] {
  return [userKey(call.callerId), userKey(call.calleeId)];
}
