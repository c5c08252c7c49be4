/**
 * Emoji reactions: one per user, message and emoji; counted per emoji. Only members of the message's room
 * react; reactions on a deleted message can be taken back but not added.
 */
import { ParleyError } from '../../runtime/errors.js';
import type { Store } from '../store/store.js';
import type { Message, Reaction } from '../store/types.js';
import { requireMember, requireMessage, requireReadable } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { checkText, invalid } from './validation.js';

export interface ReactionsOptions {
  clock?: Clock;
  /** Longest emoji string, in characters (a shortcode like `:thumbsup:` counts too). Default 64. */
  maxEmojiLength?: number;
}

/** One emoji on a message: how many reacted with it and who, first reaction first. */
export interface ReactionCount {
  emoji: string;
  count: number;
  userIds: string[];
}

export interface ReactionResult {
  message: Message;
  /** `false` when nothing changed (the reaction was already there / was not there). */
  changed: boolean;
  /** Every emoji on the message after the change, in order of first use. */
  counts: ReactionCount[];
}

export class Reactions {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly maxEmojiLength: number;

  constructor(store: Store, options: ReactionsOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.maxEmojiLength = options.maxEmojiLength ?? 64;
  }

  async add(userId: string, messageId: string, emoji: string): Promise<ReactionResult> {
    const value = this.checkEmoji(emoji);
    const message = await requireMessage(this.store, messageId);
    await requireMember(this.store, userId, message.roomId, 'react to messages');
    if (message.deletedAt !== null) {
      throw new ParleyError('CONFLICT', `cannot react to message ${messageId}: it was deleted`);
    }
    const changed = await this.store.addReaction({
      messageId,
      userId,
      emoji: value,
      createdAt: isoNow(this.clock),
    });
    return { message, changed, counts: countReactions(await this.store.listReactions(messageId)) };
  }

  async remove(userId: string, messageId: string, emoji: string): Promise<ReactionResult> {
    const value = this.checkEmoji(emoji);
    const message = await requireMessage(this.store, messageId);
    await requireMember(this.store, userId, message.roomId, 'react to messages');
    const changed = await this.store.removeReaction(messageId, userId, value);
    return { message, changed, counts: countReactions(await this.store.listReactions(messageId)) };
  }

  /** The counts on a message the user can see. */
  /**
   * Removes every reaction of a message (the caller has authorized it: its deletion, say) and resolves to
   * those removed.
   */
  async clear(messageId: string): Promise<Reaction[]> {
    const reactions = await this.store.listReactions(messageId);
    for (const reaction of reactions)
      await this.store.removeReaction(messageId, reaction.userId, reaction.emoji);
    return reactions;
  }

  async counts(userId: string, messageId: string): Promise<ReactionCount[]> {
    const message = await requireMessage(this.store, messageId);
    await requireReadable(this.store, userId, message.roomId, 'see reactions in');
    return countReactions(await this.store.listReactions(messageId));
  }

  private checkEmoji(emoji: unknown): string {
    const value = checkText('emoji', emoji, { max: this.maxEmojiLength });
    if (/\s/u.test(value)) throw invalid('emoji', 'must be a single emoji or shortcode, without spaces');
    return value;
  }
}

/** Groups reactions (oldest first) by emoji, keeping the order in which each emoji was first used. */
export function countReactions(reactions: readonly Reaction[]): ReactionCount[] {
  const byEmoji = new Map<string, ReactionCount>();
  for (const reaction of reactions) {
    const entry = byEmoji.get(reaction.emoji) ?? { emoji: reaction.emoji, count: 0, userIds: [] };
    entry.count++;
    entry.userIds.push(reaction.userId);
    byEmoji.set(reaction.emoji, entry);
  }
  return [...byEmoji.values()];
}
