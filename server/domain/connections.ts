/**
 * Who has which connections open, and the status each online user chose for this session: the part of
 * presence that must be shared when several server processes serve one deployment. In memory for one
 * process; `server/transport/redis-connections.ts` keeps it in Redis for several. Status messages and last-seen
 * times live in the store either way.
 */
import type { PresenceStatus } from '../store/types.js';

export interface OnlineEntry {
  /** Open connections (tabs), on every process. */
  count: number;
  /** Chosen for this session; a session starts `online`. */
  status: PresenceStatus;
}

export interface ConnectionRegistry {
  /** Adds one of the user's connections (the first starts a session, `online`); resolves to the entry after. */
  add(userId: string, connectionId: string): Promise<OnlineEntry>;
  /**
   * Removes one; `removed: false` when it was not known. The session ends with the last connection (`count`
   * 0), atomically: a connection added meanwhile starts a new one.
   */
  remove(userId: string, connectionId: string): Promise<{ removed: boolean; count: number }>;
  /** The user's entry, if they have a connection open. */
  get(userId: string): Promise<OnlineEntry | undefined>;
  /** Sets the session's status; `false` when the user has no connection open. */
  setStatus(userId: string, status: PresenceStatus): Promise<boolean>;
  /** Every user with a connection open. */
  online(): Promise<Map<string, OnlineEntry>>;
  /**
   * Forgets the connections of server processes that stopped without closing them (killed, crashed);
   * resolves to the users left with none, who went offline unannounced.
   */
  sweep(): Promise<string[]>;
  /** Forgets everything (the conformance reset hook). */
  clear(): Promise<void>;
}

export class MemoryConnections implements ConnectionRegistry {
  private readonly users = new Map<string, { connections: Set<string>; status: PresenceStatus }>();

  async add(userId: string, connectionId: string): Promise<OnlineEntry> {
    let entry = this.users.get(userId);
    if (!entry) {
      entry = { connections: new Set(), status: 'online' };
      this.users.set(userId, entry);
    }
    entry.connections.add(connectionId);
    return { count: entry.connections.size, status: entry.status };
  }

  async remove(userId: string, connectionId: string): Promise<{ removed: boolean; count: number }> {
    const entry = this.users.get(userId);
    const removed = entry?.connections.delete(connectionId) ?? false;
    if (entry?.connections.size === 0) this.users.delete(userId);
    return { removed, count: entry?.connections.size ?? 0 };
  }

  async get(userId: string): Promise<OnlineEntry | undefined> {
    const entry = this.users.get(userId);
    return entry && { count: entry.connections.size, status: entry.status };
  }

  async setStatus(userId: string, status: PresenceStatus): Promise<boolean> {
    const entry = this.users.get(userId);
    if (entry) entry.status = status;
    return entry !== undefined;
  }

  async online(): Promise<Map<string, OnlineEntry>> {
    return new Map(
      [...this.users].map(([userId, e]) => [userId, { count: e.connections.size, status: e.status }]),
    );
  }

  async sweep(): Promise<string[]> {
    return []; // one process: its connections end with it
  }

  async clear(): Promise<void> {
    this.users.clear();
  }
}
