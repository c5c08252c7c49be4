import { describe, expect, it } from 'vitest';
import { expectError, openWorld } from './helpers.js';

describe('broadcasts', () => {
  it('lets workspace admins broadcast', async () => {
    const { domain, clock } = await openWorld();
    const broadcast = await domain.broadcasts.send('carol', {
      message: 'Maintenance in 10 minutes',
      priority: 'high',
    });
    expect(broadcast).toMatchObject({
      message: 'Maintenance in 10 minutes',
      priority: 'high',
      from: 'carol',
      fromName: 'Carol',
      broadcastAt: new Date(clock.now()).toISOString(),
    });
    expect(broadcast.id).toMatch(/^bcast_/);
    expect((await domain.broadcasts.send('carol', { message: 'hi' })).priority).toBe('normal');
  });

  it('refuses members, empty or too long messages and unknown priorities', async () => {
    const { domain } = await openWorld();
    await expectError(
      domain.broadcasts.send('alice', { message: 'everyone look at me' }),
      'FORBIDDEN',
      /only workspace admins may, and alice is a member/,
    );
    await expectError(domain.broadcasts.send('carol', { message: ' ' }), 'VALIDATION_FAILED');
    // As long as /helpdesk's schema allows, and no longer.
    expect((await domain.broadcasts.send('carol', { message: 'x'.repeat(5000) })).message).toHaveLength(5000);
    await expectError(
      domain.broadcasts.send('carol', { message: 'x'.repeat(5001) }),
      'VALIDATION_FAILED',
      /5001 characters long; the limit is 5000/,
    );
    await expectError(
      domain.broadcasts.send('carol', { message: 'x', priority: 'urgent' as never }),
      'VALIDATION_FAILED',
      /high, normal, low/,
    );
  });
});
