import { describe, expect, it } from 'vitest';
import { type Backend, backends, expectError, openWorld } from './helpers.js';

describe.each(backends)('reactions on $name', (backend: Backend) => {
  it('keeps one reaction per user and emoji, and counts per emoji in order of first use', async () => {
    const { domain, clock } = await openWorld(backend);
    const { message } = await domain.messages.send('alice', { roomId: 'general', content: 'ship it?' });
    expect((await domain.reactions.add('bob', message.id, '👍')).changed).toBe(true);
    clock.advance(1000);
    expect((await domain.reactions.add('alice', message.id, '🎉')).changed).toBe(true);
    clock.advance(1000);
    const again = await domain.reactions.add('bob', message.id, '👍');
    expect(again.changed).toBe(false);
    clock.advance(1000);
    const result = await domain.reactions.add('carol', message.id, '👍');
    expect(result.counts).toEqual([
      { emoji: '👍', count: 2, userIds: ['bob', 'carol'] },
      { emoji: '🎉', count: 1, userIds: ['alice'] },
    ]);

    const removed = await domain.reactions.remove('bob', message.id, '👍');
    expect(removed.changed).toBe(true);
    // Order of first use among the reactions left: alice's 🎉 is now older than carol's 👍.
    expect(removed.counts).toEqual([
      { emoji: '🎉', count: 1, userIds: ['alice'] },
      { emoji: '👍', count: 1, userIds: ['carol'] },
    ]);
    expect((await domain.reactions.remove('bob', message.id, '👍')).changed).toBe(false);
    expect(await domain.reactions.counts('dave', message.id)).toEqual(removed.counts);
  });

  it('refuses non-members, deleted messages and malformed emoji, changing nothing', async () => {
    const { domain } = await openWorld(backend);
    const { message } = await domain.messages.send('alice', { roomId: 'alice-bob', content: 'secret' });
    await expectError(domain.reactions.add('dave', message.id, '👍'), 'FORBIDDEN', /not a member/);
    await expectError(domain.reactions.counts('dave', message.id), 'FORBIDDEN');
    await expectError(domain.reactions.add('bob', 'msg_nope', '👍'), 'NOT_FOUND');
    await expectError(
      domain.reactions.add('bob', message.id, 'thumbs up'),
      'VALIDATION_FAILED',
      /without spaces/,
    );
    await expectError(domain.reactions.add('bob', message.id, ''), 'VALIDATION_FAILED', /empty/);
    expect(await domain.store.listReactions(message.id)).toEqual([]);

    await domain.reactions.add('bob', message.id, '👍');
    await domain.messages.delete('alice', message.id);
    await expectError(domain.reactions.add('alice', message.id, '👍'), 'CONFLICT', /deleted/);
    expect((await domain.reactions.remove('bob', message.id, '👍')).changed).toBe(true);
  });
});
