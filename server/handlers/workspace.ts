/**
 * The `/workspace` dialect (seed 004) over the shared chat core: its event names and wire shapes, nothing
 * else. Channels and conversations are rooms; a conversation is a `direct` or `group` room, every other room
 * is a channel. A socket gets a room's events only after `join_channel` / `join_conversation` (the spec's
 * Socket.IO rooms `channel:<id>` and `conversation:<id>`), not from the handshake on.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Socket } from 'socket.io';
import type { WorkspaceContract } from '../../generated/workspace/contract.gen.js';
import type * as wire from '../../generated/workspace/schemas.gen.js';
import type { WorkspaceHandlers } from '../../generated/workspace/server.gen.js';
import { isParleyError, ParleyError } from '../../runtime/errors.js';
import type { Emitter } from '../../runtime/server.js';
import type { Chat } from '../core/chat.js';
import type { ChatEvent } from '../core/events.js';
import { requireMember } from '../domain/access.js';
import { isoNow } from '../domain/clock.js';
import type { Logger } from '../log.js';
import type { Attachment, Message, MessageType, Reaction, Room, Upload, User } from '../store/types.js';

export interface WorkspaceDeps {
  chat: Chat;
  log: Logger;
}

/** Where a message lives, in this dialect's words. */
export type Place = 'channel' | 'conversation';

