import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { openStore } from '../../server/store/open.js';
import type { Membership, NewMessage } from '../../server/store/types.js';
import {
  type Backend,
  backends,
  expectError,
  openTestStore,
  requirePostgresTest,
  sqliteBackend,
  tempDir,
} from './helpers.js';

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-01T00:01:00.000Z';

requirePostgresTest();

/** Users a, b, c; room `r` (channel "one") with a and b; room `s` (channel "two") with a only. */
async function fixture(store: KyselyStore) {
  for (const id of ['a', 'b', 'c']) await store.createUser({ id, username: `user-${id}` }, T0);
  const member = (userId: string, role: Membership['role'] = 'member') => ({ userId, role, joinedAt: T0 });
  await store.createRoom({ id: 'r', kind: 'channel', name: 'one', createdBy: 'a', createdAt: T0 }, [
    member('a', 'owner'),
    member('b'),
  ]);
  await store.createRoom({ id: 's', kind: 'channel', name: 'two', createdBy: 'a', createdAt: T0 }, [
    member('a'),
  ]);
}

let counter = 0;
function msg(roomId: string, senderId: string, extra: Partial<NewMessage> = {}): NewMessage {
  counter++;
  return {
    id: `m${counter}`,
    roomId,
    senderId,
    type: 'text',
    content: `hello ${counter}`,
    createdAt: T1,
    ...extra,
  };
}

