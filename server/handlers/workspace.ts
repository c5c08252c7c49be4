/**
 * The `/workspace` dialect (seed 004), inbound: its events over the chat core, in its words. Channels and
 * conversations are rooms; a socket subscribes to one with `join_channel` / `join_conversation`. What goes out
 * is `outbound/workspace.ts`.
 */
import type { Socket } from 'socket.io';
import type * as wire from '../../generated/workspace/schemas.gen.js';
import type { WorkspaceHandlers } from '../../generated/workspace/server.gen.js';
import { isParleyError, ParleyError } from '../../runtime/errors.js';
import type { Chat } from '../core/chat.js';
import type { Logger } from '../log.js';
import {
  attachmentOf,
  channelRoom,
  conversationRoom,
  type Place,
  person,
  placeOf,
  socketRoom,
  WorkspaceView,
} from '../outbound/workspace.js';
import type { Message, MessageType, Room, Upload, User } from '../store/types.js';

export interface WorkspaceDeps {
  chat: Chat;
  log: Logger;
}

/** The seed's wording for every refusal to use a room (not a member, unknown id, wrong kind). */
export const ACCESS_DENIED: Readonly<Record<Place, string>> = {
  channel: 'Access denied to channel',
  conversation: 'Access denied to conversation',
};

/** `authenticated`: who the handshake's token names. */
export function workspaceWelcome(user: User): wire.AuthenticatedPayloadInput {
  return { userId: user.id, user: person(user) };
}

