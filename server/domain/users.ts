/**
 * Users as the other modules need them: look-up, and `ensure` for identities minted elsewhere (a JWKS
 * issuer such as Clerk knows users this store has never seen; their first connection creates them).
 */
import { ParleyError } from '../../runtime/errors.js';
import type { Store } from '../store/store.js';
import type { User } from '../store/types.js';
import { requireUser } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { checkText } from './validation.js';

export interface UserProfile {
  username?: string;
  displayName?: string;
  avatar?: string | null;
}

export class Users {
  private readonly store: Store;
  private readonly clock: Clock;

  constructor(store: Store, options: { clock?: Clock } = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
  }

  /** The user, or `NOT_FOUND`. */
  get(userId: string): Promise<User> {
    return requireUser(this.store, userId);
  }

  /** Profiles of the given users that exist (for display names in broadcasts). */
  getMany(userIds: readonly string[]): Promise<User[]> {
    return this.store.getUsers([...new Set(userIds)]);
  }

  /**
   * The user with this id, created from `profile` when missing. A taken username falls back to the id,
   * which is unique, so a newcomer is never locked out by a name clash.
   */
  async ensure(userId: string, profile: UserProfile = {}): Promise<{ user: User; created: boolean }> {
    const existing = await this.store.getUser(userId);
    if (existing) return { user: existing, created: false };
    const id = checkText('userId', userId, { max: 255 });
    const wanted = profile.username === undefined ? id : checkText('username', profile.username, { max: 64 });
    const username = (await this.store.getUserByUsername(wanted)) ? id : wanted;
    try {
      const user = await this.store.createUser(
        {
          id,
          username,
          displayName: profile.displayName ?? username,
          avatar: profile.avatar ?? null,
        },
        isoNow(this.clock),
      );
      return { user, created: true };
    } catch (error) {
      // Two first connections of the same new user at once: the other one created it.
      const raced =
        error instanceof ParleyError && error.code === 'CONFLICT' && (await this.store.getUser(id));
      if (raced) return { user: raced, created: false };
      throw error;
    }
  }
}