describe.each(backends)('Store on $name', (backend: Backend) => {
  it('creates, finds and patches users; a taken username is a CONFLICT', async () => {
    const store = await openTestStore(backend);
    const created = await store.createUser(
      { id: 'u1', username: 'alice', displayName: 'Alice', role: 'admin' },
      T0,
    );
    expect(created).toEqual({
      id: 'u1',
      username: 'alice',
      displayName: 'Alice',
      avatar: null,
      role: 'admin',
      status: 'offline',
      statusMessage: null,
      customStatus: null,
      lastSeen: null,
      createdAt: T0,
    });
    expect(await store.getUserByUsername('alice')).toEqual(created);
    await expectError(store.createUser({ id: 'u2', username: 'alice' }, T0), 'CONFLICT', /username|alice/);
    expect(await store.getUser('u2')).toBeUndefined();

    const patched = await store.updateUser('u1', { statusMessage: 'lunch', lastSeen: T1 });
    expect(patched).toMatchObject({
      displayName: 'Alice',
      role: 'admin',
      statusMessage: 'lunch',
      lastSeen: T1,
    });
    expect(await store.updateUser('nobody', { status: 'away' })).toBeUndefined();
    expect((await store.getUsers(['u1', 'nobody'])).map((u) => u.id)).toEqual(['u1']);
  });

  it('creates a room and its members atomically: an unknown member leaves no room behind', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    await expectError(
      store.createRoom({ id: 'x', kind: 'group', createdBy: 'a', createdAt: T0 }, [
        { userId: 'a', role: 'owner', joinedAt: T0 },
        { userId: 'ghost', role: 'member', joinedAt: T0 },
      ]),
      'NOT_FOUND',
    );
    expect(await store.getRoom('x')).toBeUndefined();
  });

  it('keeps room names unique per kind, and lets unnamed rooms be', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    await expectError(
      store.createRoom({ id: 'dup', kind: 'channel', name: 'one', createdBy: 'a', createdAt: T0 }, []),
      'CONFLICT',
    );
    await store.createRoom({ id: 'pub', kind: 'public', name: 'one', createdBy: 'a', createdAt: T0 }, []);
    await store.createRoom({ id: 'g1', kind: 'group', createdBy: 'a', createdAt: T0 }, []);
    await store.createRoom({ id: 'g2', kind: 'group', createdBy: 'a', createdAt: T0 }, []);
    expect((await store.getRoomByName('public', 'one'))?.id).toBe('pub');
    expect((await store.getRoomByName('channel', 'one'))?.id).toBe('r');
    expect(await store.updateRoom('pub', { name: 'two', updatedAt: T1 })).toMatchObject({ name: 'two' });
    await expectError(store.updateRoom('s', { name: 'one', updatedAt: T1 }), 'CONFLICT');
  });

  it('finds the direct room of exactly two users', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const m = (userId: string) => ({ userId, role: 'member' as const, joinedAt: T0 });
    await store.createRoom({ id: 'grp', kind: 'group', createdBy: 'a', createdAt: T0 }, [m('a'), m('b')]);
    expect(await store.findDirectRoom('a', 'b')).toBeUndefined();
    await store.createRoom({ id: 'dm', kind: 'direct', createdBy: 'a', createdAt: T0, private: true }, [
      m('a'),
      m('b'),
    ]);
    expect((await store.findDirectRoom('b', 'a'))?.id).toBe('dm');
    expect((await store.findDirectRoom('a', 'c'))?.id).toBeUndefined();
    expect((await store.getRoom('dm'))?.private).toBe(true);
  });

  it('adds only new memberships and removes only existing ones', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const added = await store.addMemberships([
      { roomId: 'r', userId: 'b', role: 'admin', joinedAt: T1 },
      { roomId: 'r', userId: 'c', role: 'member', joinedAt: T1 },
    ]);
    expect(added.map((m) => m.userId)).toEqual(['c']);
    expect((await store.getMembership('r', 'b'))?.role).toBe('member');
    const members = await store.listMembers('r');
    expect(members.map((m) => [m.user.username, m.membership.role])).toEqual([
      ['user-a', 'owner'],
      ['user-b', 'member'],
      ['user-c', 'member'],
    ]);
    expect(await store.removeMemberships('c', ['r', 's'])).toEqual(['r']);
    expect((await store.listRoomsOfUser('a')).map((r) => [r.room.id, r.membership.role])).toEqual([
      ['r', 'owner'],
      ['s', 'member'],
    ]);
  });

  it('hands out consecutive sequence numbers across rooms', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const seqs = [];
    for (const roomId of ['r', 's', 'r'])
      seqs.push((await store.insertMessage(msg(roomId, 'a'))).message.seq);
    expect(seqs[1]).toBe((seqs[0] as number) + 1);
    expect(seqs[2]).toBe((seqs[0] as number) + 2);
  });

  it('stores a message once per (sender, clientMessageId), even when retries race', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const first = await store.insertMessage(
      msg('r', 'a', { clientMessageId: 'k1', metadata: { attachments: [{ url: 'u' }] } }),
    );
    expect(first.created).toBe(true);
    expect(first.message.metadata).toEqual({ attachments: [{ url: 'u' }] });

    const retry = await store.insertMessage(msg('r', 'a', { clientMessageId: 'k1', content: 'changed' }));
    expect(retry).toEqual({ message: first.message, created: false });

    const racing = await Promise.all(
      Array.from({ length: 5 }, () => store.insertMessage(msg('r', 'b', { clientMessageId: 'k1' }))),
    );
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.message.id)).size).toBe(1);

    // No sequence number was spent on the duplicates.
    const next = await store.insertMessage(msg('r', 'a'));
    expect(next.message.seq).toBe(first.message.seq + 2);
  });

  it('pages history by seq in both directions, oldest first', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push((await store.insertMessage(msg('r', 'a'))).message.seq);
    await store.insertMessage(msg('s', 'a'));
    const page = (q: { before?: number; after?: number; limit: number }) =>
      store.listMessages('r', q).then((messages) => messages.map((m) => m.seq));
    expect(await page({ limit: 2 })).toEqual(seqs.slice(3));
    expect(await page({ before: seqs[3], limit: 2 })).toEqual(seqs.slice(1, 3));
    expect(await page({ after: seqs[0], limit: 2 })).toEqual(seqs.slice(1, 3));
    expect(await page({ after: seqs[0], before: seqs[3], limit: 10 })).toEqual(seqs.slice(1, 3));
  });

  it('moves changeSeq past every seq on update; changes are listed per user in that order', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const m1 = (await store.insertMessage(msg('r', 'a'))).message;
    const m2 = (await store.insertMessage(msg('r', 'b'))).message;
    const hidden = (await store.insertMessage(msg('s', 'a'))).message;
    const edited = await store.updateMessage(m1.id, { content: 'edited', editedAt: T1 });
    expect(edited).toMatchObject({ content: 'edited', editedAt: T1, seq: m1.seq });
    expect(edited?.changeSeq).toBeGreaterThan(hidden.seq);

    const changes = await store.listChangesForUser('b', m1.seq, 10);
    expect(changes.map((m) => m.id)).toEqual([m2.id, m1.id]);
    expect(await store.listChangesForUser('b', edited?.changeSeq ?? 0, 10)).toEqual([]);
    expect((await store.listChangesForUser('a', 0, 10)).map((m) => m.id)).toContain(hidden.id);
    expect(await store.updateMessage('nope', { content: 'x' })).toBeUndefined();
  });

  it('keeps one reaction per user, message and emoji', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const { message } = await store.insertMessage(msg('r', 'a'));
    const react = (userId: string, emoji: string) =>
      store.addReaction({ messageId: message.id, userId, emoji, createdAt: T1 });
    expect(await react('a', '👍')).toBe(true);
    expect(await react('a', '👍')).toBe(false);
    expect(await react('b', '👍')).toBe(true);
    expect(await react('a', '🎉')).toBe(true);
    expect(await store.listReactions(message.id)).toHaveLength(3);
    expect(await store.removeReaction(message.id, 'a', '👍')).toBe(true);
    expect(await store.removeReaction(message.id, 'a', '👍')).toBe(false);
    expect((await store.listReactions(message.id)).map((r) => `${r.userId}${r.emoji}`).sort()).toEqual([
      'a🎉',
      'b👍',
    ]);
  });

  it('moves read cursors forward only and records per-message reads once', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    expect((await store.advanceReadState('r', 'b', 5, T0)).lastReadSeq).toBe(5);
    expect(await store.advanceReadState('r', 'b', 3, T1)).toEqual({
      roomId: 'r',
      userId: 'b',
      lastReadSeq: 5,
      updatedAt: T0,
    });
    expect((await store.advanceReadState('r', 'b', 9, T1)).lastReadSeq).toBe(9);

    const m1 = (await store.insertMessage(msg('r', 'a'))).message;
    const m2 = (await store.insertMessage(msg('r', 'a'))).message;
    expect(await store.addMessageReads('b', [m1.id], T1)).toEqual([m1.id]);
    expect(await store.addMessageReads('b', [m2.id, m1.id, m2.id], T1)).toEqual([m2.id]);
  });

  it('counts unread messages from others, after the cursor, not deleted, not read one by one', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await store.insertMessage(msg('r', 'a'))).message);
    await store.insertMessage(msg('r', 'b')); // b's own message
    expect(await store.unreadCounts('b')).toEqual(new Map([['r', 5]]));
    expect(await store.unreadCounts('a')).toEqual(
      new Map([
        ['r', 1],
        ['s', 0],
      ]),
    );

    await store.advanceReadState('r', 'b', (ids[1] as { seq: number }).seq, T1); // reads 0 and 1
    await store.addMessageReads('b', [(ids[3] as { id: string }).id], T1);
    await store.updateMessage((ids[4] as { id: string }).id, { deletedAt: T1, content: 'gone' });
    expect(await store.unreadCounts('b')).toEqual(new Map([['r', 1]]));

    // What was said before c joined is not news to c.
    await store.addMemberships([
      { roomId: 'r', userId: 'c', role: 'member', joinedAt: '2025-06-01T00:00:00.000Z' },
    ]);
    expect(await store.unreadCounts('c')).toEqual(new Map([['r', 0]]));
  });

  it('stores uploads', async () => {
    const store = await openTestStore(backend);
    await fixture(store);
    const upload = {
      id: 'up1',
      ownerId: 'a',
      filename: 'a.png',
      mimeType: 'image/png',
      size: 1234,
      path: 'a/up1',
      createdAt: T0,
    };
    await store.createUpload(upload);
    expect(await store.getUpload('up1')).toEqual(upload);
    expect(await store.getUpload('up2')).toBeUndefined();
  });

  it('keeps everything across a restart: close, reopen the same database, all data is there', async () => {
    const location = backend.fresh();
    const first = await openStore({ ...location, dropSchemaOnClose: false });
    await fixture(first);
    const sent = (await first.insertMessage(msg('r', 'a', { clientMessageId: 'keep', metadata: { k: 1 } })))
      .message;
    await first.updateMessage(sent.id, { content: 'edited', editedAt: T1 });
    await first.addReaction({ messageId: sent.id, userId: 'b', emoji: '👍', createdAt: T1 });
    await first.advanceReadState('r', 'b', sent.seq, T1);
    await first.addMessageReads('b', [sent.id], T1);
    await first.createUpload({
      id: 'up',
      ownerId: 'a',
      filename: 'f',
      mimeType: 'text/plain',
      size: 1,
      path: 'p',
      createdAt: T0,
    });
    const before = {
      users: await first.getUsers(['a', 'b', 'c']),
      members: await first.listMembers('r'),
      message: await first.getMessage(sent.id),
    };
    await first.close();

    const second = await openStore(location);
    try {
      expect(await second.getUsers(['a', 'b', 'c'])).toEqual(expect.arrayContaining(before.users));
      expect(await second.listMembers('r')).toEqual(before.members);
      expect(await second.getMessage(sent.id)).toEqual(before.message);
      expect((await second.getMessage(sent.id))?.content).toBe('edited');
      expect(await second.listReactions(sent.id)).toHaveLength(1);
      expect((await second.getReadState('r', 'b'))?.lastReadSeq).toBe(sent.seq);
      expect(await second.getUpload('up')).toMatchObject({ filename: 'f' });
      // The idempotency key and the sequence counter survive too.
      expect((await second.insertMessage(msg('r', 'a', { clientMessageId: 'keep' }))).created).toBe(false);
      const next = (await second.insertMessage(msg('r', 'a'))).message;
      expect(next.seq).toBeGreaterThan(before.message?.changeSeq ?? Number.POSITIVE_INFINITY);
    } finally {
      await second.close();
    }
  });
});

