/**
 * System broadcasts (seed 003's `system_broadcast`): a notice from a workspace admin to everyone
 * connected. Not stored: it is news for whoever is online now.
 */
import { ParleyError } from '../../runtime/errors.js';
import { newId } from '../store/ids.js';
import type { Store } from '../store/store.js';
import { requireUser } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { checkOneOf, checkText } from './validation.js';

export const BROADCAST_PRIORITIES = ['high', 'normal', 'low'] as const;
export type BroadcastPriority = (typeof BROADCAST_PRIORITIES)[number];

export interface Broadcast {
  id: string;
  message: string;
  priority: BroadcastPriority;
  /** The admin's user id and display name. */
  from: string;
  fromName: string;
  broadcastAt: string;
}

export interface BroadcastsOptions {
  clock?: Clock;
  /**
   * Longest broadcast, in characters. Default 5000, the longest any namespace allows (`/helpdesk`'s
   * message content); a namespace that allows less says so in its schema, which is checked first.
   */
  maxLength?: number;
}

export class Broadcasts {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly maxLength: number;

  constructor(store: Store, options: BroadcastsOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.maxLength = options.maxLength ?? 5000;
  }

  /** Validates and authorizes a broadcast (workspace admins only); the adapter sends it to everyone. */
  async send(actorId: string, input: { message: string; priority?: BroadcastPriority }): Promise<Broadcast> {
    const message = checkText('message', input.message, { max: this.maxLength });
    const priority = checkOneOf('priority', input.priority ?? 'normal', BROADCAST_PRIORITIES);
    const actor = await requireUser(this.store, actorId);
    if (actor.role !== 'admin') {
      throw new ParleyError(
        'FORBIDDEN',
        `cannot send a system broadcast: only workspace admins may, and ${actor.username} is a ${actor.role}`,
      );
    }
    return {
      id: newId('bcast'),
      message,
      priority,
      from: actor.id,
      fromName: actor.displayName,
      broadcastAt: isoNow(this.clock),
    };
  }
}
