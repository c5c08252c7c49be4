/**
 * What happened in the chat, once, whatever namespace caused it. Every namespace adapter listens and tells its
 * own clients in its own wire format, so a message sent through one dialect reaches the room's members on all
 * of them. Events carry what every adapter needs (the sender's profile, say), looked up once, not per adapter.
 */
import type { Listeners } from '../domain/listeners.js';
import type { Message, User } from '../store/types.js';

export type ChatEvent =
  | { type: 'message.created'; message: Message; sender: User }
  | { type: 'message.edited'; message: Message; editor: User }
  | { type: 'message.deleted'; message: Message; deleter: User }
  | { type: 'messages.read'; roomId: string; reader: User; messageIds: string[]; readAt: string }
  | { type: 'typing.changed'; roomId: string; user: User; isTyping: boolean; typing: User[] }
  | { type: 'presence.online'; user: User; connectionCount: number }
  | { type: 'presence.offline'; user: User; lastSeen: string };

export type ChatEventType = ChatEvent['type'];

/** The bus: `Listeners` from the domain, typed with these events. */
export type ChatBus = Listeners<ChatEvent>;
