/**
 * The domain core: every capability of the chat, with its authorization, over a `Store`. No transport
 * here: namespace adapters call these methods with the authenticated user's id, send what they return,
 * and broadcast the changes the in-memory modules report through their listeners.
 *
 * Errors are `ParleyError`s (`VALIDATION_FAILED`, `FORBIDDEN`, `NOT_FOUND`, `CONFLICT`, `RATE_LIMITED`)
 * whose messages say what was refused and why; a refused action has changed nothing.
 */
import type { Store } from '../store/store.js';
import { Broadcasts } from './broadcasts.js';
import { Calls } from './calls.js';
import { type Clock, systemClock } from './clock.js';
import type { ConnectionRegistry } from './connections.js';
import { type Logger, silentLogger } from './logger.js';
import { Messages, type MessagesOptions } from './messages.js';
import { Presence } from './presence.js';
import { type BucketConfig, RateLimiter } from './ratelimit.js';
import { Reactions } from './reactions.js';
import { Receipts } from './receipts.js';
import { Rooms } from './rooms.js';
import { Typing } from './typing.js';
import { Uploads } from './uploads.js';
import { Users } from './users.js';

export interface DomainOptions extends Omit<MessagesOptions, 'clock'> {
  clock?: Clock;
  logger?: Logger;
  /** Typing indicators expire after this long without a repeat. Default 5000 ms. */
  typingTtlMs?: number;
  /** Calls ring this long before they are missed. Default 30 000 ms. */
  ringTimeoutMs?: number;
  /** Per event class; merged over `DEFAULT_RATE_LIMITS`. */
  rateLimits?: Record<string, BucketConfig>;
  /** Largest upload, in bytes. Default 25 MiB. */
  maxUploadBytes?: number;
  /** Where presence counts connections; default in memory (one process). */
  connections?: ConnectionRegistry;
}

export interface Domain {
  store: Store;
  clock: Clock;
  users: Users;
  rooms: Rooms;
  messages: Messages;
  reactions: Reactions;
  receipts: Receipts;
  presence: Presence;
  typing: Typing;
  calls: Calls;
  broadcasts: Broadcasts;
  rateLimiter: RateLimiter;
  uploads: Uploads;
}

/** Every capability over one store and one clock; the in-memory ones (presence, typing, calls) start empty. */
export function createDomain(store: Store, options: DomainOptions = {}): Domain {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  return {
    store,
    clock,
    users: new Users(store, { clock }),
    rooms: new Rooms(store, { clock }),
    messages: new Messages(store, { ...options, clock }),
    reactions: new Reactions(store, { clock }),
    receipts: new Receipts(store, { clock }),
    presence: new Presence(store, { clock, connections: options.connections }),
    typing: new Typing(store, { clock, logger, ttlMs: options.typingTtlMs }),
    calls: new Calls(store, { clock, logger, ringTimeoutMs: options.ringTimeoutMs }),
    broadcasts: new Broadcasts(store, { clock, maxLength: options.maxMessageLength }),
    rateLimiter: new RateLimiter({ clock, classes: options.rateLimits }),
    uploads: new Uploads(store, { clock, maxBytes: options.maxUploadBytes }),
  };
}

export * from './access.js';
export * from './broadcasts.js';
export * from './calls.js';
export * from './clock.js';
export * from './connections.js';
export * from './logger.js';
export * from './messages.js';
export * from './permissions.js';
export * from './presence.js';
export * from './ratelimit.js';
export * from './reactions.js';
export * from './receipts.js';
export * from './rooms.js';
export * from './typing.js';
export * from './uploads.js';
export * from './users.js';
