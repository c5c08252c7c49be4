import { describe, expect, it } from 'vitest';
import { expectError, openWorld } from './helpers.js';

describe('presence', () => {
  it('keeps a user with several tabs online until the last one closes, then persists lastSeen', async () => {
    const { domain, clock, store } = await openWorld();
    const first = await domain.presence.connect('alice', 'tab-1');
    expect(first).toMatchObject({ cameOnline: true, state: { status: 'online', connectionCount: 1 } });
    const second = await domain.presence.connect('alice', 'tab-2');
    expect(second).toMatchObject({ cameOnline: false, state: { connectionCount: 2 } });
    expect(await domain.presence.onlineUsers()).toEqual([
      expect.objectContaining({ userId: 'alice', connectionCount: 2 }),
    ]);

    clock.advance(60_000);
    const closeOne = await domain.presence.disconnect('alice', 'tab-1');
    expect(closeOne).toMatchObject({ wentOffline: false, state: { status: 'online', connectionCount: 1 } });
    expect(await domain.presence.isOnline('alice')).toBe(true);
    expect((await store.getUser('alice'))?.lastSeen).toBeNull();

    clock.advance(60_000);
    const closeLast = await domain.presence.disconnect('alice', 'tab-2');
    const at = new Date(clock.now()).toISOString();
    expect(closeLast).toMatchObject({
      wentOffline: true,
      state: { status: 'offline', connectionCount: 0, lastSeen: at },
    });
    expect(await domain.presence.onlineUsers()).toEqual([]);
    expect(await store.getUser('alice')).toMatchObject({ lastSeen: at, status: 'offline' });

    expect((await domain.presence.connect('alice', 'tab-3')).cameOnline).toBe(true);
  });

  it('ignores a disconnect of a connection it never saw', async () => {
    const { domain } = await openWorld();
    await domain.presence.connect('bob', 'b1');
    expect(await domain.presence.disconnect('bob', 'zzz')).toMatchObject({
      wentOffline: false,
      state: { connectionCount: 1 },
    });
    expect(await domain.presence.disconnect('nobody', 'zzz')).toMatchObject({ wentOffline: false });
  });

  it('refuses unknown users without leaving a ghost connection', async () => {
    const { domain } = await openWorld();
    await expectError(domain.presence.connect('ghost', 'g1'), 'NOT_FOUND', /user ghost does not exist/);
    expect(await domain.presence.isOnline('ghost')).toBe(false);
  });

  it('sets and persists rich status; "appear offline" hides a connected user', async () => {
    const { domain, store } = await openWorld();
    await domain.presence.connect('bob', 'b1');
    await domain.presence.connect('carol', 'c1');
    const busy = await domain.presence.setStatus('bob', {
      status: 'busy',
      statusMessage: 'On a call',
      customStatus: 'Working on tickets',
    });
    expect(busy).toMatchObject({
      status: 'busy',
      statusMessage: 'On a call',
      customStatus: 'Working on tickets',
      connectionCount: 1,
    });
    expect(await store.getUser('bob')).toMatchObject({ status: 'busy', statusMessage: 'On a call' });

    await domain.presence.setStatus('carol', { status: 'offline' });
    expect((await domain.presence.onlineUsers()).map((u) => [u.userId, u.status])).toEqual([['bob', 'busy']]);

    await domain.presence.setStatus('bob', { statusMessage: null });
    expect(await domain.presence.get('bob')).toMatchObject({
      status: 'busy',
      statusMessage: null,
      customStatus: 'Working on tickets',
    });

    await expectError(
      domain.presence.setStatus('bob', { status: 'sleeping' as never }),
      'VALIDATION_FAILED',
      /online, away, busy, offline/,
    );
    await expectError(
      domain.presence.setStatus('bob', { statusMessage: 'x'.repeat(141) }),
      'VALIDATION_FAILED',
    );
    expect((await domain.presence.get('bob')).status).toBe('busy');
  });

  it('keeps the status message across sessions but starts each session online', async () => {
    const { domain } = await openWorld();
    await domain.presence.connect('bob', 'b1');
    await domain.presence.setStatus('bob', { status: 'away', statusMessage: 'brb' });
    await domain.presence.disconnect('bob', 'b1');
    const back = await domain.presence.connect('bob', 'b2');
    expect(back.state).toMatchObject({ status: 'online', statusMessage: 'brb' });
  });
});
