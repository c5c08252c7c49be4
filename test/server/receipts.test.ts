import { describe, expect, it } from 'vitest';
import { type Backend, backends, expectError, openWorld } from './helpers.js';

describe.each(backends)('receipts on $name', (backend: Backend) => {
  it('counts unread per room and marks read up to a message, never backwards', async () => {
    const { domain, clock } = await openWorld(backend);
    clock.advance(1000);
    const sent = [];
    for (const text of ['one', 'two', 'three']) {
      sent.push((await domain.messages.send('alice', { roomId: 'general', content: text })).message);
    }
    await domain.messages.send('bob', { roomId: 'general', content: 'mine' });
    // Unread: the welcome message (sent as bob joined) and alice's three; never bob's own.
    expect(await domain.receipts.unreadCounts('bob')).toEqual({ general: 4, 'alice-bob': 1 });

    const upTo = await domain.receipts.markReadUpTo('bob', 'general', sent[1]?.id);
    expect(upTo).toMatchObject({ messageId: sent[1]?.id, lastReadSeq: sent[1]?.seq, advanced: true });
    expect((await domain.receipts.unreadCounts('bob')).general).toBe(1);

    const back = await domain.receipts.markReadUpTo('bob', 'general', sent[0]?.id);
    expect(back).toMatchObject({ advanced: false, lastReadSeq: sent[1]?.seq });

    const latest = await domain.receipts.markReadUpTo('bob', 'general', null);
    expect(latest.lastReadSeq).toBeGreaterThan(sent[2]?.seq ?? Number.POSITIVE_INFINITY);
    expect(await domain.receipts.unreadCounts('bob')).toEqual({ general: 0, 'alice-bob': 1 });

    const empty = await domain.rooms.create('bob', { kind: 'channel', name: 'empty' });
    expect(await domain.receipts.markReadUpTo('bob', empty.room.id)).toMatchObject({
      messageId: null,
      lastReadSeq: 0,
    });
  });

  it('marks a list of messages read, all or none', async () => {
    const { domain } = await openWorld(backend);
    const ids = [];
    for (const text of ['a', 'b', 'c']) {
      ids.push((await domain.messages.send('alice', { roomId: 'general', content: text })).message.id);
    }
    const dm = (await domain.messages.history('bob', 'alice-bob')).messages[0]?.id as string;

    await expectError(
      domain.receipts.markMessagesRead('bob', 'general', [ids[0] as string, dm]),
      'VALIDATION_FAILED',
      /not in room general; nothing was marked/,
    );
    await expectError(
      domain.receipts.markMessagesRead('bob', 'general', [ids[0] as string, 'msg_x']),
      'NOT_FOUND',
      /msg_x/,
    );
    await expectError(domain.receipts.markMessagesRead('dave', 'general', [ids[0] as string]), 'FORBIDDEN');
    await expectError(domain.receipts.markMessagesRead('bob', 'general', []), 'VALIDATION_FAILED');
    expect((await domain.receipts.unreadCounts('bob')).general).toBe(4); // the welcome message and a, b, c

    const read = await domain.receipts.markMessagesRead('bob', 'general', [
      ids[2] as string,
      ids[0] as string,
    ]);
    expect(read.messageIds).toEqual([ids[2], ids[0]]);
    expect((await domain.receipts.markMessagesRead('bob', 'general', [ids[0] as string])).messageIds).toEqual(
      [],
    );
    expect((await domain.receipts.unreadCounts('bob')).general).toBe(2);
  });
});
