import { describe, expect, it } from 'vitest';
import { type Call, Calls } from '../../server/domain/calls.js';
import { expectError, openWorld } from './helpers.js';

async function setup(ringTimeoutMs = 30_000) {
  const world = await openWorld();
  const calls = new Calls(world.store, { clock: world.clock, ringTimeoutMs });
  const missed: Call[] = [];
  calls.onTimeout((call) => missed.push(call));
  return { ...world, calls, missed };
}

describe('calls', () => {
  it('goes invite → ringing → accepted → ended, acted on by the right party at each step', async () => {
    const { calls, clock } = await setup();
    const call = await calls.invite('alice', { targetUserId: 'bob', callType: 'video' });
    expect(call).toMatchObject({ callerId: 'alice', calleeId: 'bob', callType: 'video', state: 'ringing' });
    expect(call.id).toMatch(/^call_/);

    expect(() => calls.accept('alice', call.id)).toThrow(/cannot accept call .*: you placed it/);
    expect(() => calls.accept('dave', call.id)).toThrow(/not one of its parties/);
    expect(calls.get(call.id)?.state).toBe('ringing');

    clock.advance(3000);
    const accepted = calls.accept('bob', call.id);
    expect(accepted).toMatchObject({ state: 'accepted', answeredAt: new Date(clock.now()).toISOString() });
    await expectError(() => calls.accept('bob', call.id), 'CONFLICT', /it is accepted, not ringing/);
    await expectError(() => calls.reject('bob', call.id), 'CONFLICT');

    const ended = calls.end('bob', call.id);
    expect(ended).toMatchObject({ state: 'ended', endedBy: 'bob' });
    await expectError(() => calls.end('alice', call.id), 'CONFLICT', /already ended/);
  });

  it('takes the id a caller names, once: a finished call still holds it', async () => {
    const { calls } = await setup();
    const call = await calls.invite('alice', { targetUserId: 'bob', callType: 'audio', id: 'my-call-1' });
    expect(call.id).toBe('my-call-1');
    expect(calls.accept('bob', 'my-call-1').state).toBe('accepted');
    calls.end('alice', 'my-call-1');
    await expectError(
      calls.invite('alice', { targetUserId: 'bob', callType: 'audio', id: 'my-call-1' }),
      'CONFLICT',
      /call id my-call-1 is already used; choose a new one for every call/,
    );
    await expectError(
      calls.invite('alice', { targetUserId: 'bob', callType: 'audio', id: ' ' }),
      'VALIDATION_FAILED',
      /id.*must not be empty/,
    );
    expect((await calls.invite('alice', { targetUserId: 'bob', callType: 'audio' })).id).toMatch(/^call_/);
  });

  it('relays ICE candidates only between the parties of a ringing or active call', async () => {
    const { calls } = await setup();
    const call = await calls.invite('alice', { targetUserId: 'bob', callType: 'audio' });
    expect(calls.relayIce('alice', { targetUserId: 'bob' })).toMatchObject({
      to: 'bob',
      call: { id: call.id },
    });
    calls.accept('bob', call.id);
    expect(calls.relayIce('bob', { callId: call.id }).to).toBe('alice');
    await expectError(() => calls.relayIce('dave', { callId: call.id }), 'FORBIDDEN');
    await expectError(
      () => calls.relayIce('carol', { targetUserId: 'bob' }),
      'CONFLICT',
      /no ringing or active call with them/,
    );
    calls.end('alice', call.id);
    await expectError(() => calls.relayIce('alice', { callId: call.id }), 'CONFLICT', /it is ended/);
    await expectError(() => calls.relayIce('alice', { targetUserId: 'bob' }), 'CONFLICT');
    await expectError(() => calls.relayIce('alice', {}), 'VALIDATION_FAILED');
  });

  it('lets the callee reject and the caller cancel a ringing call', async () => {
    const { calls } = await setup();
    const first = await calls.invite('alice', { targetUserId: 'bob', callType: 'audio' });
    await expectError(() => calls.reject('alice', first.id), 'FORBIDDEN', /end it instead/);
    expect(calls.reject('bob', first.id)).toMatchObject({ state: 'rejected', endedBy: 'bob' });
    const second = await calls.invite('alice', { targetUserId: 'bob', callType: 'audio' });
    expect(calls.end('alice', second.id)).toMatchObject({
      state: 'ended',
      endedBy: 'alice',
      answeredAt: null,
    });
  });

  it('marks an unanswered call missed after the ring timeout and says so once', async () => {
    const { calls, clock, missed } = await setup(10_000);
    const call = await calls.invite('alice', { targetUserId: 'bob', callType: 'audio' });
    clock.advance(9_999);
    expect(calls.get(call.id)?.state).toBe('ringing');
    clock.advance(1);
    expect(missed).toEqual([expect.objectContaining({ id: call.id, state: 'missed', endedBy: null })]);
    await expectError(() => calls.accept('bob', call.id), 'CONFLICT', /it is missed/);
    clock.advance(60_000);
    expect(missed).toHaveLength(1);

    const answered = await calls.invite('alice', { targetUserId: 'bob', callType: 'audio' });
    calls.accept('bob', answered.id);
    clock.advance(60_000);
    expect(calls.get(answered.id)?.state).toBe('accepted');
    expect(missed).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('refuses calls to oneself, to unknown users, and to or from someone already in a call', async () => {
    const { calls } = await setup();
    await expectError(
      calls.invite('alice', { targetUserId: 'alice', callType: 'audio' }),
      'VALIDATION_FAILED',
      /yourself/,
    );
    await expectError(calls.invite('alice', { targetUserId: 'zed', callType: 'audio' }), 'NOT_FOUND');
    await expectError(
      calls.invite('alice', { targetUserId: 'bob', callType: 'hologram' as never }),
      'VALIDATION_FAILED',
    );
    await calls.invite('alice', { targetUserId: 'bob', callType: 'audio' });
    await expectError(
      calls.invite('carol', { targetUserId: 'bob', callType: 'audio' }),
      'CONFLICT',
      /busy in another call/,
    );
    await expectError(
      calls.invite('alice', { targetUserId: 'carol', callType: 'audio' }),
      'CONFLICT',
      /already in one/,
    );
    await expectError(() => calls.accept('bob', 'call_nope'), 'NOT_FOUND');
  });

  it('hangs up the live call of a user whose last connection closed', async () => {
    const { calls } = await setup();
    const call = await calls.invite('alice', { targetUserId: 'bob', callType: 'audio' });
    calls.accept('bob', call.id);
    expect(calls.hangUpAll('bob')).toEqual([
      expect.objectContaining({ id: call.id, state: 'ended', endedBy: 'bob' }),
    ]);
    expect(calls.hangUpAll('bob')).toEqual([]);
    expect((await calls.invite('carol', { targetUserId: 'alice', callType: 'audio' })).state).toBe('ringing');
  });
});
