import { describe, expect, it } from 'vitest';
import { type Backend, backends, expectError, openWorld } from './helpers.js';

describe.each(backends)('rooms on $name', (backend: Backend) => {
  it('creates a channel owned by its creator; a second with the same name is a CONFLICT', async () => {
    const { domain } = await openWorld(backend);
    const { room, created, members } = await domain.rooms.create('dave', {
      kind: 'channel',
      name: ' support ',
      topic: 'tickets',
      members: ['alice'],
    });
    expect(created).toBe(true);
    expect(room).toMatchObject({
      kind: 'channel',
      name: 'support',
      topic: 'tickets',
      private: false,
      createdBy: 'dave',
    });
    expect(members.map((m) => [m.userId, m.role])).toEqual([
      ['dave', 'owner'],
      ['alice', 'member'],
    ]);
    await expectError(
      domain.rooms.create('bob', { kind: 'channel', name: 'support' }),
      'CONFLICT',
      /already exists/,
    );
    expect((await domain.rooms.roomsOf('bob')).map((r) => r.room.name)).not.toContain('support');
  });

  it('refuses invalid rooms with VALIDATION_FAILED, and unknown members with NOT_FOUND, creating nothing', async () => {
    const { domain } = await openWorld(backend);
    await expectError(domain.rooms.create('dave', { kind: 'channel' }), 'VALIDATION_FAILED', /needs a name/);
    await expectError(
      domain.rooms.create('dave', { kind: 'lounge' as never, name: 'x' }),
      'VALIDATION_FAILED',
      /kind: expected one of channel/,
    );
    await expectError(
      domain.rooms.create('dave', { kind: 'channel', name: 'x'.repeat(81) }),
      'VALIDATION_FAILED',
      /81 characters long; the limit is 80/,
    );
    await expectError(
      domain.rooms.create('dave', { kind: 'direct', members: ['alice', 'bob'] }),
      'VALIDATION_FAILED',
      /exactly one other member/,
    );
    await expectError(
      domain.rooms.create('dave', { kind: 'group', members: ['alice', 'zed'] }),
      'NOT_FOUND',
      /zed/,
    );
    expect(await domain.rooms.roomsOf('dave')).toEqual([]);
  });

  it('returns the existing direct conversation instead of creating a second', async () => {
    const { domain } = await openWorld(backend);
    const again = await domain.rooms.create('bob', { kind: 'direct', members: ['alice'] });
    expect(again.created).toBe(false);
    expect(again.room.id).toBe('alice-bob');
    const fresh = await domain.rooms.create('dave', { kind: 'direct', members: ['alice'] });
    expect(fresh).toMatchObject({ created: true, room: { kind: 'direct', private: true } });
  });

  it('joins open rooms, once; closed rooms only through an admin adding you', async () => {
    const { domain } = await openWorld(backend);
    expect((await domain.rooms.join('dave', 'general')).joined).toBe(true);
    expect((await domain.rooms.join('dave', 'general')).joined).toBe(false);
    await expectError(
      domain.rooms.join('dave', 'alice-bob'),
      'FORBIDDEN',
      /private; one of its admins has to add you/,
    );
    await expectError(domain.rooms.join('dave', 'nowhere'), 'NOT_FOUND', /room nowhere does not exist/);

    const { room } = await domain.rooms.create('alice', { kind: 'channel', name: 'secret', private: true });
    await expectError(domain.rooms.join('bob', room.id), 'FORBIDDEN');
    expect(await domain.store.getMembership(room.id, 'bob')).toBeUndefined();
    await expectError(domain.rooms.addMember('dave', room.id, 'bob'), 'FORBIDDEN', /not one of its admins/);
    expect((await domain.rooms.addMember('alice', room.id, 'bob')).joined).toBe(true);
    expect((await domain.rooms.join('bob', room.id)).joined).toBe(false);
    await expectError(domain.rooms.addMember('alice', 'alice-bob', 'dave'), 'FORBIDDEN');
  });

  it('joins public rooms by name, creating them on request', async () => {
    const { domain } = await openWorld(backend);
    await expectError(domain.rooms.joinByName('alice', 'lobby'), 'NOT_FOUND', /no public room named "lobby"/);
    const created = await domain.rooms.joinByName('alice', 'lobby', { create: true });
    expect(created).toMatchObject({ joined: true, membership: { role: 'owner' }, room: { kind: 'public' } });
    const joined = await domain.rooms.joinByName('bob', 'lobby');
    expect(joined).toMatchObject({
      joined: true,
      membership: { role: 'member' },
      room: { id: created.room.id },
    });
    expect((await domain.rooms.joinByName('bob', 'general', { kind: 'channel' })).joined).toBe(false);
  });

  it('joins many rooms all or nothing', async () => {
    const { domain } = await openWorld(backend);
    const open = await domain.rooms.create('alice', { kind: 'channel', name: 'open' });
    await expectError(domain.rooms.joinMany('dave', [open.room.id, 'alice-bob']), 'FORBIDDEN');
    expect(await domain.store.getMembership(open.room.id, 'dave')).toBeUndefined();
    const results = await domain.rooms.joinMany('dave', [open.room.id, 'general', open.room.id]);
    expect(results.map((r) => [r.room.id, r.joined])).toEqual([
      [open.room.id, true],
      ['general', true],
    ]);
    await expectError(domain.rooms.joinMany('dave', []), 'VALIDATION_FAILED');
  });

  it('lets room admins/owners and workspace admins update a room, and nobody else', async () => {
    const { domain } = await openWorld(backend);
    await expectError(
      domain.rooms.update('alice', 'general', { topic: 'hijacked' }),
      'FORBIDDEN',
      /only its admins and owners, or workspace admins/,
    );
    expect((await domain.store.getRoom('general'))?.topic).toBeNull();

    const byOwner = await domain.rooms.update('carol', 'general', {
      topic: 'News',
      description: 'Everyone in the workspace',
    });
    expect(byOwner.changes).toEqual({ topic: 'News' });
    expect(byOwner.room.topic).toBe('News');

    const room = (await domain.rooms.create('alice', { kind: 'channel', name: 'team' })).room;
    const byAdmin = await domain.rooms.update('carol', room.id, { name: 'squad', description: null });
    expect(byAdmin.changes).toEqual({ name: 'squad' });
    await expectError(
      domain.rooms.update('alice', room.id, { name: 'general' }),
      'CONFLICT',
      /already exists/,
    );
    await expectError(domain.rooms.update('alice', room.id, {}), 'VALIDATION_FAILED', /nothing to change/);
    await expectError(domain.rooms.update('alice', 'nope', { topic: 'x' }), 'NOT_FOUND');
  });

  it('leaves rooms, but never a direct conversation; leaveAll keeps those', async () => {
    const { domain } = await openWorld(backend);
    await expectError(domain.rooms.leave('alice', 'alice-bob'), 'FORBIDDEN', /cannot be left/);
    expect((await domain.rooms.leave('bob', 'general')).left).toBe(true);
    expect((await domain.rooms.leave('bob', 'general')).left).toBe(false);
    await domain.rooms.create('alice', { kind: 'group', members: ['bob'] });
    const left = await domain.rooms.leaveAll('alice');
    expect(left.map((r) => r.kind).sort()).toEqual(['channel', 'group']);
    expect((await domain.rooms.roomsOf('alice')).map((r) => r.room.id)).toEqual(['alice-bob']);
  });

  it('lists members of open rooms to anyone and of closed rooms to members only', async () => {
    const { domain } = await openWorld(backend);
    const members = await domain.rooms.members('dave', 'general');
    expect(members.map((m) => [m.user.username, m.membership.role])).toEqual([
      ['alice', 'member'],
      ['bob', 'member'],
      ['carol', 'owner'],
    ]);
    await expectError(domain.rooms.members('dave', 'alice-bob'), 'FORBIDDEN', /private to its members/);
    expect((await domain.rooms.members('bob', 'alice-bob')).map((m) => m.user.id).sort()).toEqual([
      'alice',
      'bob',
    ]);
  });
});
