/**
 * Messages: send (idempotent per client message id), edit, soft delete, forward, history pages and
 * catch-up after a reconnect.
 *
 * Rules: only members send into a room (and only workspace admins send `system` messages); only the
 * sender edits; the sender or a room admin/owner deletes; anyone who can see a room reads its history.
 * Every method that writes resolves after the write has committed, so an ack built from its result
 * never reports a message the store could still lose.
 */
import { ParleyError } from '../../runtime/errors.js';
import { newId } from '../store/ids.js';
import type { Store } from '../store/store.js';
import {
  type Attachment,
  MESSAGE_TYPES,
  type Message,
  type MessageMetadata,
  type MessageType,
  type Room,
} from '../store/types.js';
import { isModerator, requireMember, requireMessage, requireReadable, requireUser } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { checkInteger, checkOneOf, checkText, describe, invalid } from './validation.js';

export interface MessagesOptions {
  clock?: Clock;
  /** Longest message, in characters. Default 5000. */
  maxMessageLength?: number;
  /** Most attachments on one message. Default 10. */
  maxAttachments?: number;
  /** Largest metadata object, in bytes of JSON. Default 16 KiB. */
  maxMetadataBytes?: number;
  /** What a deleted message's content becomes when the caller names nothing. */
  deletedPlaceholder?: string;
  /** History pages: default and largest size. Defaults 50 and 100. */
  defaultHistoryLimit?: number;
  maxHistoryLimit?: number;
  /** Catch-up pages: default and largest size. Defaults 500 and 1000. */
  defaultCatchUpLimit?: number;
  maxCatchUpLimit?: number;
}

/** An attachment as a client refers to it: an upload of this server, or a URL. */
export interface AttachmentInput {
  uploadId?: string;
  url?: string;
  type?: string;
  filename?: string;
  mimeType?: string;
  size?: number;
}

export interface SendInput {
  roomId: string;
  content: string;
  /** Default `text`. */
  type?: MessageType;
  replyToId?: string | null;
  attachments?: readonly AttachmentInput[];
  /**
   * The client's idempotency key. A retry with the same key (same sender) stores nothing new and resolves
   * to the first message with `duplicate: true`; reusing a key for another room is a `CONFLICT`.
   */
  clientMessageId?: string | null;
  /** Extra JSON kept with the message (a ticket link, file details); `attachments` is set from above. */
  metadata?: Record<string, unknown> | null;
}

export interface SendResult {
  message: Message;
  /** The room it is in (dialects that announce by room name need its kind and name). */
  room: Room;
  /** `true` when this was a retry of an already stored message: nothing was written, don't broadcast. */
  duplicate: boolean;
}

export interface DeleteResult {
  message: Message;
  /** `false` when it was already deleted: nothing changed. */
  deleted: boolean;
}

export interface HistoryOptions {
  /** Only messages older than this `seq`. */
  before?: number;
  /** Only messages newer than this `seq`, starting right after it. */
  after?: number;
  limit?: number;
}

export interface HistoryPage {
  /** Oldest first. */
  messages: Message[];
  /**
   * Whether more messages lie beyond this page in the direction of travel: older ones when paging with
   * `before` (or no cursor), newer ones when paging with `after`.
   */
  hasMore: boolean;
}

export interface CatchUpPage {
  /**
   * Messages sent, edited or deleted after the cursor, in the user's current rooms, in the order of those
   * changes. A message the client already has comes again when it changed: replace it by `id`.
   */
  messages: Message[];
  /** Pass this as the next cursor (unchanged when there was nothing new). */
  cursor: number;
  /** More changes are waiting: call again with `cursor`. */
  hasMore: boolean;
}

export class Messages {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly maxMessageLength: number;
  private readonly maxAttachments: number;
  private readonly maxMetadataBytes: number;
  private readonly deletedPlaceholder: string;
  private readonly defaultHistoryLimit: number;
  private readonly maxHistoryLimit: number;
  private readonly defaultCatchUpLimit: number;
  private readonly maxCatchUpLimit: number;

  constructor(store: Store, options: MessagesOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.maxMessageLength = options.maxMessageLength ?? 5000;
    this.maxAttachments = options.maxAttachments ?? 10;
    this.maxMetadataBytes = options.maxMetadataBytes ?? 16 * 1024;
    this.deletedPlaceholder = options.deletedPlaceholder ?? 'This message was deleted';
    this.defaultHistoryLimit = options.defaultHistoryLimit ?? 50;
    this.maxHistoryLimit = options.maxHistoryLimit ?? 100;
    this.defaultCatchUpLimit = options.defaultCatchUpLimit ?? 500;
    this.maxCatchUpLimit = options.maxCatchUpLimit ?? 1000;
  }

