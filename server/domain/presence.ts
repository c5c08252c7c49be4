/**
 * Who is online, in memory. A user is online while at least one of their connections (tabs) is open:
 * opening a second tab or closing one of two changes nothing others can see (seed 003, "multi-tab
 * support"). The chosen status and status message are persisted with the user, and so is `lastSeen`
 * when the last connection closes.
 *
 * A user who chose `offline` while connected ("appear offline") is left out of `onlineUsers`.
 */
import type { Store } from '../store/store.js';
import { PRESENCE_STATUSES, type PresenceStatus, type User } from '../store/types.js';
import { requireUser } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { checkOneOf, checkText } from './validation.js';

export interface PresenceOptions {
  clock?: Clock;
  /** Longest status message / custom status, in characters. Default 140. */
  maxStatusLength?: number;
}

export interface PresenceState {
  userId: string;
  /** `offline` when no connection is open, whatever was chosen. */
  status: PresenceStatus;
  statusMessage: string | null;
  customStatus: string | null;
  connectionCount: number;
  lastSeen: string | null;
}

export interface ConnectResult {
  state: PresenceState;
  /** This was the user's first open connection: tell others they came online. */
  cameOnline: boolean;
}

export interface DisconnectResult {
  state: PresenceState;
  /** That was the user's last connection: tell others they went offline (`state.lastSeen` is set). */
  wentOffline: boolean;
}

export interface StatusChange {
  status?: PresenceStatus;
  /** `null` clears it. */
  statusMessage?: string | null;
  customStatus?: string | null;
}

interface Entry {
  connections: Set<string>;
  status: PresenceStatus;
  statusMessage: string | null;
  customStatus: string | null;
}

export class Presence {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly maxStatusLength: number;
  private readonly entries = new Map<string, Entry>();

  constructor(store: Store, options: PresenceOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.maxStatusLength = options.maxStatusLength ?? 140;
  }

  /** Registers a connection of the user (a socket id). Unknown users are refused with `NOT_FOUND`. */
  async connect(userId: string, connectionId: string): Promise<ConnectResult> {
    // Registered before the first await, so a disconnect arriving meanwhile finds it.
    let entry = this.entries.get(userId);
    const cameOnline = entry === undefined;
    if (!entry) {
      entry = { connections: new Set(), status: 'online', statusMessage: null, customStatus: null };
      this.entries.set(userId, entry);
    }
    entry.connections.add(connectionId);
    let user: User;
    try {
      user = await requireUser(this.store, userId);
    } catch (error) {
      entry.connections.delete(connectionId);
      if (entry.connections.size === 0 && this.entries.get(userId) === entry) this.entries.delete(userId);
      throw error;
    }
    if (cameOnline) {
      // A new session starts online; the status messages chosen earlier are kept.
      entry.statusMessage ??= user.statusMessage;
      entry.customStatus ??= user.customStatus;
    }
    return { state: this.stateOf(userId, entry, user.lastSeen), cameOnline };
  }

  /** Forgets a connection; on the user's last one, persists `lastSeen` and the `offline` status. */
  async disconnect(userId: string, connectionId: string): Promise<DisconnectResult> {
    const entry = this.entries.get(userId);
    if (!entry?.connections.delete(connectionId)) {
      return { state: this.get(userId), wentOffline: false };
    }
    if (entry.connections.size > 0) return { state: this.stateOf(userId, entry, null), wentOffline: false };
    // Delete first: a reconnect racing the write below starts a fresh entry.
    this.entries.delete(userId);
    const lastSeen = isoNow(this.clock);
    await this.store.updateUser(userId, { status: 'offline', lastSeen });
    return {
      state: { ...this.stateOf(userId, entry, lastSeen), status: 'offline', connectionCount: 0 },
      wentOffline: true,
    };
  }

  /** Sets the user's status and messages (persisted); resolves to the new state. */
  async setStatus(userId: string, change: StatusChange): Promise<PresenceState> {
    const status =
      change.status === undefined ? undefined : checkOneOf('status', change.status, PRESENCE_STATUSES);
    const statusMessage = this.optionalStatus('statusMessage', change.statusMessage);
    const customStatus = this.optionalStatus('customStatus', change.customStatus);
    const user = await requireUser(this.store, userId);
    const updated = await this.store.updateUser(userId, { status, statusMessage, customStatus });
    const entry = this.entries.get(userId);
    if (entry) {
      if (status !== undefined) entry.status = status;
      if (statusMessage !== undefined) entry.statusMessage = statusMessage;
      if (customStatus !== undefined) entry.customStatus = customStatus;
      return this.stateOf(userId, entry, user.lastSeen);
    }
    return {
      userId,
      status: 'offline',
      statusMessage: updated?.statusMessage ?? null,
      customStatus: updated?.customStatus ?? null,
      connectionCount: 0,
      lastSeen: user.lastSeen,
    };
  }

  /** The in-memory state; `lastSeen` is only known here for users who went offline since start. */
  get(userId: string): PresenceState {
    const entry = this.entries.get(userId);
    if (entry) return this.stateOf(userId, entry, null);
    return {
      userId,
      status: 'offline',
      statusMessage: null,
      customStatus: null,
      connectionCount: 0,
      lastSeen: null,
    };
  }

  /** Users with an open connection who do not appear offline, with their connection counts. */
  onlineUsers(): PresenceState[] {
    return [...this.entries]
      .filter(([, entry]) => entry.status !== 'offline')
      .map(([userId, entry]) => this.stateOf(userId, entry, null));
  }

  isOnline(userId: string): boolean {
    return this.entries.has(userId);
  }

  /** Forgets every connection, announcing nothing (the conformance reset hook, after closing every socket). */
  reset(): void {
    this.entries.clear();
  }

  private stateOf(userId: string, entry: Entry, lastSeen: string | null): PresenceState {
    return {
      userId,
      status: entry.status,
      statusMessage: entry.statusMessage,
      customStatus: entry.customStatus,
      connectionCount: entry.connections.size,
      lastSeen,
    };
  }

  private optionalStatus(field: string, value: string | null | undefined): string | null | undefined {
    if (value === undefined || value === null) return value;
    const text = checkText(field, value, { max: this.maxStatusLength, allowEmpty: true });
    return text === '' ? null : text;
  }
}