export const channelRoom = (channelId: string) => `channel:${channelId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
const socketRoom = (place: Place, id: string) =>
  place === 'channel' ? channelRoom(id) : conversationRoom(id);

export function placeOf(room: Pick<Room, 'kind'>): Place {
  return room.kind === 'direct' || room.kind === 'group' ? 'conversation' : 'channel';
}

/** The seed's wording for every refusal to use a room (not a member, unknown id, wrong kind). */
export const ACCESS_DENIED: Readonly<Record<Place, string>> = {
  channel: 'Access denied to channel',
  conversation: 'Access denied to conversation',
};

/** What a deleted message's content becomes in the store (other dialects may show it). */
const DELETED_TEXT = 'This message was deleted';

/** Where an upload's bytes are served (`server/transport/rest.ts`). */
export const uploadUrl = (uploadId: string) => `/api/uploads/${encodeURIComponent(uploadId)}`;

/** `authenticated`: who the handshake's token names. */
export function workspaceWelcome(user: User): wire.AuthenticatedPayloadInput {
  return { userId: user.id, user: person(user) };
}

/** The room `roomId` as a channel or conversation `userId` is a member of; any refusal is the seed's. */
export async function requirePlace(chat: Chat, userId: string, place: Place, roomId: string): Promise<Room> {
  let room: Room;
  try {
    ({ room } = await requireMember(chat.domain.store, userId, roomId, 'use'));
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
  const store = chat.domain.store;

  /** A live (not deleted) message of `room`; anything else is `NOT_FOUND`, whatever the reason. */
  const messageIn = async (room: Room, messageId: string): Promise<Message> => {
    const message = await store.getMessage(messageId);
    if (!message || message.roomId !== room.id || message.deletedAt !== null)
      throw new ParleyError('NOT_FOUND', `message ${messageId} is not in this ${placeOf(room)}`);
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
    chat.domain.rateLimiter.consume(user.id, 'message');
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
    chat.domain.rateLimiter.consume(user.id, 'message');
    await messageIn(await requirePlace(chat, user.id, place, roomId), messageId);
    // The domain lets only the author edit.
    await chat.editMessage(user.id, messageId, content);
  };

  const remove = async (place: Place, user: User, roomId: string, messageId: string) => {
    chat.domain.rateLimiter.consume(user.id, 'message');
    await messageIn(await requirePlace(chat, user.id, place, roomId), messageId);
    // The domain lets the author and the room's admins and owners delete.
    await chat.deleteMessage(user.id, messageId, DELETED_TEXT);
    // The dialect removes a deleted message's reactions too (the core's soft delete keeps them).
    for (const reaction of await store.listReactions(messageId))
      await store.removeReaction(messageId, reaction.userId, reaction.emoji);
  };

  const react = async (
    change: 'add' | 'remove',
    place: Place,
    user: User,
    input: { roomId: string; messageId: string; emoji: string },
  ) => {
    chat.domain.rateLimiter.consume(user.id, 'reaction');
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
      chat.domain.rateLimiter.consume(user.id, 'message');
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
      emit.toSocket(socket).emit('pong', { timestamp: chat.domain.clock.now() });
    },
  } satisfies WorkspaceHandlers<User>;
}

/**
 * Tells `/workspace` clients what happened anywhere in the chat, in this dialect's words. Payloads need the
 * store (room kinds, reactions, uploads, the answered message), so events are translated one after the other,
 * in the order they happened.
 */
export function workspaceEvents(emit: Emitter<WorkspaceContract>, { chat, log }: WorkspaceDeps) {
  const view = new WorkspaceView(chat);
  const translate = async (event: ChatEvent): Promise<void> => {
    switch (event.type) {
      case 'message.created': {
        const { message } = event;
        if ((await view.place(message.roomId)) === 'channel')
          emit.to(channelRoom(message.roomId)).emit('new_message', await view.channelMessage(message));
        else
          emit
            .to(conversationRoom(message.roomId))
            .emit('new_direct_message', await view.directMessage(message));
        return;
      }
      case 'message.edited': {
        const { message } = event;
        const edited = { messageId: message.id, content: message.content };
        if ((await view.place(message.roomId)) === 'channel')
          emit.to(channelRoom(message.roomId)).emit('message_edited', edited);
        else emit.to(conversationRoom(message.roomId)).emit('direct_message_edited', edited);
        return;
      }
      case 'message.deleted': {
        const { message } = event;
        if ((await view.place(message.roomId)) === 'channel')
          emit
            .to(channelRoom(message.roomId))
            .emit('message_deleted', { messageId: message.id, channelId: message.roomId });
        else
          emit
            .to(conversationRoom(message.roomId))
            .emit('direct_message_deleted', { messageId: message.id, conversationId: message.roomId });
        return;
      }
      case 'reaction.added': {
        const { message, user, emoji } = event;
        const reaction = await view.reaction(message.id, user, emoji);
        if ((await view.place(message.roomId)) === 'channel')
          emit.to(channelRoom(message.roomId)).emit('reaction_added', reaction);
        else emit.to(conversationRoom(message.roomId)).emit('direct_reaction_added', reaction);
        return;
      }
      case 'reaction.removed': {
        const { message, user, emoji } = event;
        const removed = { messageId: message.id, emoji, userId: user.id };
        if ((await view.place(message.roomId)) === 'channel')
          emit
            .to(channelRoom(message.roomId))
            .emit('reaction_removed', { ...removed, channelId: message.roomId });
        else
          emit
            .to(conversationRoom(message.roomId))
            .emit('direct_reaction_removed', { ...removed, conversationId: message.roomId });
        return;
      }
      // `message.forwarded`: `forward_message` confirms to the socket that asked; the copy itself arrived as
      // `message.created`. Forwards made through other dialects are not this socket's business.
    }
  };
  let queue: Promise<void> = Promise.resolve();
  return (event: ChatEvent): void => {
    queue = queue.then(() =>
      translate(event).catch((error: unknown) =>
        log.error({ err: error, nsp: '/workspace', event: event.type }, 'could not translate a chat event'),
      ),
    );
  };
}

/** A file reference as clients send it: an upload id, or the upload API's answer. */
type AttachmentRef = wire.WorkspaceAttachmentRef;

/**
 * The sender's uploads the references name. Anything else (unknown, someone else's) is `NOT_FOUND`; the
 * fields of an `Attachment` given with the id must match the upload.
 */
async function ownUploads(chat: Chat, userId: string, refs: readonly AttachmentRef[]): Promise<Upload[]> {
  const uploads: Upload[] = [];
  for (const [index, ref] of refs.entries()) {
    const id = typeof ref === 'string' ? ref : ref.id;
    const upload = await chat.domain.store.getUpload(id);
    if (!upload || upload.ownerId !== userId)
      throw new ParleyError('NOT_FOUND', `attachments.${index}: you have no upload ${id}`);
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

/** An upload as the upload API answers it (`{ data: Attachment }`). */
export function attachmentOf(upload: Upload, messageId?: string): wire.WorkspaceAttachmentInput {
  return {
    id: upload.id,
    filename: path.basename(upload.path),
    originalName: upload.filename,
    mimeType: upload.mimeType,
    size: upload.size,
    // On a message, the link names it: members of its room may fetch the file, not only its owner.
    url:
      messageId === undefined
        ? uploadUrl(upload.id)
        : `${uploadUrl(upload.id)}?messageId=${encodeURIComponent(messageId)}`,
    createdAt: upload.createdAt,
  };
}

function person(user: User): wire.WorkspaceUserInput {
  return { id: user.id, name: user.displayName || user.username, image: user.avatar || null };
}

/** A message as both shapes share it, before its room's key is named. */
interface Rendered {
  id: string;
  content: string;
  roomId: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
  replyToId: string | null;
  user: wire.WorkspaceUserInput;
  replyTo: Rendered | null;
  attachments: wire.WorkspaceAttachmentInput[];
  reactions: wire.WorkspaceReactionInput[];
}

/** Stored messages, reactions and uploads in the seed's shapes. */
export class WorkspaceView {
  private readonly chat: Chat;

  constructor(chat: Chat) {
    this.chat = chat;
  }

  /**
   * Whether a room is a channel or a conversation. Looked up every time (one indexed read): the conformance
   * reset may give an id to a room of another kind.
   */
  async place(roomId: string): Promise<Place> {
    const room = await this.chat.domain.store.getRoom(roomId);
    if (!room) throw new ParleyError('NOT_FOUND', `room ${roomId} does not exist`);
    return placeOf(room);
  }

  async channelMessage(message: Message): Promise<wire.WorkspaceMessageInput> {
    const [rendered] = await this.render([message]);
    return asChannelMessage(rendered as Rendered);
  }

  async directMessage(message: Message): Promise<wire.WorkspaceDirectMessageInput> {
    const [rendered] = await this.render([message]);
    return asDirectMessage(rendered as Rendered);
  }

  /** A page of a channel's messages, with their lookups batched. */
  async channelMessages(messages: readonly Message[]): Promise<wire.WorkspaceMessageInput[]> {
    return (await this.render(messages)).map(asChannelMessage);
  }

  /** A page of a conversation's messages, with their lookups batched. */
  async directMessages(messages: readonly Message[]): Promise<wire.WorkspaceDirectMessageInput[]> {
    return (await this.render(messages)).map(asDirectMessage);
  }

  /** The reaction `user` just made. */
  async reaction(messageId: string, user: User, emoji: string): Promise<wire.WorkspaceReactionInput> {
    const stored = (await this.chat.domain.store.listReactions(messageId)).find(
      (r) => r.userId === user.id && r.emoji === emoji,
    );
    const reaction = stored ?? {
      messageId,
      userId: user.id,
      emoji,
      createdAt: isoNow(this.chat.domain.clock),
    };
    return reactionOf(reaction, new Map([[user.id, user]]));
  }

  /**
   * The messages with what they show: author, reactions, attached uploads, and the answered message one level
   * deep (its own `replyTo` is `null`; `null` too when it was deleted).
   */
  private async render(messages: readonly Message[]): Promise<Rendered[]> {
    const { store } = this.chat.domain;
    const parentIds = [...new Set(messages.flatMap((m) => (m.replyToId === null ? [] : [m.replyToId])))];
    const parents = (await store.getMessages(parentIds)).filter((m) => m.deletedAt === null);
    const all = [...messages, ...parents];
    const reactions = new Map(
      await Promise.all(all.map(async (m) => [m.id, await store.listReactions(m.id)] as const)),
    );
    const userIds = all.flatMap((m) => [m.senderId, ...(reactions.get(m.id) ?? []).map((r) => r.userId)]);
    const users = new Map((await this.chat.domain.users.getMany(userIds)).map((u) => [u.id, u]));
    const uploadIds = new Set(all.flatMap((m) => (m.metadata?.attachments ?? []).map((a) => a.uploadId)));
    const uploads = new Map<string, Upload>();
    for (const id of uploadIds) {
      const upload = id === undefined ? undefined : await store.getUpload(id);
      if (upload) uploads.set(upload.id, upload);
    }

    const base = (m: Message): Rendered => {
      const sender = users.get(m.senderId);
      return {
        id: m.id,
        content: m.content,
        roomId: m.roomId,
        userId: m.senderId,
        createdAt: m.createdAt,
        updatedAt: m.editedAt ?? m.createdAt,
        replyToId: m.replyToId,
        user: sender ? person(sender) : { id: m.senderId, name: m.senderId, image: null },
        replyTo: null,
        attachments: attachmentsOf(m, uploads),
        reactions: (reactions.get(m.id) ?? []).map((r) => reactionOf(r, users)),
      };
    };
    const rendered = new Map(parents.map((p) => [p.id, base(p)]));
    return messages.map((m) => ({
      ...base(m),
      replyTo: m.replyToId === null ? null : (rendered.get(m.replyToId) ?? null),
    }));
  }
}

/** In the seed's order of keys. */
function asChannelMessage(m: Rendered): wire.WorkspaceMessageInput {
  return {
    id: m.id,
    content: m.content,
    channelId: m.roomId,
    userId: m.userId,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    replyToId: m.replyToId,
    user: m.user,
    replyTo: m.replyTo && asChannelMessage(m.replyTo),
    attachments: m.attachments,
    reactions: m.reactions,
  };
}

function asDirectMessage(m: Rendered): wire.WorkspaceDirectMessageInput {
  return {
    id: m.id,
    content: m.content,
    conversationId: m.roomId,
    userId: m.userId,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    replyToId: m.replyToId,
    user: m.user,
    replyTo: m.replyTo && asDirectMessage(m.replyTo),
    attachments: m.attachments,
    reactions: m.reactions,
  };
}

/** A reaction's id: the store keys reactions by message, user and emoji, so the id is derived from those. */
export function reactionId(reaction: Pick<Reaction, 'messageId' | 'userId' | 'emoji'>): string {
  const digest = createHash('sha256')
    .update(`${reaction.messageId}\u0000${reaction.userId}\u0000${reaction.emoji}`)
    .digest('hex');
  return `rxn_${digest.slice(0, 20)}`;
}

function reactionOf(reaction: Reaction, users: ReadonlyMap<string, User>): wire.WorkspaceReactionInput {
  const user = users.get(reaction.userId);
  return {
    id: reactionId(reaction),
    emoji: reaction.emoji,
    messageId: reaction.messageId,
    userId: reaction.userId,
    createdAt: reaction.createdAt,
    user: { id: reaction.userId, name: user ? person(user).name : reaction.userId },
  };
}

/**
 * A message's files: uploads of this server in full, links other dialects stored (a URL, messenger's
 * `fileUrl`) with what is known of them.
 */
function attachmentsOf(
  message: Message,
  uploads: ReadonlyMap<string, Upload>,
): wire.WorkspaceAttachmentInput[] {
  const meta = message.metadata;
  const stored: Attachment[] = [...(meta?.attachments ?? [])];
  if (typeof meta?.fileUrl === 'string' && meta.fileUrl !== '') {
    stored.push({
      url: meta.fileUrl,
      ...(typeof meta.fileName === 'string' ? { filename: meta.fileName } : {}),
    });
  }
  return stored.flatMap((a, index) => {
    if (a.uploadId !== undefined) {
      const upload = uploads.get(a.uploadId);
      return upload ? [attachmentOf(upload, message.id)] : [];
    }
    if (a.url === undefined || a.url === '') return [];
    const name = a.filename || nameInUrl(a.url);
    return [
      {
        id: `${message.id}:${index}`,
        filename: name,
        originalName: name,
        mimeType: a.mimeType || 'application/octet-stream',
        size: a.size ?? 0,
        url: a.url,
        createdAt: message.createdAt,
      },
    ];
  });
}

function nameInUrl(url: string): string {
  try {
    return path.posix.basename(new URL(url, 'http://localhost').pathname) || 'file';
  } catch {
    return 'file';
  }
}
