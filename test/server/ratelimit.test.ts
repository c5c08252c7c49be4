import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/domain/clock.js';
import { RateLimiter } from '../../server/domain/ratelimit.js';
import { expectError } from './helpers.js';

function limiter() {
  const clock = new ManualClock();
  const limits = new RateLimiter({
    clock,
    classes: { message: { burst: 3, perSecond: 1 } },
    default: { burst: 2, perSecond: 10 },
  });
  return { clock, limits };
}

describe('rate limiter', () => {
  it('allows a burst, then refuses until tokens come back at the steady rate', () => {
    const { clock, limits } = limiter();
    const results = [1, 2, 3, 4].map(() => limits.take('alice', 'message'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[0]).toEqual({ allowed: true, limit: 3, remaining: 2, resetMs: 1000, retryAfterMs: 0 });
    expect(results[3]).toEqual({ allowed: false, limit: 3, remaining: 0, resetMs: 3000, retryAfterMs: 1000 });

    clock.advance(999);
    expect(limits.take('alice', 'message').allowed).toBe(false);
    clock.advance(1);
    expect(limits.take('alice', 'message')).toMatchObject({ allowed: true, remaining: 0 });
    clock.advance(10_000);
    expect(limits.take('alice', 'message')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('keeps separate buckets per user and per event class, with a default for unlisted classes', () => {
    const { limits } = limiter();
    for (let i = 0; i < 3; i++) limits.take('alice', 'message');
    expect(limits.take('alice', 'message').allowed).toBe(false);
    expect(limits.take('bob', 'message').allowed).toBe(true);
    expect(limits.take('alice', 'heartbeat')).toMatchObject({ allowed: true, limit: 2 });
    expect(limits.take('alice', 'heartbeat').allowed).toBe(true);
    expect(limits.take('alice', 'heartbeat').allowed).toBe(false);
  });

  it('throws RATE_LIMITED with the numbers from consume', async () => {
    const { limits } = limiter();
    for (let i = 0; i < 3; i++) limits.consume('alice', 'message');
    await expectError(
      () => limits.consume('alice', 'message'),
      'RATE_LIMITED',
      /at most 3 at once; retry in 1000 ms/,
    );
    let refused: unknown;
    try {
      limits.consume('alice', 'message');
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ details: { allowed: false, limit: 3, retryAfterMs: 1000 } });
  });

  it('does not charge refused events', () => {
    const { clock, limits } = limiter();
    for (let i = 0; i < 10; i++) limits.take('alice', 'message');
    clock.advance(1000);
    expect(limits.take('alice', 'message').allowed).toBe(true);
  });

  it('drops full buckets when pruning, and rejects nonsense settings', () => {
    const { clock, limits } = limiter();
    limits.take('alice', 'message');
    limits.take('bob', 'message');
    limits.take('bob', 'message');
    clock.advance(1500);
    limits.prune();
    expect(limits.size).toBe(1);
    expect(() => new RateLimiter({ classes: { message: { burst: 0, perSecond: 1 } } })).toThrow(
      /burst must be >= 1/,
    );
  });
});

describe('rateLimitsFromEnv', () => {
  it('reads classes from JSON, and is undefined when unset', async () => {
    const { rateLimitsFromEnv } = await import('../../server/domain/ratelimit.js');
    expect(rateLimitsFromEnv(undefined)).toBeUndefined();
    expect(rateLimitsFromEnv('{"message":{"burst":30,"perSecond":5}}')).toEqual({
      message: { burst: 30, perSecond: 5 },
    });
  });

  it.each([
    ['not JSON', '{message', /is not JSON/],
    ['a zero burst', '{"message":{"burst":0,"perSecond":1}}', /at message\.burst/],
    ['an unknown key', '{"message":{"burst":1,"perSecond":1,"x":1}}', /at message/],
  ])('refuses %s with a message that says where and how to fix it', async (_name, value, where) => {
    const { rateLimitsFromEnv } = await import('../../server/domain/ratelimit.js');
    expect(() => rateLimitsFromEnv(value)).toThrow(where);
  });
});
