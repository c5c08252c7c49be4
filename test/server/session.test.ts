/** The shared session mechanics: the keyed queue, the outbound translator, the rate-limit notice wrapper. */
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../runtime/errors.js';
import type { ChatEvent } from '../../server/core/events.js';
import { RateLimited } from '../../server/core/limits.js';
import { withRateLimitNotice } from '../../server/session/limits.js';
import { keyedQueue } from '../../server/session/queue.js';
import { ignoring, type Translations, translator } from '../../server/session/translate.js';
import { presence, user } from './dialects/fixtures.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('keyedQueue', () => {
  it('runs the work of one key in order, past failures, and keys beside each other', async () => {
    const queue = keyedQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = queue('a', async () => {
      await gate;
      log.push('a1');
      throw new Error('a1 failed');
    });
    const second = queue('a', () => log.push('a2'));
    const other = queue('b', () => log.push('b1'));
    await other;
    expect(log).toEqual(['b1']);
    release();
    await expect(first).rejects.toThrow('a1 failed');
    expect(await second).toBe(3);
    expect(log).toEqual(['b1', 'a1', 'a2']);
  });
});

const online: ChatEvent = {
  type: 'presence.online',
  user: user('alice'),
  state: presence(),
  connectionCount: 1,
};
const offline: ChatEvent = { type: 'presence.offline', user: user('alice'), lastSeen: 'then' };

/** Every event ignored but the two presence ones, which `entries` gives. */
function table(entries: Pick<Translations, 'presence.online' | 'presence.offline'>): Translations {
  return {
    ...entries,
    ...ignoring(
      'message.created',
      'message.edited',
      'message.deleted',
      'message.forwarded',
      'reaction.added',
      'reaction.removed',
      'messages.read',
      'messages.read-up-to',
      'typing.changed',
      'presence.status',
      'room.joined',
      'room.left',
      'room.updated',
      'broadcast',
      'file.uploaded',
      'call.invited',
      'call.accepted',
      'call.rejected',
      'call.ended',
      'call.ice',
    ),
  };
}

describe('translator', () => {
  it('sync: tells each event as it is delivered; what emit returns is not a failure', () => {
    const told: string[] = [];
    const errors: unknown[] = [];
    const listen = translator(
      // Socket.IO's emit returns `true`: a translator may hand that back.
      table({
        'presence.online': (() => told.push('online')) as () => void,
        'presence.offline': (() => told.push('offline')) as () => void,
      }),
      { nsp: '/t', log: { error: (details: unknown) => errors.push(details) }, order: 'sync' },
    );
    listen(online);
    listen(offline);
    expect(told).toEqual(['online', 'offline']);
    expect(errors).toEqual([]);
  });

  it('queued: a slow translation is not overtaken; a failed one is logged and the next told', async () => {
    const told: string[] = [];
    const errors: { event?: string }[] = [];
    const listen = translator(
      table({
        'presence.online': async () => {
          await tick();
          await tick();
          throw new Error('lookup failed');
        },
        'presence.offline': () => {
          told.push('offline');
        },
      }),
      { nsp: '/t', log: { error: (details: { event?: string }) => errors.push(details) }, order: 'queued' },
    );
    listen(online);
    listen(offline);
    expect(told).toEqual([]);
    for (let i = 0; i < 5; i++) await tick();
    expect(told).toEqual(['offline']);
    expect(errors).toMatchObject([{ nsp: '/t', event: 'presence.online' }]);
  });
});

describe('withRateLimitNotice', () => {
  const result = { allowed: false, limit: 10, remaining: 0, resetMs: 5000, retryAfterMs: 500 };
  const ctx = { socket: { id: 's1' } } as never;

  it('tells a refusal once and reports the dialect error; other errors and results pass through', async () => {
    const notices: string[] = [];
    const handlers = withRateLimitNotice(
      {
        limited: async (_payload: unknown, _ctx: unknown) => {
          throw new RateLimited('message', result, 0);
        },
        syncLimited: (_payload: unknown, _ctx: unknown) => {
          throw new RateLimited('typing', result, 0);
        },
        other: async (_payload: unknown, _ctx: unknown) => {
          throw new ParleyError('FORBIDDEN', 'no');
        },
        fine: (_payload: unknown, _ctx: unknown) => 'ok',
      },
      (refusal: RateLimited) => {
        notices.push(refusal.rateClass);
        return refusal.rateClass === 'typing' ? new ParleyError('RATE_LIMITED', 'slow down') : undefined;
      },
    );
    await expect(handlers.limited(undefined as never, ctx)).rejects.toThrow('too many messages');
    expect(() => handlers.syncLimited(undefined as never, ctx)).toThrow('slow down');
    await expect(handlers.other(undefined as never, ctx)).rejects.toThrow('no');
    expect(handlers.fine(undefined as never, ctx)).toBe('ok');
    expect(notices).toEqual(['message', 'typing']);
  });
});
