import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TypingChange } from '../../server/domain/index.js';
import { Typing } from '../../server/domain/typing.js';
import { expectError, openWorld } from './helpers.js';

async function setup(ttlMs = 3000) {
  const world = await openWorld();
  const typing = new Typing(world.store, { clock: world.clock, ttlMs });
  const changes: TypingChange[] = [];
  typing.onChange((change) => changes.push(change));
  const summary = () => changes.map((c) => `${c.userId}:${c.isTyping ? 'on' : 'off'}:${c.reason}`);
  return { ...world, typing, changes, summary };
}

describe('typing', () => {
  it('reports start and stop once each, with who is typing', async () => {
    const { typing, changes, summary } = await setup();
    expect(await typing.start('alice', 'general', 's1')).toBe(true);
    expect(await typing.start('alice', 'general', 's1')).toBe(false);
    await typing.start('bob', 'general', 's2');
    expect(changes.at(-1)?.typingUserIds).toEqual(['alice', 'bob']);
    expect(typing.stop('alice', 'general')).toBe(true);
    expect(typing.stop('alice', 'general')).toBe(false);
    expect(summary()).toEqual(['alice:on:start', 'bob:on:start', 'alice:off:stop']);
    expect(changes.at(-1)?.typingUserIds).toEqual(['bob']);
    expect(typing.typingIn('general')).toEqual(['bob']);
  });

  it('expires by itself after the TTL, and a repeated start pushes the expiry back', async () => {
    const { typing, clock, summary } = await setup(3000);
    await typing.start('alice', 'general');
    clock.advance(2500);
    await typing.start('alice', 'general');
    clock.advance(2500);
    expect(typing.typingIn('general')).toEqual(['alice']);
    clock.advance(600);
    expect(typing.typingIn('general')).toEqual([]);
    expect(summary()).toEqual(['alice:on:start', 'alice:off:expired']);
    expect(clock.pending).toBe(0);
  });

  it('clears what a connection started when it closes, and only that', async () => {
    const { typing, summary } = await setup();
    await typing.start('alice', 'general', 'tab-1');
    await typing.start('alice', 'alice-bob', 'tab-2');
    await typing.start('bob', 'general', 'tab-3');
    const cleared = typing.disconnect('tab-1');
    expect(cleared.map((c) => [c.roomId, c.userId, c.reason])).toEqual([['general', 'alice', 'disconnect']]);
    expect(typing.typingIn('general')).toEqual(['bob']);
    expect(typing.typingIn('alice-bob')).toEqual(['alice']);
    expect(summary().at(-1)).toBe('alice:off:disconnect');
  });

  it('refuses non-members without reporting anything', async () => {
    const { typing, changes } = await setup();
    await expectError(typing.start('dave', 'alice-bob'), 'FORBIDDEN', /cannot type in direct alice-bob/);
    expect(changes).toEqual([]);
    expect(typing.typingIn('alice-bob')).toEqual([]);
  });

  it('keeps notifying the other listeners when one throws, and logs it', async () => {
    const world = await openWorld();
    const errors: string[] = [];
    const typing = new Typing(world.store, {
      clock: world.clock,
      logger: { warn() {}, error: (message) => errors.push(message) },
    });
    const seen: boolean[] = [];
    typing.onChange(() => {
      throw new Error('broken adapter');
    });
    const unsubscribe = typing.onChange((change) => seen.push(change.isTyping));
    await typing.start('alice', 'general');
    world.clock.advance(10_000);
    expect(seen).toEqual([true, false]);
    expect(errors).toEqual(['a typing listener threw', 'a typing listener threw']);
    unsubscribe();
    await typing.start('alice', 'general');
    expect(seen).toEqual([true, false]);
  });

  describe('with the system clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('expires on real timers (faked here)', async () => {
      const world = await openWorld();
      vi.useFakeTimers();
      const typing = new Typing(world.store, { ttlMs: 2000 });
      const changes: TypingChange[] = [];
      typing.onChange((change) => changes.push(change));
      await typing.start('bob', 'general');
      vi.advanceTimersByTime(1999);
      expect(typing.typingIn('general')).toEqual(['bob']);
      vi.advanceTimersByTime(1);
      expect(changes.map((c) => c.reason)).toEqual(['start', 'expired']);
    });
  });
});
