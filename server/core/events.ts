/**
 * What happened in the chat, once, whatever namespace caused it. Every namespace adapter listens and tells its
 * own clients in its own wire format, so a message sent through one dialect reaches the room's members on all
 * of them. Events carry what every adapter needs (the sender's profile, say), looked up once, not per adapter.
 */
import type { Broadcast } from '../domain/broadcasts.js';
import type { Call } from '../domain/calls.js';
import type { PresenceState } from '../domain/presence.js';
import type { ReactionCount } from '../domain/reactions.js';
import type { RoomChanges } from '../domain/rooms.js';
import type { Message, Reaction, Room, User } from '../store/types.js';

/** A file announced to a room (through the upload API or a dialect's notice). */
export interface FileNotice {
  roomId: string;
  fileName: string;
  fileSize: number;
  fileType: string;
  messageId: string | null;
  uploadedAt: string;
}

/** What a reaction event carries: the message, who reacted, and the counts after the change. */
export interface ReactionChange {
  message: Message;
  user: User;
  emoji: string;
  counts: ReactionCount[];
}

export type ChatEvent =
  /** `room`: the room it was sent to, so that no listener has to look it up. */
  | { type: 'message.created'; message: Message; sender: User; room: Room }
  | { type: 'message.edited'; message: Message; editor: User }
  /** `removedReactions`: the reactions removed with it (by a dialect where a deleted message has none). */
  | { type: 'message.deleted'; message: Message; deleter: User; removedReactions: Reaction[] }
  /** Follows the `message.created` of the copy. */
  | { type: 'message.forwarded'; message: Message; original: Message; sender: User }
  | ({ type: 'reaction.added' } & ReactionChange)
  | ({ type: 'reaction.removed' } & ReactionChange)
  | { type: 'messages.read'; roomId: string; reader: User; messageIds: string[]; readAt: string }
  | { type: 'messages.read-up-to'; roomId: string; reader: User; messageId: string | null; readAt: string }
  | { type: 'typing.changed'; roomId: string; user: User; isTyping: boolean; typing: User[] }
  | { type: 'presence.online'; user: User; state: PresenceState; connectionCount: number }
  | { type: 'presence.offline'; user: User; lastSeen: string }
  | { type: 'presence.status'; user: User; state: PresenceState }
  /** A user's connection entered a room; `newMember` when they also became a member just now. */
  | { type: 'room.joined'; room: Room; user: User; newMember: boolean; at: string }
  | { type: 'room.left'; room: Room; user: User; reason: 'leave' | 'disconnect'; at: string }
  | { type: 'room.updated'; room: Room; changes: RoomChanges; by: User; at: string }
  | { type: 'broadcast'; broadcast: Broadcast }
  | { type: 'file.uploaded'; notice: FileNotice; by: User }
  /** Call signalling: the SDP offer/answer and ICE candidates are opaque and relayed as they are. */
  | { type: 'call.invited'; call: Call; caller: User; offer: unknown }
  | { type: 'call.accepted'; call: Call; answer: unknown }
  | { type: 'call.rejected'; call: Call }
  | { type: 'call.ended'; call: Call }
  | { type: 'call.ice'; call: Call; from: User; to: string; candidate: unknown };

export type ChatEventType = ChatEvent['type'];

/** The event of one type. */
export type ChatEventOf<K extends ChatEventType> = Extract<ChatEvent, { type: K }>;