  async send(userId: string, input: SendInput): Promise<SendResult> {
    const type = checkOneOf('type', input.type ?? 'text', MESSAGE_TYPES);
    const clientMessageId =
      input.clientMessageId == null
        ? null
        : checkText('clientMessageId', input.clientMessageId, { max: 128 });
    const attachmentInputs = input.attachments ?? [];
    if (!Array.isArray(attachmentInputs))
      throw invalid('attachments', `expected an array, got ${describe(input.attachments)}`);
    if (attachmentInputs.length > this.maxAttachments) {
      throw invalid(
        'attachments',
        `at most ${this.maxAttachments} per message, got ${attachmentInputs.length}`,
      );
    }
    const content = this.checkContent(input.content, attachmentInputs.length > 0);

    const { room } = await requireMember(this.store, userId, input.roomId, 'send messages');
    if (type === 'system') {
      const user = await requireUser(this.store, userId);
      if (user.role !== 'admin') {
        throw new ParleyError('FORBIDDEN', 'cannot send a system message: only workspace admins may');
      }
    }
    if (input.replyToId != null) {
      const original = await requireMessage(this.store, input.replyToId);
      if (original.roomId !== room.id) {
        throw invalid(
          'replyToId',
          `message ${original.id} is in another room; replies stay in the same room`,
        );
      }
    }
    const attachments = await this.resolveAttachments(userId, attachmentInputs);
    const metadata = this.buildMetadata(input.metadata ?? null, attachments);

    const result = await this.store.insertMessage({
      id: newId('msg'),
      roomId: room.id,
      senderId: userId,
      clientMessageId,
      type,
      content,
      replyToId: input.replyToId ?? null,
      metadata,
      createdAt: isoNow(this.clock),
    });
    return this.checkDuplicate(result.message, result.created, room, clientMessageId);
  }

  /** Replaces the content; by the sender only, and not after a delete. */
  async edit(userId: string, messageId: string, content: string): Promise<Message> {
    const message = await requireMessage(this.store, messageId);
    if (message.senderId !== userId) {
      throw new ParleyError('FORBIDDEN', `cannot edit message ${messageId}: only its sender may edit it`);
    }
    await requireMember(this.store, userId, message.roomId, 'edit messages');
    if (message.deletedAt !== null) {
      throw new ParleyError(
        'CONFLICT',
        `cannot edit message ${messageId}: it was deleted at ${message.deletedAt}`,
      );
    }
    const text = this.checkContent(content, (message.metadata?.attachments?.length ?? 0) > 0);
    return this.update(messageId, { content: text, editedAt: isoNow(this.clock) });
  }

  /**
   * Soft delete: the message stays (replies and history keep their place), its content becomes
   * `placeholder` and its attachments are dropped. By its sender or an admin/owner of its room.
   */
  async delete(
    userId: string,
    messageId: string,
    options: { placeholder?: string } = {},
  ): Promise<DeleteResult> {
    const placeholder =
      options.placeholder === undefined
        ? this.deletedPlaceholder
        : checkText('placeholder', options.placeholder, { max: 200, allowEmpty: true });
    const message = await requireMessage(this.store, messageId);
    const membership = await this.store.getMembership(message.roomId, userId);
    const mayDelete =
      membership !== undefined && (message.senderId === userId || isModerator(membership.role));
    if (!mayDelete) {
      throw new ParleyError(
        'FORBIDDEN',
        `cannot delete message ${messageId}: only its sender or an admin of its room may delete it`,
      );
    }
    if (message.deletedAt !== null) return { message, deleted: false };
    const deleted = await this.update(messageId, {
      content: placeholder,
      metadata: null,
      deletedAt: isoNow(this.clock),
    });
    return { message: deleted, deleted: true };
  }

  /**
   * Copies a message the user can see into a room they are a member of; the copy is theirs and points at
   * the original (at the first original when forwarding a forward).
   */
  async forward(
    userId: string,
    messageId: string,
    targetRoomId: string,
    options: { clientMessageId?: string | null } = {},
  ): Promise<SendResult> {
    const clientMessageId =
      options.clientMessageId == null
        ? null
        : checkText('clientMessageId', options.clientMessageId, { max: 128 });
    const original = await requireMessage(this.store, messageId);
    await requireReadable(this.store, userId, original.roomId, 'forward messages from');
    if (original.deletedAt !== null) {
      throw new ParleyError('CONFLICT', `cannot forward message ${messageId}: it was deleted`);
    }
    if (original.type === 'system')
      throw invalid('messageId', `message ${messageId} is a system message; those are not forwarded`);
    const { room } = await requireMember(this.store, userId, targetRoomId, 'forward messages');
    const result = await this.store.insertMessage({
      id: newId('msg'),
      roomId: room.id,
      senderId: userId,
      clientMessageId,
      type: original.type,
      content: original.content,
      forwardedFromId: original.forwardedFromId ?? original.id,
      metadata: original.metadata,
      createdAt: isoNow(this.clock),
    });
    return this.checkDuplicate(result.message, result.created, room, clientMessageId);
  }

  /** One message, if the user can see its room. */
  async get(userId: string, messageId: string): Promise<Message> {
    const message = await requireMessage(this.store, messageId);
    await requireReadable(this.store, userId, message.roomId, 'read');
    return message;
  }

