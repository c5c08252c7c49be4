/**
 * The `/messenger` dialect (seed 001) over the shared chat core: its event names and wire shapes, nothing
 * else. Conversations are rooms; a socket is in all of its user's rooms from the handshake on.
 */
import type { MessengerContract } from '../../generated/messenger/contract.gen.js';
import type * as wire from '../../generated/messenger/schemas.gen.js';
import type { MessengerHandlers } from '../../generated/messenger/server.gen.js';
import { forbidden, isParleyError, ParleyError } from '../../runtime/errors.js';
import type { Emitter } from '../../runtime/server.js';
import type { Chat } from '../core/chat.js';
import type { ChatEvent } from '../core/events.js';
import type { Message, User } from '../store/types.js';
import { roomKey, userKey } from '../transport/rooms.js';

export interface MessengerDeps {
  chat: Chat;
}

/** The seed's soft-delete placeholder. */
export const DELETED_TEXT = 'This message was deleted';

export function messengerHandlers({ chat }: MessengerDeps) {
  return {
    async join_conversations(ids, { user, socket }) {
      if (ids.length === 0) return;
      await seedErrors(() => chat.domain.rooms.joinMany(user.id, ids));
      await socket.join(ids.map(roomKey));
    },
    async send_message(payload, { user }) {
      const { message, sender } = await seedErrors(() =>
        chat.sendMessage(user.id, {
          roomId: payload.conversationId,
          content: payload.content,
          type: payload.type,
          metadata: attachment(payload),
        }),
      );
      return { success: true as const, message: messengerMessage(message, sender) };
    },
    async typing({ conversationId, isTyping }, { user, socket }) {
      if (isTyping) await seedErrors(() => chat.domain.typing.start(user.id, conversationId, socket.id));
      else await seedErrors(() => chat.domain.typing.stop(user.id, conversationId));
    },
    async mark_read({ conversationId, messageIds }, { user }) {
      await seedErrors(() => chat.markMessagesRead(user.id, conversationId, messageIds));
    },
    async edit_message({ messageId, newContent }, { user }) {
      await seedErrors(() => chat.editMessage(user.id, messageId, newContent));
      return { success: true as const };
    },
    async delete_message({ messageId }, { user }) {
      await seedErrors(async () => {
        // The dialect lets only the author delete (the core also lets room admins and owners).
        const message = await chat.domain.messages.get(user.id, messageId);
        if (message.senderId !== user.id) throw forbidden(`only the author may delete message ${messageId}`);
        return chat.deleteMessage(user.id, messageId, DELETED_TEXT);
      });
      return { success: true as const };
    },
  } satisfies MessengerHandlers<User>;
}

/** Tells `/messenger` clients what happened anywhere in the chat, in this dialect's words. */
export function messengerEvents(emit: Emitter<MessengerContract>) {
  return (event: ChatEvent): void => {
    switch (event.type) {
      case 'message.created':
        emit.to(roomKey(event.message.roomId)).emit('receive_message', {
          message: messengerMessage(event.message, event.sender),
          conversationId: event.message.roomId,
        });
        return;
      case 'message.edited':
        emit.to(roomKey(event.message.roomId)).emit('message_edited', {
          messageId: event.message.id,
          newContent: event.message.content,
          editedAt: event.message.editedAt ?? event.message.createdAt,
          conversationId: event.message.roomId,
        });
        return;
      case 'message.deleted':
        emit
          .to(roomKey(event.message.roomId))
          .emit('message_deleted', { messageId: event.message.id, conversationId: event.message.roomId });
        return;
      case 'messages.read':
        emit.to(roomKey(event.roomId)).emit('messages_read', {
          conversationId: event.roomId,
          messageIds: event.messageIds,
          readBy: event.reader.id,
        });
        return;
      case 'typing.changed':
        emit.to(roomKey(event.roomId)).except(userKey(event.user.id)).emit('typing_status', {
          userId: event.user.id,
          username: event.user.username,
          conversationId: event.roomId,
          isTyping: event.isTyping,
        });
        return;
      case 'presence.online':
        emit
          .except(userKey(event.user.id))
          .emit('user_online', { userId: event.user.id, username: event.user.username });
        return;
      case 'presence.offline':
        emit.except(userKey(event.user.id)).emit('user_offline', {
          userId: event.user.id,
          username: event.user.username,
          lastSeen: event.lastSeen,
        });
        return;
    }
  };
}

function messengerMessage(message: Message, sender: User): wire.MessengerMessageInput {
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

function attachment(payload: wire.SendMessagePayload): Record<string, unknown> | null {
  if (payload.fileUrl === undefined && payload.fileName === undefined) return null;
  return { fileUrl: payload.fileUrl, fileName: payload.fileName };
}

/**
 * The seed answers every refusal (not a participant, not the author, no such message) with the one text
 * `Unauthorized`; the code still says which.
 */
async function seedErrors<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isParleyError(error) && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
      throw new ParleyError(error.code, 'Unauthorized', { cause: error });
    }
    throw error;
  }
}
