/**
 * The chat service, the namespace adapters' only door: every operation is a verb here that authorizes, takes
 * its rate-limit token, calls the domain, and announces what happened on the event bus that every namespace
 * listens to. Adapters translate payloads, formats and wording; what happened, who may do it and how often
 * lives here and in the domain, once. The domain and the bus are private: an adapter cannot change the chat
 * without the other namespaces hearing of it.
 */

import { requireMember, requireReadable } from '../domain/access.js';
import type { BroadcastPriority } from '../domain/broadcasts.js';
import type { Call, InviteInput } from '../domain/calls.js';
import { isoNow } from '../domain/clock.js';
import type { Domain } from '../domain/index.js';
import { Listeners } from '../domain/listeners.js';
import type { Logger } from '../domain/logger.js';
import type { CatchUpPage, HistoryOptions, HistoryPage, SendInput } from '../domain/messages.js';
import { type Permission, requirePermission } from '../domain/permissions.js';
import type { PresenceState, StatusChange } from '../domain/presence.js';
import { countReactions, type ReactionCount, type ReactionResult } from '../domain/reactions.js';
import type { CreateRoomInput, JoinResult, RoomChanges } from '../domain/rooms.js';
import type { NewUploadInput } from '../domain/uploads.js';
import type { Member, RoomOfUser } from '../store/store.js';
import type {
  Membership,
  Message,
  PresenceStatus,
  Reaction,
  Room,
  RoomKind,
  Upload,
  User,
} from '../store/types.js';
import type { ChatEvent, FileNotice } from './events.js';
import { type RateClass, RateLimited } from './limits.js';

/** Which room joins are announced: every one (a socket entering), new memberships only, or none (yet). */
export type JoinAnnouncement = 'every' | 'new-members' | 'none';

export class Chat {
  private readonly bus: Listeners<ChatEvent>;
  private readonly domain: Domain;
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

  /** Calls `listener` with every chat event (a namespace's translator) until the returned function is called. */
  listen(listener: (event: ChatEvent) => void): () => void {
    return this.bus.add(listener);
  }

  /** Now, in ISO 8601, from the domain's clock. */
  now(): string {
    return isoNow(this.domain.clock);
  }

  /** Now, in milliseconds since the epoch, from the domain's clock. */
  nowMs(): number {
    return this.domain.clock.now();
  }

  // ---------------------------------------------------------------------------------------------- sessions

  /** The user a verified token names; `create` makes users an external identity provider vouches for. */
  async signIn(userId: string, options: { create: boolean }): Promise<User> {
    if (options.create) return (await this.domain.users.ensure(userId)).user;
    return this.domain.users.get(userId);
  }

  /** A connection opened: presence, and the rooms its user is a member of. */
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

  close(): void {
    for (const stop of this.stopListeners) stop();
  }

  // ---------------------------------------------------------------------------------------------- users and presence

  async user(userId: string): Promise<User> {
    return this.domain.users.get(userId);
  }

  /** The users of these ids that exist, by id. */
  async users(ids: readonly string[]): Promise<Map<string, User>> {
    const users = await this.domain.users.getMany([...ids]);
    return new Map(users.map((u) => [u.id, u]));
  }

  /**
   * Throws `FORBIDDEN` (`Missing permission: …`) unless the user's workspace role, as stored now, or their role
   * in `roomId` grants the permission (`server/domain/permissions.ts`).
   */
  async authorize(userId: string, permission: Permission, roomId?: string): Promise<void> {
    const [user, membership] = await Promise.all([
      this.domain.users.get(userId),
      roomId === undefined ? undefined : this.domain.store.getMembership(roomId, userId),
    ]);
    requirePermission(user, permission, membership?.role);
  }

  async presenceOf(userId: string): Promise<PresenceState> {
    return this.domain.presence.get(userId);
  }

  async statusOf(userId: string): Promise<PresenceStatus> {
    return this.domain.presence.statusOf(userId);
  }

