/**
 * Who is online. A user is online while at least one of their connections (tabs) is open, on any server
 * process: opening a second tab or closing one of two changes nothing others can see (seed 003, "multi-tab
 * support"). Open connections and the session's chosen status are kept by a `ConnectionRegistry` (memory, or
 * Redis for several processes); the chosen status and status messages are persisted with the user, and so is
 * `lastSeen` when the last connection closes.
 *
 * A user who chose `offline` while connected ("appear offline") is left out of `onlineUsers`.
 */
import type { Store } from '../store/store.js';
import { PRESENCE_STATUSES, type PresenceStatus, type User } from '../store/types.js';
import { requireUser } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { type ConnectionRegistry, MemoryConnections, type OnlineEntry } from './connections.js';
import { checkOneOf, checkText } from './validation.js';

export interface PresenceOptions {
  clock?: Clock;
  /** Where open connections are counted; default in memory (one process). */
  connections?: ConnectionRegistry;
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

export class Presence {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly maxStatusLength: number;
  readonly connections: ConnectionRegistry;

  constructor(store: Store, options: PresenceOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.maxStatusLength = options.maxStatusLength ?? 140;
    this.connections = options.connections ?? new MemoryConnections();
  }

  /** Registers a connection of the user (a socket id). Unknown users are refused with `NOT_FOUND`. */
  async connect(userId: string, connectionId: string): Promise<ConnectResult> {
    // Registered before the first look-up, so a disconnect arriving meanwhile finds it.
    const entry = await this.connections.add(userId, connectionId);
    let user: User;
    try {
      user = await requireUser(this.store, userId);
    } catch (error) {
      await this.connections.remove(userId, connectionId);
      throw error;
    }
    return { state: stateOf(user, entry), cameOnline: entry.count === 1 };
  }

  /** Forgets a connection; on the user's last one, persists `lastSeen` and the `offline` status. */
  async disconnect(userId: string, connectionId: string): Promise<DisconnectResult> {
    const { removed, count } = await this.connections.remove(userId, connectionId);
    if (!removed || count > 0) return { state: await this.get(userId), wentOffline: false };
    return { state: await this.wentOffline(userId), wentOffline: true };
  }

  /**
   * Forgets the connections of server processes that stopped without closing them; resolves to the state
   * of each user left offline by it (persisted as on a last disconnect), for the caller to announce.
   */
  async sweep(): Promise<PresenceState[]> {
    const gone = await this.connections.sweep();
    return Promise.all(gone.map((userId) => this.wentOffline(userId)));
  }

  /** Sets the user's status and messages (persisted); resolves to the new state. */
  async setStatus(userId: string, change: StatusChange): Promise<PresenceState> {
    const status =
      change.status === undefined ? undefined : checkOneOf('status', change.status, PRESENCE_STATUSES);
    const statusMessage = this.optionalStatus('statusMessage', change.statusMessage);
    const customStatus = this.optionalStatus('customStatus', change.customStatus);
    await requireUser(this.store, userId);
    const updated = await this.store.updateUser(userId, { status, statusMessage, customStatus });
    if (status !== undefined) await this.connections.setStatus(userId, status);
    return stateOf(updated, await this.connections.get(userId), userId);
  }

  /** The user's state: connections and session status from the registry, messages and last seen stored. */
  async get(userId: string): Promise<PresenceState> {
    const [user, entry] = await Promise.all([this.store.getUser(userId), this.connections.get(userId)]);
    return stateOf(user, entry, userId);
  }

  /** Users with an open connection who do not appear offline, with their connection counts. */
  async onlineUsers(): Promise<PresenceState[]> {
    const online = await this.connections.online();
    const users = await this.store.getUsers([...online.keys()]);
    return users
      .map((user) => stateOf(user, online.get(user.id)))
      .filter((state) => state.status !== 'offline');
  }

  /** The status others see: the session's, or `offline` without a connection (no store read). */
  async statusOf(userId: string): Promise<PresenceStatus> {
    return (await this.connections.get(userId))?.status ?? 'offline';
  }

  async isOnline(userId: string): Promise<boolean> {
    return (await this.connections.get(userId)) !== undefined;
  }

  /** Forgets every connection, announcing nothing (the conformance reset hook, after closing every socket). */
  async reset(): Promise<void> {
    await this.connections.clear();
  }

  private async wentOffline(userId: string): Promise<PresenceState> {
    const lastSeen = isoNow(this.clock);
    const user = await this.store.updateUser(userId, { status: 'offline', lastSeen });
    return { ...stateOf(user, undefined, userId), lastSeen };
  }

  private optionalStatus(field: string, value: string | null | undefined): string | null | undefined {
    if (value === undefined || value === null) return value;
    const text = checkText(field, value, { max: this.maxStatusLength, allowEmpty: true });
    return text === '' ? null : text;
  }
}

/** The state of a user (`undefined`: unknown to the store) with their registry entry (none: offline). */
function stateOf(
  user: User | undefined,
  entry: OnlineEntry | undefined,
  userId = user?.id ?? '',
): PresenceState {
  return {
    userId,
    status: entry ? entry.status : 'offline',
    statusMessage: user?.statusMessage ?? null,
    customStatus: user?.customStatus ?? null,
    connectionCount: entry?.count ?? 0,
    lastSeen: user?.lastSeen ?? null,
  };
}
