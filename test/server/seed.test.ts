import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../runtime/errors.js';
import { loadSeedFile, seedDemo } from '../../server/store/seed.js';
import { openTestStore } from './helpers.js';

async function refusal(action: Promise<unknown>) {
  const error = await action.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isParleyError(error)) throw new Error(`expected a ParleyError, got ${String(error)}`);
  expect(error.code).toBe('VALIDATION_FAILED');
  return error;
}

const GOOD = `
users:
  - username: dave
    displayName: Dave
    role: admin
  - { id: user_erin, username: erin }
rooms:
  - name: support
    topic: Tickets
    private: true
    members: [dave, { user: erin, role: admin }, alice]
  - { id: dm-dave-erin, kind: direct, members: [dave, erin] }
messages:
  - { room: support, from: dave, content: Welcome to support }
  - { room: support, from: erin, content: Thanks!, at: '2025-01-15T10:30:00Z' }
  - { room: general, from: alice, content: general is from the demo }
`;

describe('seedDemo', () => {
  it('creates the demo workspace once', async () => {
    const store = await openTestStore();
    expect(await seedDemo(store)).toEqual({ users: 3, rooms: 2, memberships: 5, messages: 2 });
    expect((await store.getUser('carol'))?.role).toBe('admin');
    expect((await store.getUser('alice'))?.role).toBe('member');
    const general = await store.listMembers('general');
    expect(general.map((m) => [m.user.username, m.membership.role])).toEqual([
      ['alice', 'member'],
      ['bob', 'member'],
      ['carol', 'owner'],
    ]);
    expect((await store.findDirectRoom('alice', 'bob'))?.id).toBe('alice-bob');
    expect(await seedDemo(store)).toEqual({ users: 0, rooms: 0, memberships: 0, messages: 0 });
  });
});

describe('loadSeedFile', () => {
  it('loads users, rooms, memberships and messages, referring to the store as well', async () => {
    const store = await openTestStore();
    await seedDemo(store);
    expect(await loadSeedFile(store, GOOD)).toEqual({ users: 2, rooms: 2, memberships: 5, messages: 3 });
    expect(await store.getUser('dave')).toMatchObject({ role: 'admin', displayName: 'Dave' });
    expect(await store.getUser('user_erin')).toMatchObject({ username: 'erin', displayName: 'erin' });
    const support = await store.getRoomByName('channel', 'support');
    expect(support).toMatchObject({ id: 'support', private: true, topic: 'Tickets' });
    expect((await store.listMembers('support')).map((m) => [m.user.id, m.membership.role])).toEqual([
      ['alice', 'member'],
      ['dave', 'owner'],
      ['user_erin', 'admin'],
    ]);
    expect(await store.getRoom('dm-dave-erin')).toMatchObject({ kind: 'direct', private: true });
    const messages = await store.listMessages('support', { limit: 10 });
    expect(messages.map((m) => [m.senderId, m.content, m.createdAt])).toEqual([
      ['dave', 'Welcome to support', expect.any(String)],
      ['user_erin', 'Thanks!', '2025-01-15T10:30:00.000Z'],
    ]);
    // Loading the same file again changes nothing.
    expect(await loadSeedFile(store, GOOD)).toEqual({ users: 0, rooms: 0, memberships: 0, messages: 0 });
  });

  it('reports YAML syntax errors with their line', async () => {
    const store = await openTestStore();
    const error = await refusal(loadSeedFile(store, 'users:\n  - username: a\n  - [unclosed\n'));
    expect(error.message).toMatch(/^seed file is not valid YAML: \(file\): line \d+:/);
  });

  it('names the path and line of each entry with the wrong shape', async () => {
    const store = await openTestStore();
    const yaml = [
      'users:',
      '  - username: ok',
      '  - username: bad',
      '    role: superuser',
      'rooms:',
      '  - name: fine',
      '    members: [ok]',
      '  - kind: lounge',
      '    name: x',
      '    colour: red',
      'messages:',
      '  - { room: fine, from: ok }',
    ].join('\n');
    const error = await refusal(loadSeedFile(store, yaml));
    expect(error.message).toMatch(/^seed file does not have the expected shape: /);
    expect(error.message).toContain(
      'users[1].role: Invalid option: expected one of "member"|"admin" (line 4)',
    );
    expect(error.message).toMatch(/rooms\[1\]\.kind: .* \(line 8\)/);
    expect(error.message).toMatch(/rooms\[1\]: Unrecognized key: "colour" \(line 8\)/);
    expect(error.message).toMatch(/messages\[0\]\.content: .*expected string/);
    expect(error.issues?.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        ['users', 1, 'role'],
        ['rooms', 1, 'kind'],
        ['messages', 0, 'content'],
      ]),
    );
    expect(await store.getUser('ok')).toBeUndefined();
  });

  it('refuses references to users and rooms that exist nowhere, writing nothing', async () => {
    const store = await openTestStore();
    const yaml = [
      'users:',
      '  - username: frank',
      'rooms:',
      '  - name: ops',
      '    members: [frank, ghost]',
      '  - { kind: direct, id: dm, members: [frank, frank2] }',
      'messages:',
      '  - { room: nowhere, from: frank, content: hi }',
      '  - { room: ops, from: phantom, content: boo }',
    ].join('\n');
    const error = await refusal(loadSeedFile(store, yaml));
    expect(error.message).toMatch(/^seed file refers to things that do not exist: /);
    expect(error.issues?.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'rooms.0.members.1: no user "ghost" in this file or the store (line 5)',
      'rooms.1.members.1: no user "frank2" in this file or the store (line 6)',
      'messages.0.room: no room "nowhere" in this file or the store (line 8)',
      'messages.1.from: no user "phantom" in this file or the store (line 9)',
    ]);
    expect(await store.getUser('frank')).toBeUndefined();
    expect(await store.getRoomByName('channel', 'ops')).toBeUndefined();
  });

  it('refuses a username another user already holds, and rooms it cannot create', async () => {
    const store = await openTestStore();
    await seedDemo(store);
    const error = await refusal(
      loadSeedFile(store, 'users:\n  - { id: alice2, username: alice }\nrooms:\n  - { name: empty }\n'),
    );
    expect(error.message).toContain('users[0].username: username "alice" is taken by user alice (line 2)');
    expect(error.message).toContain('rooms[0].members: a new room needs at least one member');
    expect(await store.getUser('alice2')).toBeUndefined();
  });
});
