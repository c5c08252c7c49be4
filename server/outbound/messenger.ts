/**
 * The `/messenger` dialect (seed 001), outbound: what happened anywhere in the chat, in its event names and
 * wire shapes.
 */
import type { MessengerContract } from '../../generated/messenger/contract.gen.js';
import type * as wire from '../../generated/messenger/schemas.gen.js';
import type { Emitter } from '../../runtime/server.js';
import { ignoring, type Translations } from '../session/translate.js';
import type { Message, User } from '../store/types.js';
import { roomKey, userKey } from '../transport/rooms.js';

export function messengerEvents(emit: Emitter<MessengerContract>): Translations {
  return {
    'message.created': ({ message, sender }) =>
      emit.to(roomKey(message.roomId)).emit('receive_message', {
        message: messengerMessage(message, sender),
        conversationId: message.roomId,
      }),
    'message.edited': ({ message }) =>
      emit.to(roomKey(message.roomId)).emit('message_edited', messageEdited(message)),
    'message.deleted': ({ message }) =>
      emit
        .to(roomKey(message.roomId))
        .emit('message_deleted', { messageId: message.id, conversationId: message.roomId }),
    'messages.read': (event) =>
      emit.to(roomKey(event.roomId)).emit('messages_read', {
        conversationId: event.roomId,
        messageIds: event.messageIds,
        readBy: event.reader.id,
      }),
    'typing.changed': (event) =>
      emit.to(roomKey(event.roomId)).except(userKey(event.user.id)).emit('typing_status', {
        userId: event.user.id,
        username: event.user.username,
        conversationId: event.roomId,
        isTyping: event.isTyping,
      }),
    'presence.online': ({ user }) =>
      emit.except(userKey(user.id)).emit('user_online', { userId: user.id, username: user.username }),
    'presence.offline': ({ user, lastSeen }) =>
      emit
        .except(userKey(user.id))
        .emit('user_offline', { userId: user.id, username: user.username, lastSeen }),
    // The seed has no words for these.
    ...ignoring(
      'message.forwarded',
      'reaction.added',
      'reaction.removed',
      'messages.read-up-to',
      'presence.status',
      'room.joined',
      'room.left',
      'room.updated',
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

export function messageEdited(message: Message): wire.MessageEditedPayloadInput {
  return {
    messageId: message.id,
    newContent: message.content,
    editedAt: message.editedAt ?? message.createdAt,
    conversationId: message.roomId,
  };
}

export function messengerMessage(message: Message, sender: User): wire.MessengerMessageInput {
  const meta = message.metadata ?? {};
  const type = message.type === 'image' || message.type === 'file' ? message.type : 'text';
  return {
    _id: message.id,
    conversationId: message.roomId,
    sender: {
      _id: sender.id,
      username: sender.username,
      ...(sender.avatar ? { avatar: sender.avatar } : {}),
    },
    content: message.content,
    type,
    ...(typeof meta.fileUrl === 'string' ? { fileUrl: meta.fileUrl } : {}),
    ...(typeof meta.fileName === 'string' ? { fileName: meta.fileName } : {}),
    status: 'sent',
    createdAt: message.createdAt,
    ...(message.editedAt ? { edited: true, editedAt: message.editedAt } : {}),
    ...(message.deletedAt ? { deleted: true, deletedAt: message.deletedAt } : {}),
  };
}
