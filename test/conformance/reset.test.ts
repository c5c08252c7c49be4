/**
 * The reset hook of the reference server (`POST /__parley/reset`), the store's wipe on both backends, and the
 * harness's client of the hook.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedData } from '../../conformance/fixtures.js';
import { ResetFailedError, ResetUnavailableError, resetServer } from '../../conformance/reset.js';
import { seedDemo } from '../../server/store/seed.js';
import { connectAs, startTestServer, type TestServer } from '../integration/kit.js';
import { type Backend, backends, openTestStore, requirePostgresTest } from '../server/helpers.js';
import { TEST_SECRET } from './helpers.js';

const FIXTURE: SeedData = {
  users: [
    { id: 'u1', username: 'ann', avatar: 'https://example.com/ann.png' },
    { id: 'u2', username: 'ben' },
  ],
  rooms: [{ id: 'room_1', kind: 'group', members: ['u1', 'u2'] }],
  messages: [{ id: 'msg_1', room: 'room_1', from: 'u2', content: 'hello' }],
  uploads: [
    { id: 'file_1', owner: 'u1', filename: 'a.txt', path: '17-a.txt', mimeType: 'text/plain', size: 3 },
  ],
};

function post(
  t: TestServer,
  body: unknown,
  headers: Record<string, string> = { 'x-parley-test-secret': TEST_SECRET },
) {
  return fetch(`${t.server.url}/__parley/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('the reset hook', () => {
  let t: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    [t, plain] = await Promise.all([
      startTestServer({ testSecret: TEST_SECRET, domain: {} }),
      startTestServer({ domain: {} }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), plain?.close()]);
  });

  it('does not exist without a test secret', async () => {
    const res = await post(plain, FIXTURE);
    expect(res.status).toBe(404);
    await expect(resetServer(plain.server.url, TEST_SECRET, FIXTURE, 1000)).rejects.toThrow(
      /answered 404: the server has no reset hook, or has it off .*PARLEY_TEST_SECRET.*The reset hook is a test-only route.*--no-reset/,
    );
  });

  it('refuses a missing or wrong secret with 403, and changes nothing', async () => {
    expect((await post(t, FIXTURE, {})).status).toBe(403);
    expect((await post(t, FIXTURE, { 'x-parley-test-secret': `${TEST_SECRET}x` })).status).toBe(403);
    expect(await t.server.store.getUser('alice')).toBeDefined();
    await expect(resetServer(t.server.url, 'wrong', FIXTURE, 1000)).rejects.toBeInstanceOf(
      ResetUnavailableError,
    );
  });

  it('closes every socket, forgets what is in memory, and loads exactly the fixture', async () => {
    const { domain, store, auth } = t.server;
    const alice = await connectAs(t, '/messenger', 'alice');
    const closed = new Promise<string>((resolve) => alice.once('disconnect', resolve));
    await domain.typing.start('alice', 'general', alice.id);
    while (domain.rateLimiter.take('alice', 'message').allowed);
    expect(await domain.presence.isOnline('alice')).toBe(true);

    const answer = await resetServer(t.server.url, TEST_SECRET, FIXTURE, 5000);

    expect(await closed).toBe('io server disconnect');
    expect(await domain.presence.onlineUsers()).toEqual([]);
    expect(domain.typing.typingIn('general')).toEqual([]);
    expect(domain.rateLimiter.take('alice', 'message')).toMatchObject({ allowed: true, remaining: 9 });
    expect(await store.getUser('alice')).toBeUndefined();
    expect(await store.getRoom('general')).toBeUndefined();
    expect((await store.getUser('u1'))?.avatar).toBe('https://example.com/ann.png');
    expect((await store.listMembers('room_1')).map((m) => [m.user.id, m.membership.role])).toEqual([
      ['u1', 'owner'],
      ['u2', 'member'],
    ]);
    expect(await store.getMessage('msg_1')).toMatchObject({ roomId: 'room_1', senderId: 'u2', seq: 1 });
    expect(await store.getUpload('file_1')).toMatchObject({
      ownerId: 'u1',
      filename: 'a.txt',
      path: '17-a.txt',
    });

    expect(Object.keys(answer.tokens)).toEqual(['u1', 'u2']);
    expect((await auth.verifyToken(answer.tokens.u2)).userId).toBe('u2');
    await expect(auth.verifyToken(answer.expiredTokens.u1)).rejects.toThrow(/expired/);
    // The new tokens open sockets.
    const ann = io(`${t.server.url}/messenger`, {
      auth: { token: answer.tokens.u1 },
      forceNew: true,
      transports: ['websocket'],
    });
    await new Promise<void>((resolve, reject) => {
      ann.once('connect', resolve);
      ann.once('connect_error', reject);
    });
    ann.disconnect();
  });

  it('refuses a fixture the seed loader refuses, saying where, and a body that is not JSON', async () => {
    const res = await post(t, { users: [{ id: 'u1' }], rooms: [{ id: 'r', members: ['nobody'] }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/users\[0\]\.username/);
    expect((await post(t, '{not json')).status).toBe(400);
    await expect(
      resetServer(t.server.url, TEST_SECRET, { messages: [{ room: 'x', from: 'y', content: 'z' }] }, 1000),
    ).rejects.toThrow(ResetFailedError);
  });

  it('tells the harness when the server is not there', async () => {
    await expect(resetServer('http://127.0.0.1:9', TEST_SECRET, {}, 500)).rejects.toThrow(
      /cannot reach .*is the server running/,
    );
  });
});

requirePostgresTest();

describe.each(backends)('Store.reset on $name', (backend: Backend) => {
  it('deletes every record in one go and restarts the sequence', async () => {
    const store = await openTestStore(backend);
    await seedDemo(store);
    const [message] = (await store.listMessages('general', { limit: 10 })).slice(-1);
    await store.addReaction({
      messageId: message!.id,
      userId: 'bob',
      emoji: '👍',
      createdAt: message!.createdAt,
    });
    await store.addMessageReads('bob', [message!.id], message!.createdAt);
    await store.advanceReadState('general', 'bob', message!.seq, message!.createdAt);
    await store.createUpload({
      id: 'up',
      ownerId: 'alice',
      filename: 'a',
      mimeType: 'text/plain',
      size: 1,
      path: 'a',
      createdAt: message!.createdAt,
    });

    await store.reset();

    for (const table of [
      'users',
      'rooms',
      'memberships',
      'messages',
      'reactions',
      'read_states',
      'message_reads',
      'uploads',
    ] as const) {
      const rows = await store.db.selectFrom(table).selectAll().execute();
      expect(rows, table).toEqual([]);
    }
    expect(await seedDemo(store)).toEqual({ users: 3, rooms: 2, memberships: 5, messages: 2 });
    const seqs = (await store.listMessages('general', { limit: 10 })).map((m) => m.seq);
    expect(seqs).toEqual([1]);
  });
});