  async isOnline(userId: string): Promise<boolean> {
    return this.domain.presence.isOnline(userId);
  }

  async onlineUsers(): Promise<PresenceState[]> {
    return this.domain.presence.onlineUsers();
  }

  async setStatus(userId: string, change: StatusChange): Promise<PresenceState> {
    const state = await this.domain.presence.setStatus(userId, change);
    this.bus.emit({ type: 'presence.status', user: await this.domain.users.get(userId), state });
    return state;
  }

  // ---------------------------------------------------------------------------------------------- rooms

  /** A room by id, whoever asks (`undefined` when there is none): for translating ids, not for access. */
  async room(roomId: string): Promise<Room | undefined> {
    return this.domain.store.getRoom(roomId);
  }

  async roomByName(kind: RoomKind, name: string): Promise<Room | undefined> {
    return this.domain.store.getRoomByName(kind, name);
  }

  /** The room, if the user may see it (`NOT_FOUND`, `FORBIDDEN` otherwise). */
  async visibleRoom(userId: string, roomId: string): Promise<Room> {
    return this.domain.rooms.get(userId, roomId);
  }

  /** The user's membership of the room (`NOT_FOUND`, `FORBIDDEN` otherwise); `action` completes "cannot …". */
  async requireMember(
    userId: string,
    roomId: string,
    action: string,
  ): Promise<{ room: Room; membership: Membership }> {
    return requireMember(this.domain.store, userId, roomId, action);
  }

  async membership(roomId: string, userId: string): Promise<Membership | undefined> {
    return this.domain.store.getMembership(roomId, userId);
  }

  async roomsOf(userId: string): Promise<RoomOfUser[]> {
    return this.domain.rooms.roomsOf(userId);
  }

  async members(userId: string, roomId: string): Promise<Member[]> {
    return this.domain.rooms.members(userId, roomId);
  }

  async unreadCounts(userId: string): Promise<Record<string, number>> {
    return this.domain.receipts.unreadCounts(userId);
  }

  /**
   * A new room (a direct conversation that exists is returned as it is). `announce: 'new-members'` announces its
   * members as joined; `none` leaves it to the caller (`announceJoined`, once its sockets are subscribed).
   */
  async createRoom(
    userId: string,
    input: CreateRoomInput,
    announce: Exclude<JoinAnnouncement, 'every'>,
  ): Promise<{ room: Room; created: boolean; members: Membership[] }> {
    const result = await this.domain.rooms.create(userId, input);
    if (result.created && announce === 'new-members') {
      for (const member of result.members)
        await this.announceJoined(member.userId, result.room, true, member.joinedAt);
    }
    return result;
  }

  /**
   * The user enters rooms they may enter (an open room makes them a member), all or none. `announce` says which
   * joins are news: `every` (a socket entering, as the dialects that subscribe per socket tell it),
   * `new-members`, or `none` when the caller announces later (`announceJoined`, once its first tab is in).
   */
  async joinRooms(
    userId: string,
    roomIds: readonly string[],
    announce: JoinAnnouncement,
  ): Promise<JoinResult[]> {
    const results = await this.domain.rooms.joinMany(userId, roomIds);
    for (const result of results) await this.announceJoin(userId, result, announce);
    return results;
  }

  async joinRoom(userId: string, roomId: string, announce: JoinAnnouncement): Promise<JoinResult> {
    const result = await this.domain.rooms.join(userId, roomId);
    await this.announceJoin(userId, result, announce);
    return result;
  }

  /** A room by name, created when missing and `create` is set; the join is announced. */
  async joinRoomByName(
    userId: string,
    name: string,
    options: { kind?: Room['kind']; create?: boolean } = {},
  ): Promise<Room> {
    const { room, joined, membership } = await this.domain.rooms.joinByName(userId, name, options);
    await this.announceJoined(userId, room, joined, joined ? membership.joinedAt : undefined);
    return room;
  }

