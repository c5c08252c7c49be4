/**
 * Typing indicators, in memory. A user types in a room from `start` until `stop`, until `ttlMs` pass
 * without another `start` (a client that vanished mid-word), or until the connection that started it
 * closes. Every change reaches the `onChange` listeners, whether a request or a timer caused it, so an
 * adapter broadcasts from one place.
 */
import type { Store } from '../store/store.js';
import { requireMember } from './access.js';
import { type Clock, systemClock, type TimerHandle } from './clock.js';
import { Listeners } from './listeners.js';
import { type Logger, silentLogger } from './logger.js';

export interface TypingOptions {
  clock?: Clock;
  /** How long a `start` lasts without being repeated. Default 5000 ms. */
  ttlMs?: number;
  logger?: Logger;
}

export interface TypingChange {
  roomId: string;
  userId: string;
  isTyping: boolean;
  /** What caused it: a request, the expiry timer, or the connection closing. */
  reason: 'start' | 'stop' | 'expired' | 'disconnect';
  /** Everyone typing in the room after the change, in the order they started. */
  typingUserIds: string[];
}

interface Entry {
  connectionId: string | undefined;
  timer: TimerHandle;
}

export class Typing {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly listeners: Listeners<TypingChange>;
  /** roomId → userId → entry; insertion order is the order they started typing. */
  private readonly rooms = new Map<string, Map<string, Entry>>();

  constructor(store: Store, options: TypingOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? 5000;
    this.listeners = new Listeners('typing', options.logger ?? silentLogger);
  }

  /** Calls `listener` on every change until the returned function is called. */
  onChange(listener: (change: TypingChange) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * The user is typing in the room (members only). Repeating it only pushes the expiry back. Resolves to
   * `true` when this started a new indicator.
   */
  async start(userId: string, roomId: string, connectionId?: string): Promise<boolean> {
    await requireMember(this.store, userId, roomId, 'type');
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new Map();
      this.rooms.set(roomId, room);
    }
    const existing = room.get(userId);
    if (existing) this.clock.clearTimeout(existing.timer);
    const timer = this.clock.setTimeout(() => this.end(roomId, userId, 'expired'), this.ttlMs);
    room.set(userId, { connectionId: connectionId ?? existing?.connectionId, timer });
    if (!existing) this.emit(roomId, userId, true, 'start');
    return !existing;
  }

  /** The user stopped typing; `false` when they were not typing there. No membership check: it only clears. */
  stop(userId: string, roomId: string): boolean {
    return this.end(roomId, userId, 'stop') !== null;
  }

  /** Clears every indicator the connection started (call it when a socket disconnects); listeners hear each. */
  disconnect(connectionId: string): TypingChange[] {
    const changes: TypingChange[] = [];
    for (const [roomId, room] of [...this.rooms]) {
      for (const [userId, entry] of [...room]) {
        const change = entry.connectionId === connectionId ? this.end(roomId, userId, 'disconnect') : null;
        if (change) changes.push(change);
      }
    }
    return changes;
  }

  /** Clears every indicator and its timer, telling no listener (the conformance reset hook). */
  reset(): void {
    for (const room of this.rooms.values()) {
      for (const entry of room.values()) this.clock.clearTimeout(entry.timer);
    }
    this.rooms.clear();
  }

  /** Who is typing in the room, in the order they started. */
  typingIn(roomId: string): string[] {
    return [...(this.rooms.get(roomId)?.keys() ?? [])];
  }

  private end(roomId: string, userId: string, reason: TypingChange['reason']): TypingChange | null {
    const room = this.rooms.get(roomId);
    const entry = room?.get(userId);
    if (!room || !entry) return null;
    this.clock.clearTimeout(entry.timer);
    room.delete(userId);
    if (room.size === 0) this.rooms.delete(roomId);
    return this.emit(roomId, userId, false, reason);
  }

  private emit(
    roomId: string,
    userId: string,
    isTyping: boolean,
    reason: TypingChange['reason'],
  ): TypingChange {
    const change = { roomId, userId, isTyping, reason, typingUserIds: this.typingIn(roomId) };
    this.listeners.emit(change);
    return change;
  }
}
