/**
 * The `/messenger` dialect (seed 001), inbound: its events over the chat core, in its words. Conversations are
 * rooms; a socket hears every room of its user from the session on. What goes out is `outbound/messenger.ts`.
 */
import type * as wire from '../../generated/messenger/schemas.gen.js';
import type { MessengerHandlers } from '../../generated/messenger/server.gen.js';
import { forbidden, isParleyError, ParleyError } from '../../runtime/errors.js';
import type { Chat } from '../core/chat.js';
import { messengerMessage } from '../outbound/messenger.js';
import type { User } from '../store/types.js';
import { roomKey } from '../transport/rooms.js';

export interface MessengerDeps {
  chat: Chat;
}

export function messengerHandlers({ chat }: MessengerDeps) {
  return {
    async join_conversations(ids, { user, socket }) {
      if (ids.length === 0) return;
      await seedErrors(() => chat.joinRooms(user.id, ids, 'none'));
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
      if (isTyping) await seedErrors(() => chat.startTyping(user.id, conversationId, socket.id));
      else await seedErrors(() => chat.stopTyping(user.id, conversationId));
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
        const message = await chat.message(user.id, messageId);
        if (message.senderId !== user.id) throw forbidden(`only the author may delete message ${messageId}`);
        return chat.deleteMessage(user.id, messageId);
      });
      return { success: true as const };
    },
  } satisfies MessengerHandlers<User>;
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