  /**
   * The user's connection leaves a room. Dialects whose "leave" only unsubscribes a socket keep the membership
   * (`membership: false`: always announced); leaving for good gives it up (announced when it did).
   */
  async leaveRoom(
    userId: string,
    roomId: string,
    options: { membership: boolean },
  ): Promise<{ room: Room; left: boolean }> {
    const { room, left } = options.membership
      ? await this.domain.rooms.leave(userId, roomId)
      : { room: await this.domain.rooms.get(userId, roomId), left: false };
    if (left || !options.membership) await this.announceLeft(userId, room, 'leave');
    return { room, left };
  }

  /** Leaves every room the user can leave; each is announced. */
  async leaveAllRooms(userId: string): Promise<Room[]> {
    const rooms = await this.domain.rooms.leaveAll(userId);
    for (const room of rooms) await this.announceLeft(userId, room, 'leave');
    return rooms;
  }

  /** A user's connection entered a room (a dialect that announces per user: when their first tab did). */
  async announceJoined(userId: string, room: Room, newMember: boolean, at = this.now()): Promise<void> {
    this.bus.emit({ type: 'room.joined', room, user: await this.domain.users.get(userId), newMember, at });
  }

  /** A user's connection left a room: `leave` asked for, or `disconnect` (their last tab in it closed). */
  async announceLeft(userId: string, room: Room, reason: 'leave' | 'disconnect'): Promise<void> {
    this.bus.emit({
      type: 'room.left',
      room,
      user: await this.domain.users.get(userId),
      reason,
      at: this.now(),
    });
  }