describe('openStore', () => {
  it('creates the SQLite file in the data folder, in WAL mode, migrated once', async () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const store = await openTestStore(sqliteBackend, { dataDir, sqliteFile: 'chat.db' });
    expect(existsSync(path.join(dataDir, 'chat.db'))).toBe(true);
    expect(store.dialect).toBe('sqlite');
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
    expect(fk.rows[0]?.foreign_keys).toBe(1);

    await store.close();
    const again = await openTestStore(sqliteBackend, { dataDir, sqliteFile: 'chat.db' });
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db);
    expect(applied.rows.map((row) => row.name)).toEqual(['0001_initial']);
  });

  it('opens an in-memory SQLite database', async () => {
    const store = await openTestStore(sqliteBackend, { sqliteFile: ':memory:' });
    await store.createUser({ id: 'm', username: 'mem' }, T0);
    expect((await store.getUser('m'))?.username).toBe('mem');
  });

  it('makes a sent message visible to a second connection as soon as insertMessage resolves', async () => {
    const options = sqliteBackend.fresh();
    const writer = await openTestStore(sqliteBackend, options);
    const reader = await openTestStore(sqliteBackend, options);
    await fixture(writer);
    const { message } = await writer.insertMessage(msg('r', 'a'));
    expect(await reader.getMessage(message.id)).toEqual(message);
  });

  it('refuses a DATABASE_URL it does not understand instead of falling back to SQLite', async () => {
    await expect(openStore({ databaseUrl: 'mysql://root:pw@db/chat', dataDir: tempDir() })).rejects.toThrow(
      /not supported: expected a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    await expect(openStore({ databaseUrl: 'mysql://root:pw@db/chat' })).rejects.not.toThrow(/pw/);
  });
});
