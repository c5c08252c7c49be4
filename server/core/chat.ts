/**
 * The chat service every namespace adapter calls: the domain operation, then the event that tells every
 * namespace about it. Adapters translate payloads and formats; what happened and who may do it lives here and
 * in the domain, once.
 */

import { requireMember } from '../domain/access.js';
import type { BroadcastPriority } from '../domain/broadcasts.js';
import type { Call, InviteInput } from '../domain/calls.js';
import type { Domain } from '../domain/index.js';
import { Listeners } from '../domain/listeners.js';
import type { Logger } from '../domain/logger.js';
import type { SendInput } from '../domain/messages.js';
import type { PresenceState, StatusChange } from '../domain/presence.js';
import type { ReactionResult } from '../domain/reactions.js';
import type { RoomChanges } from '../domain/rooms.js';
import type { Message, Room, User } from '../store/types.js';
import type { ChatBus, ChatEvent, FileNotice } from './events.js';

export class Chat {
  readonly bus: ChatBus;
  readonly domain: Domain;
  private readonly stopListeners: (() => void)[];
  /** Disconnects still being processed (presence, last seen), for `settled`. */
  private readonly closing = new Set<Promise<void>>();
  /** What else forgets its in-memory state on `reset` (adapters' caches, say). */
  private readonly resetListeners = new Set<() => void>();

  constructor(domain: Domain, logger: Logger) {
    this.domain = domain;
    this.bus = new Listeners<ChatEvent>('chat event', logger);
    // Typing changes come from requests and from timers (expiry, disconnects): one place turns them into events.
    const stopTyping = domain.typing.onChange((change) => {
      void this.users([change.userId, ...change.typingUserIds])
        .then((users) => {
          const user = users.get(change.userId);
          if (!user) return;
          const typing = change.typingUserIds
            .map((id) => users.get(id))
            .filter((u): u is User => u !== undefined);
          this.bus.emit({
            type: 'typing.changed',
            roomId: change.roomId,
            user,
            isTyping: change.isTyping,
            typing,
          });
        })
        .catch((error: unknown) => logger.error('could not announce a typing change', { error }));
    });
    // A call nobody answered ends by itself.
    const stopCalls = domain.calls.onTimeout((call) => this.bus.emit({ type: 'call.ended', call }));
    this.stopListeners = [stopTyping, stopCalls];
  }

  /** A connection opened: presence, and the rooms its socket joins. */
  async connect(userId: string, connectionId: string): Promise<{ user: User; roomIds: string[] }> {
    const { state, cameOnline } = await this.domain.presence.connect(userId, connectionId);
    const user = await this.domain.users.get(userId);
    if (cameOnline) {
      this.bus.emit({ type: 'presence.online', user, state, connectionCount: state.connectionCount });
    }
    const rooms = await this.domain.rooms.roomsOf(userId);
    return { user, roomIds: rooms.map((r) => r.room.id) };
  }

  /** A connection closed: its typing indicators stop; the user goes offline with their last connection. */
  async disconnect(userId: string, connectionId: string): Promise<void> {
    const work = this.closeConnection(userId, connectionId);
    this.closing.add(work);
    try {
      await work;
    } finally {
      this.closing.delete(work);
    }
  }

  /** Resolves once every disconnect under way has been processed (the reset hook waits for it before wiping). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.closing]);
  }

  /**
   * Forgets everything kept in memory, announcing nothing: presence, typing, calls, rate-limit buckets, and
   * whatever registered with `onReset` (the conformance reset hook, once every socket is closed).
   */
  async reset(): Promise<void> {
    await this.domain.presence.reset();
    this.domain.typing.reset();
    this.domain.calls.reset();
    this.domain.rateLimiter.reset();
    for (const listener of this.resetListeners) listener();
  }

  /**
   * Announces the users whose last connections were on a server process that stopped without closing them
   * (the Redis registry's sweep), as if those connections had closed.
   */
  async sweep(): Promise<void> {
    for (const state of await this.domain.presence.sweep()) await this.wentOffline(state);
  }

