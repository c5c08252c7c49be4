/**
 * The persistence port of the domain core. The domain decides who may do what; the store only keeps
 * records, enforces uniqueness and makes each method atomic.
 *
 * Conventions for every implementation:
 * - a method that writes resolves only after its transaction has committed;
 * - a unique-constraint violation is reported as `ParleyError('CONFLICT', ...)` naming what clashed;
 * - lookups of a missing record resolve to `undefined`, never throw;
 * - lists come back in a stable order (documented per method).
 */
import type {
  HistoryQuery,
  Membership,
  Message,
  MessagePatch,
  NewMessage,
  NewRoom,
  NewUser,
  Reaction,
  ReadState,
  Room,
  RoomKind,
  RoomPatch,
  Upload,
  User,
  UserPatch,
} from './types.js';

export type StoreDialect = 'sqlite' | 'postgres';

/** A member of a room with their profile. */
export interface Member {
  membership: Membership;
  user: User;
}

/** A room a user belongs to, with their membership in it. */
export interface RoomOfUser {
  room: Room;
  membership: Membership;
}

export interface InsertMessageResult {
  message: Message;
  /** `false` when `(senderId, clientMessageId)` was already stored: `message` is the stored one. */
  created: boolean;
}

export interface Store {
  readonly dialect: StoreDialect;

  // users
  createUser(user: NewUser, createdAt: string): Promise<User>;
  getUser(id: string): Promise<User | undefined>;
  getUserByUsername(username: string): Promise<User | undefined>;
  /** The users among `ids` that exist, in no particular order. */
  getUsers(ids: readonly string[]): Promise<User[]>;
  /** Resolves to the updated user, `undefined` when there is none. */
  updateUser(id: string, patch: UserPatch): Promise<User | undefined>;

  // rooms and memberships
  /** Creates the room and its first memberships in one transaction. */
  createRoom(room: NewRoom, members: readonly Omit<Membership, 'roomId'>[]): Promise<Room>;
  getRoom(id: string): Promise<Room | undefined>;
  getRoomByName(kind: RoomKind, name: string): Promise<Room | undefined>;
  /** The `direct` room whose members are exactly these two users (one user twice: a note-to-self). */
  findDirectRoom(userA: string, userB: string): Promise<Room | undefined>;
  updateRoom(id: string, patch: RoomPatch): Promise<Room | undefined>;
  getMembership(roomId: string, userId: string): Promise<Membership | undefined>;
  /** Adds the memberships that do not exist yet, all in one transaction; resolves to those added. */
  addMemberships(memberships: readonly Membership[]): Promise<Membership[]>;
  /** Removes the user from each room; resolves to the room ids they actually left. */
  removeMemberships(userId: string, roomIds: readonly string[]): Promise<string[]>;
  /** Oldest member first. */
  listMembers(roomId: string): Promise<Member[]>;
  /** The user's rooms, oldest membership first. */
  listRoomsOfUser(userId: string): Promise<RoomOfUser[]>;

  // messages
  /**
   * Stores a message, assigning the next `seq`. Idempotent per `(senderId, clientMessageId)`: when that
   * pair exists, nothing is written and the stored message comes back with `created: false`.
   */
  insertMessage(message: NewMessage): Promise<InsertMessageResult>;
  getMessage(id: string): Promise<Message | undefined>;
  /** The messages among `ids` that exist, in `seq` order. */
  getMessages(ids: readonly string[]): Promise<Message[]>;
  /** Applies the patch and moves the message's `changeSeq` to the next sequence number. */
  updateMessage(id: string, patch: MessagePatch): Promise<Message | undefined>;
  /** A page of a room's messages, oldest first (see `HistoryQuery`). */
  listMessages(roomId: string, query: HistoryQuery): Promise<Message[]>;
  /** Messages in the user's current rooms with `changeSeq > cursor`, in `changeSeq` order, at most `limit`. */
  listChangesForUser(userId: string, cursor: number, limit: number): Promise<Message[]>;

  // reactions
  /** `false` when the user already reacted to the message with this emoji. */
  addReaction(reaction: Reaction): Promise<boolean>;
  /** `false` when there was no such reaction. */
  removeReaction(messageId: string, userId: string, emoji: string): Promise<boolean>;
  /** Oldest first. */
  listReactions(messageId: string): Promise<Reaction[]>;

  // read receipts
  getReadState(roomId: string, userId: string): Promise<ReadState | undefined>;
  /** Moves the user's read cursor in the room forward to `seq` (never back); resolves to the resulting state. */
  advanceReadState(roomId: string, userId: string, seq: number, at: string): Promise<ReadState>;
  /** Records per-message reads; resolves to the ids that were not read before, in the order given. */
  addMessageReads(userId: string, messageIds: readonly string[], at: string): Promise<string[]>;
  /**
   * Per room of the user: messages from others, not deleted, after the read cursor and not read one by one.
   * Every room of the user has an entry, `0` included.
   */
  unreadCounts(userId: string): Promise<Map<string, number>>;

  // uploads
  createUpload(upload: Upload): Promise<Upload>;
  getUpload(id: string): Promise<Upload | undefined>;

  /**
   * Deletes every record, in one transaction, and restarts the message sequence: an empty store, as after
   * the first migration (the conformance reset hook). A table added later must be wiped here too.
   */
  reset(): Promise<void>;

  /** Closes connections; the store is unusable afterwards. */
  close(): Promise<void>;
}