  /** Announced when something changed, or always (`announce: 'always'`: dialects that confirm every update). */
  async updateRoom(
    userId: string,
    roomId: string,
    changes: RoomChanges,
    options: { announce: 'always' | 'if-changed' },
  ): Promise<{ room: Room; changes: RoomChanges }> {
    const result = await this.domain.rooms.update(userId, roomId, changes);
    if (options.announce === 'always' || Object.keys(result.changes).length > 0) {
      const by = await this.domain.users.get(userId);
      this.bus.emit({ type: 'room.updated', room: result.room, changes: result.changes, by, at: this.now() });
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------- messages

  /** A message the user may see (`NOT_FOUND`, `FORBIDDEN` otherwise). */
  async message(userId: string, messageId: string): Promise<Message> {
    return this.domain.messages.get(userId, messageId);
  }

  /**
   * The message, when it is in the room (and, with `live`, not deleted); `undefined` otherwise, for the dialect
   * to refuse in its words. Ids of other rooms reveal nothing.
   */
  async messageIn(
    messageId: string,
    roomId: string,
    options: { live?: boolean } = {},
  ): Promise<Message | undefined> {
    const message = await this.domain.store.getMessage(messageId);
    if (!message || message.roomId !== roomId) return undefined;
    if (options.live && message.deletedAt !== null) return undefined;
    return message;
  }

  /** Which of these ids name no message of the room (each once, in the order given). */
  async notInRoom(roomId: string, messageIds: readonly string[]): Promise<string[]> {
    const ids = [...new Set(messageIds)];
    const found = await this.domain.store.getMessages(ids);
    return ids.filter((id) => !found.some((m) => m.id === id && m.roomId === roomId));
  }

  /** Stored messages by id (for rendering what a message answers); no access check. */
  async messagesById(ids: readonly string[]): Promise<Message[]> {
    return this.domain.store.getMessages([...ids]);
  }

  async history(userId: string, roomId: string, options: HistoryOptions = {}): Promise<HistoryPage> {
    return this.domain.messages.history(userId, roomId, options);
  }

  async catchUp(userId: string, options: { cursor: number; limit?: number }): Promise<CatchUpPage> {
    return this.domain.messages.catchUp(userId, options);
  }

  /** Stored before it resolves; a retried send (same client message id) is not announced again. */
  async sendMessage(
    userId: string,
    input: SendInput,
  ): Promise<{ message: Message; sender: User; duplicate: boolean }> {
    this.limit(userId, 'message');
    const { message, duplicate, room } = await this.domain.messages.send(userId, input);
    const sender = await this.domain.users.get(userId);
    if (!duplicate) this.bus.emit({ type: 'message.created', message, sender, room });
    return { message, sender, duplicate };
  }

  async editMessage(userId: string, messageId: string, content: string): Promise<Message> {
    this.limit(userId, 'message');
    const message = await this.domain.messages.edit(userId, messageId, content);
    this.bus.emit({ type: 'message.edited', message, editor: await this.domain.users.get(userId) });
    return message;
  }

  /**
   * Soft delete: the content becomes the domain's placeholder. `reactions: 'remove'` also removes its
   * reactions (dialects where a deleted message has none), before the deletion is announced, so that every
   * namespace renders the deleted message the same way.
   */
  async deleteMessage(
    userId: string,
    messageId: string,
    options: { reactions: 'keep' | 'remove' } = { reactions: 'keep' },
  ): Promise<Message> {
    this.limit(userId, 'message');
    const { message, deleted } = await this.domain.messages.delete(userId, messageId);
    if (!deleted) return message;
    let removed: Reaction[] = [];
    if (options.reactions === 'remove') removed = await this.domain.reactions.clear(messageId);
    this.bus.emit({
      type: 'message.deleted',
      message,
      deleter: await this.domain.users.get(userId),
      removedReactions: removed,
    });
    return message;
  }

  /** A copy of the message in another room; a retried forward (same client message id) is not announced again. */
  async forwardMessage(
    userId: string,
    messageId: string,
    targetRoomId: string,
    options: { clientMessageId?: string | null } = {},
  ): Promise<{ message: Message; sender: User; duplicate: boolean }> {
    this.limit(userId, 'message');
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

  // ---------------------------------------------------------------------------------------------- reactions and receipts

  async reactions(messageId: string): Promise<Reaction[]> {
    return this.domain.store.listReactions(messageId);
  }

  async reactionCounts(messageId: string): Promise<ReactionCount[]> {
    return countReactions(await this.domain.store.listReactions(messageId));
  }

  async addReaction(userId: string, messageId: string, emoji: string): Promise<ReactionResult> {
    this.limit(userId, 'reaction');
    return this.react(
      'reaction.added',
      userId,
      emoji,
      await this.domain.reactions.add(userId, messageId, emoji),
    );
  }

  async removeReaction(userId: string, messageId: string, emoji: string): Promise<ReactionResult> {
    this.limit(userId, 'reaction');
    return this.react(
      'reaction.removed',
      userId,
      emoji,
      await this.domain.reactions.remove(userId, messageId, emoji),
    );
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

  // ---------------------------------------------------------------------------------------------- typing

  /** Members only; `true` when this started a new indicator (a repeat only pushes its expiry back). */
  async startTyping(userId: string, roomId: string, connectionId: string): Promise<boolean> {
    this.limit(userId, 'typing');
    return this.domain.typing.start(userId, roomId, connectionId);
  }

  /** Members only (the list of who types is theirs). */
  async stopTyping(userId: string, roomId: string): Promise<void> {
    this.limit(userId, 'typing');
    await requireMember(this.domain.store, userId, roomId, 'type');
    this.domain.typing.stop(userId, roomId);
  }

  typingIn(roomId: string): string[] {
    return this.domain.typing.typingIn(roomId);
  }

  // ---------------------------------------------------------------------------------------------- files

  /** The user's own upload (`NOT_FOUND` when there is none, `FORBIDDEN` when it is someone else's). */
  async ownUpload(userId: string, uploadId: string): Promise<Upload> {
    return this.domain.uploads.get(userId, uploadId);
  }

  /** An upload by id, whoever asks (the file API decides who may fetch it). */
  async upload(uploadId: string): Promise<Upload | undefined> {
    return this.domain.store.getUpload(uploadId);
  }

  async registerUpload(userId: string, input: NewUploadInput): Promise<Upload> {
    return this.domain.uploads.register(userId, input);
  }

  /** Announce a file to a room its uploader is a member of. */
  async fileUploaded(userId: string, notice: Omit<FileNotice, 'uploadedAt'>): Promise<FileNotice> {
    await requireMember(this.domain.store, userId, notice.roomId, 'announce a file');
    const full = { ...notice, uploadedAt: this.now() };
    this.bus.emit({ type: 'file.uploaded', notice: full, by: await this.domain.users.get(userId) });
    return full;
  }

  // ---------------------------------------------------------------------------------------------- broadcasts and calls

  async broadcast(userId: string, input: { message: string; priority?: BroadcastPriority }) {
    // Authorization first: only an admin's broadcasts count against the limit.
    const broadcast = await this.domain.broadcasts.send(userId, input);
    this.limit(userId, 'broadcast');
    this.bus.emit({ type: 'broadcast', broadcast });
    return broadcast;
  }

  call(callId: string): Call | undefined {
    return this.domain.calls.get(callId);
  }

  async inviteCall(userId: string, input: InviteInput & { offer: unknown }): Promise<Call> {
    this.limit(userId, 'call');
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

  // ---------------------------------------------------------------------------------------------- the assistant

  /**
   * A question to the AI assistant about a room (or none): the room's recent live messages it may read, with
   * their authors. `members` asks for membership rather than read access. Counts against the `ai` limit.
   */
  async askAssistant(
    userId: string,
    room: { roomId: string; access: 'read' | 'members'; action: string; recent: number } | undefined,
  ): Promise<{ messages: Message[]; authors: Map<string, User> }> {
    if (room === undefined) {
      this.limit(userId, 'ai');
      return { messages: [], authors: new Map() };
    }
    if (room.access === 'read') await requireReadable(this.domain.store, userId, room.roomId, room.action);
    else await requireMember(this.domain.store, userId, room.roomId, room.action);
    this.limit(userId, 'ai');
    const { messages } = await this.domain.messages.history(userId, room.roomId, { limit: room.recent });
    const recent = messages.filter((m) => m.deletedAt === null && m.content !== '');
    return { messages: recent, authors: await this.users(recent.map((m) => m.senderId)) };
  }

  // ---------------------------------------------------------------------------------------------- internals

  private async announceJoin(userId: string, result: JoinResult, announce: JoinAnnouncement): Promise<void> {
    const { room, joined, membership } = result;
    if (announce === 'every' || (announce === 'new-members' && joined))
      await this.announceJoined(userId, room, joined, joined ? membership.joinedAt : undefined);
  }

  /** Takes a token of the user's bucket for the class, or throws `RateLimited`: one budget for every door. */
  private limit(userId: string, rateClass: RateClass): void {
    const result = this.domain.rateLimiter.take(userId, rateClass);
    if (!result.allowed) throw new RateLimited(rateClass, result, this.domain.clock.now());
  }

  private async closeConnection(userId: string, connectionId: string): Promise<void> {
    this.domain.typing.disconnect(connectionId);
    const { state, wentOffline } = await this.domain.presence.disconnect(userId, connectionId);
    if (wentOffline) await this.wentOffline(state);
  }

  /** Tells everyone the user went offline; nobody is left to talk, so the other party of a call hears it end. */
  private async wentOffline(state: PresenceState): Promise<void> {
    const user = await this.domain.users.get(state.userId);
    this.bus.emit({ type: 'presence.offline', user, lastSeen: state.lastSeen ?? this.now() });
    for (const call of this.domain.calls.hangUpAll(state.userId)) this.bus.emit({ type: 'call.ended', call });
  }

  private async react(
    type: 'reaction.added' | 'reaction.removed',
    userId: string,
    emoji: string,
    result: ReactionResult,
  ): Promise<ReactionResult> {
    if (result.changed) {
      const user = await this.domain.users.get(userId);
      const fields = { message: result.message, user, emoji, counts: result.counts };
      this.bus.emit(type === 'reaction.added' ? { type, ...fields } : { type, ...fields });
    }
    return result;
  }
}