  /** Calls `listener` on every `reset` (an adapter's cache of rooms or ids) until the returned function is called. */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  private async closeConnection(userId: string, connectionId: string): Promise<void> {
    this.domain.typing.disconnect(connectionId);
    const { state, wentOffline } = await this.domain.presence.disconnect(userId, connectionId);
    if (wentOffline) await this.wentOffline(state);
  }

  /** Tells everyone the user went offline; nobody is left to talk, so the other party of a call hears it end. */
  private async wentOffline(state: PresenceState): Promise<void> {
    const user = await this.domain.users.get(state.userId);
    this.bus.emit({ type: 'presence.offline', user, lastSeen: state.lastSeen ?? new Date().toISOString() });
    for (const call of this.domain.calls.hangUpAll(state.userId)) this.bus.emit({ type: 'call.ended', call });
  }

  /** Stored before it resolves; a retried send (same client message id) is not announced again. */
  async sendMessage(
    userId: string,
    input: SendInput,
  ): Promise<{ message: Message; sender: User; duplicate: boolean }> {
    const { message, duplicate, room } = await this.domain.messages.send(userId, input);
    const sender = await this.domain.users.get(userId);
    if (!duplicate) this.bus.emit({ type: 'message.created', message, sender, room });
    return { message, sender, duplicate };
  }

  async editMessage(userId: string, messageId: string, content: string): Promise<Message> {
    const message = await this.domain.messages.edit(userId, messageId, content);
    this.bus.emit({ type: 'message.edited', message, editor: await this.domain.users.get(userId) });
    return message;
  }

  async deleteMessage(userId: string, messageId: string, placeholder: string): Promise<Message> {
    const { message, deleted } = await this.domain.messages.delete(userId, messageId, { placeholder });
    if (deleted)
      this.bus.emit({ type: 'message.deleted', message, deleter: await this.domain.users.get(userId) });
    return message;
  }

  async markMessagesRead(userId: string, roomId: string, messageIds: readonly string[]): Promise<string[]> {
    const result = await this.domain.receipts.markMessagesRead(userId, roomId, messageIds);
    const reader = await this.domain.users.get(userId);
    this.bus.emit({
      type: 'messages.read',
      roomId,
      reader,
      messageIds: [...messageIds],
      readAt: result.readAt,
    });
    return result.messageIds;
  }

  /** A copy of the message in another room; a retried forward (same client message id) is not announced again. */
  async forwardMessage(
    userId: string,
    messageId: string,
    targetRoomId: string,
    options: { clientMessageId?: string | null } = {},
  ): Promise<{ message: Message; sender: User; duplicate: boolean }> {
    const original = await this.domain.messages.get(userId, messageId);
    const { message, duplicate, room } = await this.domain.messages.forward(
      userId,
      messageId,
      targetRoomId,
      options,
    );
    const sender = await this.domain.users.get(userId);
    if (!duplicate) {
      this.bus.emit({ type: 'message.created', message, sender, room });
      this.bus.emit({ type: 'message.forwarded', message, original, sender });
    }
    return { message, sender, duplicate };
  }

  async addReaction(userId: string, messageId: string, emoji: string): Promise<ReactionResult> {
    return this.react(
      'reaction.added',
      userId,
      emoji,
      await this.domain.reactions.add(userId, messageId, emoji),
    );
  }

  async removeReaction(userId: string, messageId: string, emoji: string): Promise<ReactionResult> {
    return this.react(
      'reaction.removed',
      userId,
      emoji,
      await this.domain.reactions.remove(userId, messageId, emoji),
    );
  }

  /** Read up to a message (`null`: the latest). Announced only when the receipt moved forward. */
  async markReadUpTo(userId: string, roomId: string, messageId: string | null): Promise<void> {
    const result = await this.domain.receipts.markReadUpTo(userId, roomId, messageId);
    if (!result.advanced) return;
    const reader = await this.domain.users.get(userId);
    this.bus.emit({
      type: 'messages.read-up-to',
      roomId,
      reader,
      messageId: result.messageId,
      readAt: result.readAt,
    });
  }

  async setStatus(userId: string, change: StatusChange): Promise<PresenceState> {
    const state = await this.domain.presence.setStatus(userId, change);
    this.bus.emit({ type: 'presence.status', user: await this.domain.users.get(userId), state });
    return state;
  }

