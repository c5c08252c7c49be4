/**
 * The records the store holds, as the domain sees them: camelCase, ISO-8601 timestamps, parsed JSON.
 * Row shapes (snake_case, JSON as text) live in `schema.ts` and never leave the store.
 */

export const WORKSPACE_ROLES = ['member', 'admin'] as const;
/** A user's role in the whole workspace: admins may broadcast and update any room. */
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export const PRESENCE_STATUSES = ['online', 'away', 'busy', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

export const ROOM_KINDS = ['channel', 'direct', 'group', 'thread', 'public'] as const;
/**
 * `channel`: a named workspace channel; `direct`: a one-to-one conversation; `group`: a conversation of
 * several people; `thread`: a discussion thread; `public`: a named room anyone joins by name (seed 002).
 */
export type RoomKind = (typeof ROOM_KINDS)[number];

export const ROOM_ROLES = ['member', 'admin', 'owner'] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

export const MESSAGE_TYPES = ['text', 'image', 'file', 'gif', 'ticket_link', 'system'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface User {
  id: string;
  username: string;
  displayName: string;
  avatar: string | null;
  role: WorkspaceRole;
  /** The last status the user chose (or `offline` after their last connection closed). */
  status: PresenceStatus;
  statusMessage: string | null;
  customStatus: string | null;
  /** When the user's last connection closed; `null` if never seen. */
  lastSeen: string | null;
  createdAt: string;
}

export interface NewUser {
  id: string;
  username: string;
  displayName?: string;
  avatar?: string | null;
  role?: WorkspaceRole;
}

export type UserPatch = Partial<
  Pick<User, 'displayName' | 'avatar' | 'role' | 'status' | 'statusMessage' | 'customStatus' | 'lastSeen'>
>;

export interface Room {
  id: string;
  kind: RoomKind;
  /** Unique among rooms of the same kind; `null` for unnamed conversations. */
  name: string | null;
  description: string | null;
  topic: string | null;
  /** Private rooms are visible and joinable only by their members. */
  private: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewRoom {
  id: string;
  kind: RoomKind;
  name?: string | null;
  description?: string | null;
  topic?: string | null;
  private?: boolean;
  createdBy: string;
  createdAt: string;
}

export type RoomPatch = Partial<Pick<Room, 'name' | 'description' | 'topic' | 'private'>> & {
  updatedAt: string;
};

export interface Membership {
  roomId: string;
  userId: string;
  role: RoomRole;
  joinedAt: string;
}

/** A file attached to a message; what a client needs to show and fetch it. */
export interface Attachment {
  /** The upload's id when the file was uploaded to this server. */
  uploadId?: string;
  url?: string;
  /** `image`, `file`, ... as the client sent it. */
  type?: string;
  filename?: string;
  mimeType?: string;
  size?: number;
}

/** Free-form JSON stored with a message: attachments, file details, a ticket link, ... */
export interface MessageMetadata {
  attachments?: Attachment[];
  [key: string]: unknown;
}

export interface Message {
  id: string;
  roomId: string;
  senderId: string;
  /** The sender's idempotency key: a retried send with the same key returns this message. */
  clientMessageId: string | null;
  type: MessageType;
  /** After a delete: the placeholder the deleting caller chose. */
  content: string;
  replyToId: string | null;
  forwardedFromId: string | null;
  metadata: MessageMetadata | null;
  /** Position in the store: increases with every message sent; the history cursor. */
  seq: number;
  /**
   * The store-wide sequence number of the message's last change (its send, edit or delete), from the same
   * counter as `seq`; the catch-up cursor, so a reconnecting client also learns of edits and deletes.
   */
  changeSeq: number;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface NewMessage {
  id: string;
  roomId: string;
  senderId: string;
  clientMessageId?: string | null;
  type: MessageType;
  content: string;
  replyToId?: string | null;
  forwardedFromId?: string | null;
  metadata?: MessageMetadata | null;
  createdAt: string;
}

/** A change to a message; any change moves its `changeSeq` forward. */
export type MessagePatch = Partial<Pick<Message, 'content' | 'metadata' | 'editedAt' | 'deletedAt'>>;

export interface Reaction {
  messageId: string;
  userId: string;
  emoji: string;
  createdAt: string;
}

/** How far a user has read a room: every message with `seq <= lastReadSeq` counts as read. */
export interface ReadState {
  roomId: string;
  userId: string;
  lastReadSeq: number;
  updatedAt: string;
}

export interface Upload {
  id: string;
  ownerId: string;
  filename: string;
  mimeType: string;
  size: number;
  /** Where the bytes are, relative to the server's upload folder; never sent to clients as is. */
  path: string;
  createdAt: string;
}

/** A page of a room's history, oldest first. */
export interface HistoryQuery {
  /** Only messages with `seq < before`. */
  before?: number;
  /** Only messages with `seq > after`; the page then starts right after it (oldest first). */
  after?: number;
  limit: number;
}