/** The room `roomId` as a channel or conversation `userId` is a member of; any refusal is the seed's. */
export async function requirePlace(chat: Chat, userId: string, place: Place, roomId: string): Promise<Room> {
  let room: Room;
  try {
    ({ room } = await chat.requireMember(userId, roomId, 'use'));
  } catch (error) {
    if (isParleyError(error) && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND'))
      throw new ParleyError('FORBIDDEN', ACCESS_DENIED[place], { cause: error });
    throw error;
  }
  if (placeOf(room) !== place) throw new ParleyError('FORBIDDEN', ACCESS_DENIED[place]);
  return room;
}

export function workspaceHandlers({ chat }: WorkspaceDeps) {
  const view = new WorkspaceView(chat);

  /** A live (not deleted) message of `room`; anything else is `NOT_FOUND`, whatever the reason. */
  const messageIn = async (room: Room, messageId: string): Promise<Message> => {
    const message = await chat.messageIn(messageId, room.id, { live: true });
    if (!message) throw new ParleyError('NOT_FOUND', `message ${messageId} is not in this ${placeOf(room)}`);
    return message;
  };

  const join = async (place: Place, roomId: string, user: User, socket: Socket) => {
    await requirePlace(chat, user.id, place, roomId);
    await socket.join(socketRoom(place, roomId));
  };

  const post = async (
    place: Place,
    user: User,
    input: { roomId: string; content: string; replyToId?: string | null; attachments?: AttachmentRef[] },
  ) => {
    const room = await requirePlace(chat, user.id, place, input.roomId);
    if (input.replyToId != null) await messageIn(room, input.replyToId);
    const uploads = await ownUploads(chat, user.id, input.attachments ?? []);
    try {
      await chat.sendMessage(user.id, {
        roomId: room.id,
        content: input.content,
        type: messageType(uploads),
        replyToId: input.replyToId ?? null,
        attachments: uploads.map((upload) => ({ uploadId: upload.id })),
      });
    } catch (error) {
      // The seed's client retries errors that say "Failed to send": only those a retry may fix.
      if (isParleyError(error) && error.code !== 'INTERNAL') throw error;
      throw new ParleyError('INTERNAL', 'Failed to send message', { cause: error });
    }
  };

  const edit = async (place: Place, user: User, roomId: string, messageId: string, content: string) => {
    await messageIn(await requirePlace(chat, user.id, place, roomId), messageId);
    // The domain lets only the author edit.
    await chat.editMessage(user.id, messageId, content);
  };

  const remove = async (place: Place, user: User, roomId: string, messageId: string) => {
    await messageIn(await requirePlace(chat, user.id, place, roomId), messageId);
    // The domain lets the author and the room's admins and owners delete; in this dialect a deleted message
    // has no reactions either.
    await chat.deleteMessage(user.id, messageId, { reactions: 'remove' });
  };

  const react = async (
    change: 'add' | 'remove',
    place: Place,
    user: User,
    input: { roomId: string; messageId: string; emoji: string },
  ) => {
    await messageIn(await requirePlace(chat, user.id, place, input.roomId), input.messageId);
    if (change === 'add') await chat.addReaction(user.id, input.messageId, input.emoji);
    else await chat.removeReaction(user.id, input.messageId, input.emoji);
  };

  return {
    async join_channel({ channelId }, { user, socket, emit }) {
      await join('channel', channelId, user, socket);
      emit.toSocket(socket).emit('joined_channel', { channelId });
    },
    async leave_channel({ channelId }, { socket, emit }) {
      await socket.leave(channelRoom(channelId));
      emit.toSocket(socket).emit('left_channel', { channelId });
    },
    async send_message(payload, { user }) {
      await post('channel', user, { ...payload, roomId: payload.channelId });
    },
    async edit_message({ channelId, messageId, content }, { user }) {
      await edit('channel', user, channelId, messageId, content);
    },
    async delete_message({ channelId, messageId }, { user }) {
      await remove('channel', user, channelId, messageId);
    },
    async forward_message({ messageId, channelId, targetChannelId }, { user, socket, emit }) {
      const source = await requirePlace(chat, user.id, 'channel', channelId);
      const target = await requirePlace(chat, user.id, 'channel', targetChannelId);
      await messageIn(source, messageId);
      const { message: copy } = await chat.forwardMessage(user.id, messageId, target.id);
      // The confirmation is for the socket that asked (the copy reaches the target's room as new_message).
      emit.toSocket(socket).emit('message_forwarded', {
        messageId,
        channelId,
        targetChannelId,
        message: await view.channelMessage(copy),
      });
    },
    async add_reaction({ channelId, messageId, emoji }, { user }) {
      await react('add', 'channel', user, { roomId: channelId, messageId, emoji });
    },
    async remove_reaction({ channelId, messageId, emoji }, { user }) {
      await react('remove', 'channel', user, { roomId: channelId, messageId, emoji });
    },
    async join_conversation({ conversationId }, { user, socket, emit }) {
      await join('conversation', conversationId, user, socket);
      emit.toSocket(socket).emit('conversation_joined', { conversationId });
    },
    async leave_conversation({ conversationId }, { socket, emit }) {
      await socket.leave(conversationRoom(conversationId));
      emit.toSocket(socket).emit('conversation_left', { conversationId });
    },
    async send_direct_message(payload, { user }) {
      await post('conversation', user, { ...payload, roomId: payload.conversationId });
    },
    async edit_direct_message({ conversationId, messageId, content }, { user }) {
      await edit('conversation', user, conversationId, messageId, content);
    },
    async delete_direct_message({ conversationId, messageId }, { user }) {
      await remove('conversation', user, conversationId, messageId);
    },
    async add_direct_reaction({ conversationId, messageId, emoji }, { user }) {
      await react('add', 'conversation', user, { roomId: conversationId, messageId, emoji });
    },
    async remove_direct_reaction({ conversationId, messageId, emoji }, { user }) {
      await react('remove', 'conversation', user, { roomId: conversationId, messageId, emoji });
    },
    ping(_payload, { socket, emit }) {
      emit.toSocket(socket).emit('pong', { timestamp: chat.nowMs() });
    },
  } satisfies WorkspaceHandlers<User>;
}

/** A file reference as clients send it: an upload id, or the upload API's answer. */
type AttachmentRef = wire.WorkspaceAttachmentRef;

/**
 * The sender's uploads the references name. Anything else (unknown, someone else's: the domain's ownership
 * check) is `NOT_FOUND`; the fields of an `Attachment` given with the id must match the upload.
 */
async function ownUploads(chat: Chat, userId: string, refs: readonly AttachmentRef[]): Promise<Upload[]> {
  const uploads: Upload[] = [];
  for (const [index, ref] of refs.entries()) {
    const id = typeof ref === 'string' ? ref : ref.id;
    const upload = await chat.ownUpload(userId, id).catch((error: unknown) => {
      if (!isParleyError(error) || (error.code !== 'NOT_FOUND' && error.code !== 'FORBIDDEN')) throw error;
      throw new ParleyError('NOT_FOUND', `attachments.${index}: you have no upload ${id}`, { cause: error });
    });
    if (typeof ref !== 'string') {
      const expected = attachmentOf(upload);
      for (const key of ['filename', 'originalName', 'mimeType', 'size'] as const) {
        if (ref[key] !== undefined && ref[key] !== expected[key]) {
          throw new ParleyError(
            'VALIDATION_FAILED',
            `attachments.${index}.${key}: upload ${id} has ${JSON.stringify(expected[key])}, not ${JSON.stringify(ref[key])}`,
          );
        }
      }
    }
    uploads.push(upload);
  }
  return uploads;
}

function messageType(uploads: readonly Upload[]): MessageType {
  if (uploads.length === 0) return 'text';
  return uploads.every((upload) => upload.mimeType.startsWith('image/')) ? 'image' : 'file';
}