  /** The user's connection enters a room it may enter (a public room makes them a member). */
  async joinRoom(userId: string, roomId: string): Promise<Room> {
    const { room, joined } = await this.domain.rooms.join(userId, roomId);
    this.bus.emit({
      type: 'room.joined',
      room,
      user: await this.domain.users.get(userId),
      newMember: joined,
      at: now(),
    });
    return room;
  }

  async joinRoomByName(
    userId: string,
    name: string,
    options: { kind?: Room['kind']; create?: boolean } = {},
  ): Promise<Room> {
    const { room, joined } = await this.domain.rooms.joinByName(userId, name, options);
    this.bus.emit({
      type: 'room.joined',
      room,
      user: await this.domain.users.get(userId),
      newMember: joined,
      at: now(),
    });
    return room;
  }

  /**
   * The user's connection leaves a room. Dialects whose "leave" only unsubscribes a socket keep the membership
   * (`membership: false`); leaving for good gives it up.
   */
  async leaveRoom(userId: string, roomId: string, options: { membership: boolean }): Promise<Room> {
    const room = options.membership
      ? (await this.domain.rooms.leave(userId, roomId)).room
      : await this.domain.rooms.get(userId, roomId);
    this.bus.emit({
      type: 'room.left',
      room,
      user: await this.domain.users.get(userId),
      reason: 'leave',
      at: now(),
    });
    return room;
  }

  async updateRoom(userId: string, roomId: string, changes: RoomChanges): Promise<Room> {
    const result = await this.domain.rooms.update(userId, roomId, changes);
    const by = await this.domain.users.get(userId);
    this.bus.emit({ type: 'room.updated', room: result.room, changes: result.changes, by, at: now() });
    return result.room;
  }

  async broadcast(userId: string, input: { message: string; priority?: BroadcastPriority }): Promise<void> {
    this.bus.emit({ type: 'broadcast', broadcast: await this.domain.broadcasts.send(userId, input) });
  }

  /** Announce a file to a room its uploader is a member of. */
  async fileUploaded(userId: string, notice: Omit<FileNotice, 'uploadedAt'>): Promise<FileNotice> {
    await requireMember(this.domain.store, userId, notice.roomId, 'announce a file');
    const full = { ...notice, uploadedAt: now() };
    this.bus.emit({ type: 'file.uploaded', notice: full, by: await this.domain.users.get(userId) });
    return full;
  }

  async inviteCall(userId: string, input: InviteInput & { offer: unknown }): Promise<Call> {
    const call = await this.domain.calls.invite(userId, input);
    this.bus.emit({
      type: 'call.invited',
      call,
      caller: await this.domain.users.get(userId),
      offer: input.offer,
    });
    return call;
  }

  acceptCall(userId: string, callId: string, answer: unknown): Call {
    const call = this.domain.calls.accept(userId, callId);
    this.bus.emit({ type: 'call.accepted', call, answer });
    return call;
  }

  rejectCall(userId: string, callId: string): Call {
    const call = this.domain.calls.reject(userId, callId);
    this.bus.emit({ type: 'call.rejected', call });
    return call;
  }

  endCall(userId: string, callId: string): Call {
    const call = this.domain.calls.end(userId, callId);
    this.bus.emit({ type: 'call.ended', call });
    return call;
  }

  async relayIce(
    userId: string,
    target: { callId?: string; targetUserId?: string },
    candidate: unknown,
  ): Promise<void> {
    const { call, to } = this.domain.calls.relayIce(userId, target);
    this.bus.emit({ type: 'call.ice', call, from: await this.domain.users.get(userId), to, candidate });
  }

  close(): void {
    for (const stop of this.stopListeners) stop();
  }

  private async react(
    type: 'reaction.added' | 'reaction.removed',
    userId: string,
    emoji: string,
    result: ReactionResult,
  ): Promise<ReactionResult> {
    if (result.changed) {
      const user = await this.domain.users.get(userId);
      this.bus.emit({ type, message: result.message, user, emoji, counts: result.counts });
    }
    return result;
  }

  private async users(ids: string[]): Promise<Map<string, User>> {
    const users = await this.domain.users.getMany(ids);
    return new Map(users.map((u) => [u.id, u]));
  }
}

const now = () => new Date().toISOString();
