/**
 * What the server keeps: messages by room, in memory. Replace it with your database; the reset hook
 * (server/reset.ts) must then empty that database too.
 */
import type { Message } from '../generated/chat/schemas.gen.js';

/** How many messages a room keeps, and returns on join. */
const KEPT = 50;

const rooms = new Map<string, Message[]>();
let sequence = 0;

export function addMessage(room: string, text: string): Message {
  const message: Message = { id: `m_${++sequence}`, room, text, at: new Date().toISOString() };
  const messages = rooms.get(room) ?? [];
  messages.push(message);
  rooms.set(room, messages.slice(-KEPT));
  return message;
}

export function latestMessages(room: string): Message[] {
  return [...(rooms.get(room) ?? [])];
}

/** Forget everything (the reset hook, before each conformance case). */
export function clear(): void {
  rooms.clear();
  sequence = 0;
}
