/**
 * The `/workspace` dialect (seed 004), outbound: what happened anywhere in the chat, in its event names and
 * wire shapes. Channels and conversations are rooms; a conversation is a `direct` or `group` room, every other
 * room is a channel. A socket gets a room's events only after `join_channel` / `join_conversation` (the spec's
 * Socket.IO rooms `channel:<id>` and `conversation:<id>`).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { WorkspaceContract } from '../../generated/workspace/contract.gen.js';
import type * as wire from '../../generated/workspace/schemas.gen.js';
import { ParleyError } from '../../runtime/errors.js';
import type { Emitter } from '../../runtime/server.js';
import type { Chat } from '../core/chat.js';
import type { RateLimited } from '../core/limits.js';
import { ignoring, type Translations } from '../session/translate.js';
import type { Attachment, Message, Reaction, Room, Upload, User } from '../store/types.js';

/** Where a message lives, in this dialect's words. */
export type Place = 'channel' | 'conversation';

export const channelRoom = (channelId: string) => `channel:${channelId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
export const socketRoom = (place: Place, id: string) =>
  place === 'channel' ? channelRoom(id) : conversationRoom(id);

export function placeOf(room: Pick<Room, 'kind'>): Place {
  return room.kind === 'direct' || room.kind === 'group' ? 'conversation' : 'channel';
}

/** Where an upload's bytes are served (`server/transport/rest.ts`). */
export const uploadUrl = (uploadId: string) => `/api/uploads/${encodeURIComponent(uploadId)}`;

/**
 * Payloads need the store (room kinds, reactions, uploads, the answered message): the namespace translates
 * events one after the other (`order: 'queued'`), in the order they happened.
 */
export function workspaceEvents(emit: Emitter<WorkspaceContract>, { chat }: { chat: Chat }): Translations {
  const view = new WorkspaceView(chat);
  const to = async (roomId: string) => {
    const place = await view.place(roomId);
    return { place, target: emit.to(socketRoom(place, roomId)) };
  };
  return {
    'message.created': async ({ message }) => {
      const { place, target } = await to(message.roomId);
      if (place === 'channel') target.emit('new_message', await view.channelMessage(message));
      else target.emit('new_direct_message', await view.directMessage(message));
    },
    'message.edited': async ({ message }) => {
      const { place, target } = await to(message.roomId);
      const edited = { messageId: message.id, content: message.content };
      target.emit(place === 'channel' ? 'message_edited' : 'direct_message_edited', edited);
    },
    'message.deleted': async ({ message }) => {
      const { place, target } = await to(message.roomId);
      if (place === 'channel')
        target.emit('message_deleted', { messageId: message.id, channelId: message.roomId });
      else target.emit('direct_message_deleted', { messageId: message.id, conversationId: message.roomId });
    },
    'reaction.added': async ({ message, user, emoji }) => {
      const reaction = await view.reaction(message.id, user, emoji);
      const { place, target } = await to(message.roomId);
      target.emit(place === 'channel' ? 'reaction_added' : 'direct_reaction_added', reaction);
    },
    'reaction.removed': async ({ message, user, emoji }) => {
      const removed = { messageId: message.id, emoji, userId: user.id };
      const { place, target } = await to(message.roomId);
      if (place === 'channel') target.emit('reaction_removed', { ...removed, channelId: message.roomId });
      else target.emit('direct_reaction_removed', { ...removed, conversationId: message.roomId });
    },
    // `forward_message` confirms to the socket that asked; the copy itself arrived as `message.created`.
    // Forwards made through other dialects are not this socket's business.
    ...ignoring('message.forwarded'),
    // The seed has no words for these.
    ...ignoring(
      'messages.read',
      'messages.read-up-to',
      'typing.changed',
      'presence.online',
      'presence.offline',
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

/** The seed has no notice: the error names the bucket (`too many message events: …`). */
export function workspaceRateLimited(refusal: RateLimited): Error {
  const { result, rateClass } = refusal;
  return new ParleyError(
    'RATE_LIMITED',
    `too many ${rateClass} events: at most ${result.limit} at once; retry in ${result.retryAfterMs} ms`,
    { details: result, cause: refusal },
  );
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

export function person(user: User): wire.WorkspaceUserInput {
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
    const room = await this.chat.room(roomId);
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
    const stored = (await this.chat.reactions(messageId)).find(
      (r) => r.userId === user.id && r.emoji === emoji,
    );
    const reaction = stored ?? {
      messageId,
      userId: user.id,
      emoji,
      createdAt: this.chat.now(),
    };
    return reactionOf(reaction, new Map([[user.id, user]]));
  }

  /**
   * The messages with what they show: author, reactions, attached uploads, and the answered message one level
   * deep (its own `replyTo` is `null`; `null` too when it was deleted).
   */
  private async render(messages: readonly Message[]): Promise<Rendered[]> {
    const { chat } = this;
    const parentIds = [...new Set(messages.flatMap((m) => (m.replyToId === null ? [] : [m.replyToId])))];
    const parents = (await chat.messagesById(parentIds)).filter((m) => m.deletedAt === null);
    const all = [...messages, ...parents];
    const reactions = new Map(
      await Promise.all(all.map(async (m) => [m.id, await chat.reactions(m.id)] as const)),
    );
    const userIds = all.flatMap((m) => [m.senderId, ...(reactions.get(m.id) ?? []).map((r) => r.userId)]);
    const users = await chat.users(userIds);
    const uploadIds = new Set(all.flatMap((m) => (m.metadata?.attachments ?? []).map((a) => a.uploadId)));
    const uploads = new Map<string, Upload>();
    for (const id of uploadIds) {
      const upload = id === undefined ? undefined : await chat.upload(id);
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

export function reactionOf(
  reaction: Reaction,
  users: ReadonlyMap<string, User>,
): wire.WorkspaceReactionInput {
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
export function attachmentsOf(
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
