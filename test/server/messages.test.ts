import { describe, expect, it } from 'vitest';
import { createDomain } from '../../server/domain/index.js';
import { openStore } from '../../server/store/open.js';
import { seedDemo } from '../../server/store/seed.js';
import { type Backend, backends, expectError, openWorld, sqliteBackend } from './helpers.js';

describe.each(backends)('messages on $name', (backend: Backend) => {
  it('sends a message into a room the sender belongs to', async () => {
    const { domain, clock } = await openWorld(backend);
    const { message, duplicate } = await domain.messages.send('alice', {
      roomId: 'general',
      content: '  hi all  ',
    });
    expect(duplicate).toBe(false);
    expect(message).toMatchObject({
      roomId: 'general',
      senderId: 'alice',
      type: 'text',
      content: 'hi all',
      createdAt: new Date(clock.now()).toISOString(),
      editedAt: null,
      deletedAt: null,
    });
    expect(message.id).toMatch(/^msg_[0-9a-z]+$/);
    expect(await domain.store.getMessage(message.id)).toEqual(message);
  });

  it('refuses non-members, and stores nothing', async () => {
    const { domain } = await openWorld(backend);
    await expectError(
      domain.messages.send('dave', { roomId: 'general', content: 'let me in' }),
      'FORBIDDEN',
      /cannot send messages in channel "general" \(general\): you are not a member of it; join it first/,
    );
    await expectError(domain.messages.send('dave', { roomId: 'alice-bob', content: 'psst' }), 'FORBIDDEN');
    await expectError(domain.messages.send('alice', { roomId: 'nowhere', content: 'x' }), 'NOT_FOUND');
    const history = await domain.messages.history('alice', 'general');
    expect(history.messages.map((m) => m.content)).toEqual(['Welcome to Parley! This is #general.']);
  });

  it('enforces the content limit, counting characters, not UTF-16 units', async () => {
    const { store, clock } = await openWorld(backend);
    const domain = createDomain(store, { clock, maxMessageLength: 10 });
    await expectError(
      domain.messages.send('alice', { roomId: 'general', content: 'x'.repeat(11) }),
      'VALIDATION_FAILED',
      /content: is 11 characters long; the limit is 10/,
    );
    await domain.messages.send('alice', { roomId: 'general', content: '😀'.repeat(10) });
    await expectError(
      domain.messages.send('alice', { roomId: 'general', content: '   ' }),
      'VALIDATION_FAILED',
      /empty/,
    );
    await expectError(
      domain.messages.send('alice', { roomId: 'general', content: 'x', type: 'video' as never }),
      'VALIDATION_FAILED',
      /type: expected one of text, image/,
    );
    const defaults = createDomain(store, { clock });
    await defaults.messages.send('alice', { roomId: 'general', content: 'y'.repeat(5000) });
    await expectError(
      defaults.messages.send('alice', { roomId: 'general', content: 'y'.repeat(5001) }),
      'VALIDATION_FAILED',
    );
  });

  it('lets only workspace admins send system messages', async () => {
    const { domain } = await openWorld(backend);
    await expectError(
      domain.messages.send('alice', { roomId: 'general', content: 'maintenance', type: 'system' }),
      'FORBIDDEN',
      /only workspace admins/,
    );
    const { message } = await domain.messages.send('carol', {
      roomId: 'general',
      content: 'maintenance',
      type: 'system',
    });
    expect(message.type).toBe('system');
  });

  it('is idempotent per clientMessageId: a retry returns the stored message, flagged, and stores nothing', async () => {
    const { domain, clock } = await openWorld(backend);
    const first = await domain.messages.send('alice', {
      roomId: 'general',
      content: 'once',
      clientMessageId: 'c-1',
    });
    clock.advance(5000);
    const retry = await domain.messages.send('alice', {
      roomId: 'general',
      content: 'once',
      clientMessageId: 'c-1',
    });
    expect(retry).toEqual({ message: first.message, room: first.room, duplicate: true });
    expect(retry.room).toMatchObject({ id: 'general', kind: 'channel', name: 'general' });
    const other = await domain.messages.send('bob', {
      roomId: 'general',
      content: 'once',
      clientMessageId: 'c-1',
    });
    expect(other.duplicate).toBe(false);
    const contents = (await domain.messages.history('alice', 'general')).messages.map((m) => m.content);
    expect(contents.filter((c) => c === 'once')).toHaveLength(2);

    await expectError(
      domain.messages.send('alice', { roomId: 'alice-bob', content: 'once', clientMessageId: 'c-1' }),
      'CONFLICT',
      /already used for message .* in another room/,
    );
    expect((await domain.messages.history('alice', 'alice-bob')).messages).toHaveLength(1);
  });

  it('checks replies and attachments', async () => {
    const { domain } = await openWorld(backend);
    const dm = (await domain.messages.history('alice', 'alice-bob')).messages[0];
    await expectError(
      domain.messages.send('alice', { roomId: 'general', content: 're', replyToId: dm?.id }),
      'VALIDATION_FAILED',
      /replies stay in the same room/,
    );
    await expectError(
      domain.messages.send('alice', { roomId: 'general', content: 're', replyToId: 'msg_nope' }),
      'NOT_FOUND',
    );
    const reply = await domain.messages.send('bob', {
      roomId: 'alice-bob',
      content: 're',
      replyToId: dm?.id,
    });
    expect(reply.message.replyToId).toBe(dm?.id);

    const upload = await domain.uploads.register('alice', {
      filename: 'cat.png',
      mimeType: 'image/png',
      size: 2048,
      path: 'a/cat.png',
    });
    await expectError(
      domain.messages.send('bob', { roomId: 'general', content: '', attachments: [{ uploadId: upload.id }] }),
      'FORBIDDEN',
      /belongs to another user/,
    );
    const withFile = await domain.messages.send('alice', {
      roomId: 'general',
      content: '',
      type: 'image',
      attachments: [{ uploadId: upload.id }, { url: 'https://example.com/x.pdf', type: 'file' }],
      metadata: { ticket: 'T-1' },
    });
    expect(withFile.message.metadata).toEqual({
      ticket: 'T-1',
      attachments: [
        { uploadId: upload.id, type: 'image', filename: 'cat.png', mimeType: 'image/png', size: 2048 },
        { url: 'https://example.com/x.pdf', type: 'file' },
      ],
    });
    await expectError(
      domain.messages.send('alice', { roomId: 'general', content: 'x', attachments: [{ type: 'file' }] }),
      'VALIDATION_FAILED',
      /attachments\.0: give an uploadId/,
    );
    await expectError(
      domain.messages.send('alice', {
        roomId: 'general',
        content: 'x',
        attachments: Array(11).fill({ url: 'u' }),
      }),
      'VALIDATION_FAILED',
      /at most 10/,
    );
  });

  it('lets only the sender edit, and not after a delete', async () => {
    const { domain, clock } = await openWorld(backend);
    const { message } = await domain.messages.send('alice', { roomId: 'general', content: 'draft' });
    await expectError(
      domain.messages.edit('bob', message.id, 'mine now'),
      'FORBIDDEN',
      /only its sender may edit/,
    );
    await expectError(domain.messages.edit('carol', message.id, 'admin edit'), 'FORBIDDEN');
    expect((await domain.store.getMessage(message.id))?.content).toBe('draft');

    clock.advance(1000);
    const edited = await domain.messages.edit('alice', message.id, 'final');
    expect(edited).toMatchObject({
      content: 'final',
      editedAt: new Date(clock.now()).toISOString(),
      seq: message.seq,
    });
    await expectError(domain.messages.edit('alice', message.id, 'x'.repeat(5001)), 'VALIDATION_FAILED');
    await expectError(domain.messages.edit('alice', 'msg_nope', 'x'), 'NOT_FOUND');

    await domain.messages.delete('alice', message.id);
    await expectError(domain.messages.edit('alice', message.id, 'undo'), 'CONFLICT', /was deleted/);
  });

  it('soft-deletes for the sender or a room admin, keeping the message in history', async () => {
    const { domain } = await openWorld(backend);
    const { message } = await domain.messages.send('alice', {
      roomId: 'general',
      content: 'oops',
      attachments: [{ url: 'https://example.com/a.png' }],
    });
    await expectError(
      domain.messages.delete('bob', message.id),
      'FORBIDDEN',
      /only its sender or an admin of its room/,
    );
    await expectError(domain.messages.delete('dave', message.id), 'FORBIDDEN');
    expect((await domain.store.getMessage(message.id))?.deletedAt).toBeNull();

    const byOwner = await domain.messages.delete('carol', message.id, {
      placeholder: '[removed by a moderator]',
    });
    expect(byOwner.deleted).toBe(true);
    expect(byOwner.message).toMatchObject({
      content: '[removed by a moderator]',
      metadata: null,
      id: message.id,
    });
    expect(byOwner.message.deletedAt).not.toBeNull();
    const again = await domain.messages.delete('alice', message.id);
    expect(again).toEqual({ message: byOwner.message, deleted: false });

    const history = await domain.messages.history('bob', 'general');
    expect(history.messages.map((m) => m.id)).toContain(message.id);

    const own = await domain.messages.send('bob', { roomId: 'general', content: 'bye' });
    expect((await domain.messages.delete('bob', own.message.id)).message.content).toBe(
      'This message was deleted',
    );
  });

  it('forwards what the user can see into rooms they belong to', async () => {
    const { domain } = await openWorld(backend);
    const dm = (await domain.messages.history('alice', 'alice-bob')).messages[0];
    if (!dm) throw new Error('the demo conversation has a message');
    const fwd = await domain.messages.forward('bob', dm.id, 'general');
    expect(fwd.message).toMatchObject({
      roomId: 'general',
      senderId: 'bob',
      content: dm.content,
      forwardedFromId: dm.id,
    });
    const again = await domain.messages.forward('alice', fwd.message.id, 'alice-bob');
    expect(again.message.forwardedFromId).toBe(dm.id);

    await expectError(
      domain.messages.forward('dave', dm.id, 'general'),
      'FORBIDDEN',
      /private to its members/,
    );
    await expectError(domain.messages.forward('alice', fwd.message.id, 'nowhere'), 'NOT_FOUND');
    const dave = await domain.rooms.create('dave', { kind: 'channel', name: 'daves' });
    await expectError(domain.messages.forward('alice', dm.id, dave.room.id), 'FORBIDDEN', /not a member/);
    await domain.messages.delete('alice', dm.id);
    await expectError(domain.messages.forward('bob', dm.id, 'general'), 'CONFLICT', /deleted/);
  });

  it('pages history with before/after cursors', async () => {
    const { domain } = await openWorld(backend);
    for (let i = 1; i <= 7; i++) await domain.messages.send('alice', { roomId: 'general', content: `m${i}` });
    const collected: string[] = [];
    let page = await domain.messages.history('bob', 'general', { limit: 3 });
    collected.unshift(...page.messages.map((m) => m.content));
    while (page.hasMore) {
      page = await domain.messages.history('bob', 'general', { limit: 3, before: page.messages[0]?.seq });
      collected.unshift(...page.messages.map((m) => m.content));
    }
    expect(collected).toEqual([
      'Welcome to Parley! This is #general.',
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
    ]);

    const first = await domain.messages.history('bob', 'general', { limit: 2, after: 0 });
    expect(first.messages.map((m) => m.content)).toEqual(['Welcome to Parley! This is #general.', 'm1']);
    expect(first.hasMore).toBe(true);
    const rest = await domain.messages.history('bob', 'general', {
      limit: 100,
      after: first.messages[1]?.seq,
    });
    expect(rest).toMatchObject({ hasMore: false });
    expect(rest.messages).toHaveLength(6);

    await expectError(
      domain.messages.history('bob', 'general', { limit: 101 }),
      'VALIDATION_FAILED',
      /between 1 and 100/,
    );
    await expectError(domain.messages.history('bob', 'general', { before: -1 }), 'VALIDATION_FAILED');
    await expectError(domain.messages.history('dave', 'alice-bob'), 'FORBIDDEN');
    expect((await domain.messages.history('dave', 'general', { limit: 1 })).messages[0]?.content).toBe('m7');
  });

  it("catches up on everything sent, edited or deleted in the user's rooms since a cursor", async () => {
    const { domain } = await openWorld(backend);
    const start = await domain.messages.catchUp('bob', { cursor: 0 });
    expect(start.messages.map((m) => m.roomId).sort()).toEqual(['alice-bob', 'general']);
    const cursor = start.cursor;

    const a = await domain.messages.send('alice', { roomId: 'general', content: 'while you were away' });
    const b = await domain.messages.send('alice', { roomId: 'alice-bob', content: 'ping' });
    const elsewhere = await domain.rooms.create('alice', { kind: 'channel', name: 'elsewhere' });
    await domain.messages.send('alice', { roomId: elsewhere.room.id, content: 'not for bob' });
    await domain.messages.edit('alice', a.message.id, 'while you were out');

    const caught = await domain.messages.catchUp('bob', { cursor });
    expect(caught.messages.map((m) => [m.id, m.content])).toEqual([
      [b.message.id, 'ping'],
      [a.message.id, 'while you were out'],
    ]);
    expect(caught.hasMore).toBe(false);
    expect(await domain.messages.catchUp('bob', { cursor: caught.cursor })).toEqual({
      messages: [],
      cursor: caught.cursor,
      hasMore: false,
    });

    const paged = await domain.messages.catchUp('bob', { cursor, limit: 1 });
    expect(paged).toMatchObject({ hasMore: true, cursor: b.message.changeSeq });
    await expectError(domain.messages.catchUp('bob', { cursor: 1.5 }), 'VALIDATION_FAILED');
  });
});

describe('messages across a restart', () => {
  it('finds what the domain sent after the store is closed and reopened', async () => {
    const location = sqliteBackend.fresh();
    const first = await openStore(location);
    await seedDemo(first);
    const sent = await createDomain(first).messages.send('alice', {
      roomId: 'general',
      content: 'persist me',
      clientMessageId: 'p1',
    });
    await first.close();

    const second = await openStore(location);
    try {
      const domain = createDomain(second);
      const history = await domain.messages.history('bob', 'general');
      expect(history.messages.at(-1)).toEqual(sent.message);
      const retry = await domain.messages.send('alice', {
        roomId: 'general',
        content: 'persist me',
        clientMessageId: 'p1',
      });
      expect(retry).toEqual({ message: sent.message, room: sent.room, duplicate: true });
    } finally {
      await second.close();
    }
  });
});
