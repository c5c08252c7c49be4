/**
 * Read receipts, in the two shapes the seeds use: "read up to this message" (a per-room cursor, seed 003)
 * and "read these messages" (per message, seeds 001 and 002). A message counts as unread for a user
 * when someone else sent it after the user joined, it is not deleted, it is past the cursor and it was
 * not read one by one.
 */
import { ParleyError } from '../../runtime/errors.js';
import type { Store } from '../store/store.js';
import { requireMember, requireMessage } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { invalid } from './validation.js';

export interface ReceiptsOptions {
  clock?: Clock;
  /** Most ids `markMessagesRead` takes at once. Default 500. */
  maxIds?: number;
}

export interface ReadUpToResult {
  roomId: string;
  userId: string;
  /** The message read up to: the one given, or the room's newest; `null` in an empty room. */
  messageId: string | null;
  /** The cursor after the call: it never moves back. */
  lastReadSeq: number;
  /** `false` when the cursor was already there or past it. */
  advanced: boolean;
  readAt: string;
}

export interface MessagesReadResult {
  roomId: string;
  userId: string;
  /** The ids that were not read before, in the order given. */
  messageIds: string[];
  readAt: string;
}

export class Receipts {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly maxIds: number;

  constructor(store: Store, options: ReceiptsOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.maxIds = options.maxIds ?? 500;
  }

  /** Marks everything up to `messageId` (default: the newest message) in the room as read. */
  async markReadUpTo(userId: string, roomId: string, messageId?: string | null): Promise<ReadUpToResult> {
    await requireMember(this.store, userId, roomId, 'mark messages read');
    let target: { id: string; seq: number } | undefined;
    if (messageId != null) {
      const message = await requireMessage(this.store, messageId);
      if (message.roomId !== roomId)
        throw invalid('messageId', `message ${messageId} is not in room ${roomId}`);
      target = message;
    } else {
      target = (await this.store.listMessages(roomId, { limit: 1 }))[0];
    }
    const readAt = isoNow(this.clock);
    const before = (await this.store.getReadState(roomId, userId))?.lastReadSeq ?? 0;
    const state = await this.store.advanceReadState(roomId, userId, target?.seq ?? 0, readAt);
    return {
      roomId,
      userId,
      messageId: target?.id ?? null,
      lastReadSeq: state.lastReadSeq,
      advanced: state.lastReadSeq > before,
      readAt,
    };
  }

  /** Marks these messages (all in `roomId`) read, or none of them if any is missing or elsewhere. */
  async markMessagesRead(
    userId: string,
    roomId: string,
    messageIds: readonly string[],
  ): Promise<MessagesReadResult> {
    const ids = [...new Set(messageIds)];
    if (ids.length === 0) throw invalid('messageIds', 'give at least one message id');
    if (ids.length > this.maxIds)
      throw invalid('messageIds', `at most ${this.maxIds} ids at once, got ${ids.length}`);
    await requireMember(this.store, userId, roomId, 'mark messages read');
    const found = await this.store.getMessages(ids);
    const missing = ids.filter((id) => !found.some((message) => message.id === id));
    if (missing.length > 0) {
      throw new ParleyError(
        'NOT_FOUND',
        `cannot mark read: no message ${missing.join(', ')}; nothing was marked`,
      );
    }
    const elsewhere = found.filter((message) => message.roomId !== roomId).map((message) => message.id);
    if (elsewhere.length > 0) {
      throw invalid('messageIds', `${elsewhere.join(', ')} not in room ${roomId}; nothing was marked`);
    }
    const readAt = isoNow(this.clock);
    const added = await this.store.addMessageReads(userId, ids, readAt);
    return { roomId, userId, messageIds: added, readAt };
  }

  /** Unread messages per room of the user (every room present, `0` included). */
  async unreadCounts(userId: string): Promise<Record<string, number>> {
    return Object.fromEntries(await this.store.unreadCounts(userId));
  }
}
