/**
 * Rate limits: a token bucket per user and event class. A bucket holds up to `burst` tokens and refills
 * at `perSecond`; each event takes one (or `cost`). So a user may send `burst` events at once, then
 * `perSecond` events a second for as long as they like.
 */
import { z } from 'zod';
import { ParleyError } from '../../runtime/errors.js';
import { type Clock, systemClock } from './clock.js';

export interface BucketConfig {
  /** Most events at once (the bucket's size). */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

export interface RateLimiterOptions {
  clock?: Clock;
  /** Per event class (`message`, `typing`, `reaction`, ...); classes not listed use `default`. */
  classes?: Record<string, BucketConfig>;
  /** Default: 20 at once, 5 a second. */
  default?: BucketConfig;
  /** Above this many buckets, full ones are dropped (they hold no information). Default 10 000. */
  maxBuckets?: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** The bucket's size (`burst`). */
  limit: number;
  /** Whole tokens left after this event. */
  remaining: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
  /** When refused: milliseconds until enough tokens are back to try again; 0 when allowed. */
  retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
  config: BucketConfig;
}

/** Suggested limits for a chat server: generous bursts, steady rates a person can't exceed by hand. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, BucketConfig>> = {
  message: { burst: 10, perSecond: 2 },
  typing: { burst: 10, perSecond: 2 },
  reaction: { burst: 20, perSecond: 5 },
  call: { burst: 5, perSecond: 0.2 },
  broadcast: { burst: 3, perSecond: 0.05 },
};

export class RateLimiter {
  private readonly clock: Clock;
  private readonly classes: Record<string, BucketConfig>;
  private readonly fallback: BucketConfig;
  private readonly maxBuckets: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.classes = { ...DEFAULT_RATE_LIMITS, ...options.classes };
    this.fallback = options.default ?? { burst: 20, perSecond: 5 };
    this.maxBuckets = options.maxBuckets ?? 10_000;
    for (const [name, config] of Object.entries({ ...this.classes, default: this.fallback })) {
      if (!(config.burst >= 1) || !(config.perSecond > 0)) {
        throw new RangeError(
          `rate limit "${name}": burst must be >= 1 and perSecond > 0, got burst ${config.burst}, perSecond ${config.perSecond}`,
        );
      }
    }
  }

  /** Takes `cost` tokens if there are enough; refused events take nothing. */
  take(userId: string, eventClass: string, cost = 1): RateLimitResult {
    const bucket = this.bucket(userId, eventClass);
    const { burst, perSecond } = bucket.config;
    const allowed = bucket.tokens >= cost;
    if (allowed) bucket.tokens -= cost;
    const msPerToken = 1000 / perSecond;
    return {
      allowed,
      limit: burst,
      remaining: Math.floor(bucket.tokens),
      resetMs: Math.ceil((burst - bucket.tokens) * msPerToken),
      retryAfterMs: allowed ? 0 : Math.ceil((cost - bucket.tokens) * msPerToken),
    };
  }

  /** `take`, throwing `RATE_LIMITED` (with the result as `details`) when refused. */
  consume(userId: string, eventClass: string, cost = 1): RateLimitResult {
    const result = this.take(userId, eventClass, cost);
    if (!result.allowed) {
      throw new ParleyError(
        'RATE_LIMITED',
        `too many ${eventClass} events: at most ${result.limit} at once; retry in ${result.retryAfterMs} ms`,
        { details: result },
      );
    }
    return result;
  }

  private bucket(userId: string, eventClass: string): Bucket {
    const key = `${eventClass}\u0000${userId}`;
    const now = this.clock.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      const refill = ((now - bucket.at) / 1000) * bucket.config.perSecond;
      bucket.tokens = Math.min(bucket.config.burst, bucket.tokens + refill);
      bucket.at = now;
      return bucket;
    }
    if (this.buckets.size >= this.maxBuckets) this.prune();
    const config = this.classes[eventClass] ?? this.fallback;
    bucket = { tokens: config.burst, at: now, config };
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Drops buckets that have refilled completely: a fresh bucket would be identical. */
  prune(): void {
    const now = this.clock.now();
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.at) / 1000) * bucket.config.perSecond;
      if (tokens >= bucket.config.burst) this.buckets.delete(key);
    }
  }

  /** Forgets every bucket: every user starts again with full ones (the conformance reset hook). */
  reset(): void {
    this.buckets.clear();
  }

  /** How many buckets are held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}

const BucketsSchema = z.record(
  z.string().min(1),
  z.strictObject({ burst: z.number().int().min(1), perSecond: z.number().positive() }),
);

/**
 * Rate limits from `PARLEY_RATE_LIMITS`, a JSON object of event class → `{ burst, perSecond }`, merged over the
 * defaults, e.g. `{"message":{"burst":30,"perSecond":5}}`. Unset: the defaults. Malformed: an error that says
 * which entry is wrong and what it should look like.
 */
export function rateLimitsFromEnv(value: string | undefined): Record<string, BucketConfig> | undefined {
  if (!value?.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error('PARLEY_RATE_LIMITS is not JSON: expected e.g. {"message":{"burst":30,"perSecond":5}}');
  }
  const result = BucketsSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(
      `PARLEY_RATE_LIMITS at ${issue.path.join('.') || '(top)'}: ${issue.message}. Expected an object of event class → { burst: integer ≥ 1, perSecond: number > 0 }, e.g. {"message":{"burst":30,"perSecond":5}}; classes: ${Object.keys(DEFAULT_RATE_LIMITS).join(', ')}.`,
    );
  }
  return result.data;
}