  /** A page of a room's history, oldest first; the newest page when no cursor is given. */
  async history(userId: string, roomId: string, options: HistoryOptions = {}): Promise<HistoryPage> {
    const limit = checkInteger('limit', options.limit ?? this.defaultHistoryLimit, 1, this.maxHistoryLimit);
    const before = options.before === undefined ? undefined : checkInteger('before', options.before, 0);
    const after = options.after === undefined ? undefined : checkInteger('after', options.after, 0);
    await requireReadable(this.store, userId, roomId, 'read the history of');
    // One extra row tells whether another page exists.
    const rows = await this.store.listMessages(roomId, { before, after, limit: limit + 1 });
    const hasMore = rows.length > limit;
    if (!hasMore) return { messages: rows, hasMore };
    return { messages: after === undefined ? rows.slice(1) : rows.slice(0, limit), hasMore };
  }

  /**
   * What changed in the user's rooms since `cursor` (the `cursor` of the previous page, or the highest
   * `seq`/`changeSeq` the client has seen; 0 for everything).
   */
  async catchUp(userId: string, options: { cursor: number; limit?: number }): Promise<CatchUpPage> {
    const cursor = checkInteger('cursor', options.cursor, 0);
    const limit = checkInteger('limit', options.limit ?? this.defaultCatchUpLimit, 1, this.maxCatchUpLimit);
    const rows = await this.store.listChangesForUser(userId, cursor, limit + 1);
    const messages = rows.slice(0, limit);
    return { messages, cursor: messages.at(-1)?.changeSeq ?? cursor, hasMore: rows.length > limit };
  }

  private checkContent(content: unknown, hasAttachments: boolean): string {
    return checkText('content', content, { max: this.maxMessageLength, allowEmpty: hasAttachments });
  }

  private async update(messageId: string, patch: Parameters<Store['updateMessage']>[1]): Promise<Message> {
    const updated = await this.store.updateMessage(messageId, patch);
    if (!updated) throw new ParleyError('NOT_FOUND', `message ${messageId} does not exist`);
    return updated;
  }

  private checkDuplicate(
    message: Message,
    created: boolean,
    room: Room,
    clientMessageId: string | null,
  ): SendResult {
    if (!created && message.roomId !== room.id) {
      throw new ParleyError(
        'CONFLICT',
        `clientMessageId "${clientMessageId}" was already used for message ${message.id} in another room; ` +
          'use a new id for every new message',
      );
    }
    return { message, room, duplicate: !created };
  }

  private async resolveAttachments(
    userId: string,
    inputs: readonly AttachmentInput[],
  ): Promise<Attachment[]> {
    const attachments: Attachment[] = [];
    for (const [index, input] of inputs.entries()) {
      const field = `attachments.${index}`;
      if (typeof input !== 'object' || input === null)
        throw invalid(field, `expected an object, got ${describe(input)}`);
      if (input.uploadId !== undefined) {
        const upload = await this.store.getUpload(input.uploadId);
        if (!upload) throw new ParleyError('NOT_FOUND', `${field}: upload ${input.uploadId} does not exist`);
        if (upload.ownerId !== userId) {
          throw new ParleyError('FORBIDDEN', `${field}: upload ${input.uploadId} belongs to another user`);
        }
        attachments.push(
          clean({
            uploadId: upload.id,
            url: input.url,
            type: input.type ?? (upload.mimeType.startsWith('image/') ? 'image' : 'file'),
            filename: upload.filename,
            mimeType: upload.mimeType,
            size: upload.size,
          }),
        );
      } else if (typeof input.url === 'string' && input.url.length > 0) {
        attachments.push(
          clean({
            url: checkText(`${field}.url`, input.url, { max: 2048 }),
            type: input.type,
            filename: input.filename,
            mimeType: input.mimeType,
            size: input.size,
          }),
        );
      } else {
        throw invalid(field, 'give an uploadId (a file uploaded to this server) or a url');
      }
    }
    return attachments;
  }

  private buildMetadata(
    extra: Record<string, unknown> | null,
    attachments: Attachment[],
  ): MessageMetadata | null {
    if (extra !== null && (typeof extra !== 'object' || Array.isArray(extra))) {
      throw invalid('metadata', `expected an object, got ${describe(extra)}`);
    }
    const metadata: MessageMetadata = { ...(extra ?? {}) };
    delete metadata.attachments;
    if (attachments.length > 0) metadata.attachments = attachments;
    if (Object.keys(metadata).length === 0) return null;
    const bytes = Buffer.byteLength(JSON.stringify(metadata));
    if (bytes > this.maxMetadataBytes) {
      throw invalid('metadata', `is ${bytes} bytes of JSON; the limit is ${this.maxMetadataBytes}`);
    }
    return metadata;
  }
}

/** Without `undefined` entries, so stored JSON has no holes. */
function clean(attachment: Attachment): Attachment {
  return Object.fromEntries(
    Object.entries(attachment).filter(([, value]) => value !== undefined),
  ) as Attachment;
}
