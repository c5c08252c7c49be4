/**
 * Two server processes behind one address (here two servers in this process, each with its own Socket.IO
 * server, sharing one SQLite file and one Redis): what alice does on server A reaches bob's sockets on server
 * B, in every namespace's wire format, through the Redis Streams adapter.
 *
 * Needs Redis at redis://127.0.0.1:6379 (or PARLEY_TEST_REDIS_URL): skipped with the reason when it is not
 * there, failed instead when PARLEY_REQUIRE_SERVICES=1 (CI).
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnections } from '../../server/transport/redis-connections.js';

import { probeRedis, REDIS_URL, REQUIRE_SERVICES, serviceProblem } from '../services.js';
import {
  closeAll,
  closeSocket,
  connectAs,
  connected,
  emitAck,
  expectQuiet,
  nextEvent,
  serverDrops,
  socketAs,
  startTestServer,
  type TestServer,
} from './kit.js';

const redisProblem = await serviceProblem('the Redis cluster tests', probeRedis);

describe.skipIf(redisProblem !== undefined && !REQUIRE_SERVICES)('two servers over one Redis', () => {
  let a: TestServer;
  let b: TestServer;
  const alice: Record<string, Socket> = {};
  const bob: Record<string, Socket> = {};

  beforeAll(async () => {
    if (redisProblem !== undefined) throw new Error(`${redisProblem} (PARLEY_REQUIRE_SERVICES=1)`);
    // A prefix of its own: parallel runs on one Redis must not hear each other.
    const cluster = { url: REDIS_URL, prefix: `parley-test-${randomBytes(4).toString('hex')}` };
    // Recovery on (`--recovery`): a session cut off from one process resumes on the other.
    a = await startTestServer({ cluster, recovery: true });
    b = await startTestServer({ cluster, dataDir: a.dataDir, recovery: true });
    for (const ns of ['/', '/messenger', '/workspace']) {
      alice[ns] = await connectAs(a, ns, 'alice');
      bob[ns] = await connectAs(b, ns, 'bob');
    }
    // /workspace delivers a channel's messages to the sockets that joined it.
    for (const sockets of [alice, bob]) {
      const joined = nextEvent(sockets['/workspace']!, 'joined_channel');
      sockets['/workspace']!.emit('join_channel', { channelId: 'general' });
      await joined;
    }
  }, 60_000);

  afterAll(async () => {
    await closeAll();
    await b?.close();
    await a?.close();
  });

  it('says which adapter carries the broadcasts', () => {
    expect(a.server.adapter).toMatch(/^Redis adapter at redis:\/\/.+ \(prefix parley-test-[0-9a-f]{8}\)$/);
  });

  it('a message sent on server A reaches bob on server B, in each namespace', async () => {
    const content = 'From server A to server B';
    const arrivals = [
      nextEvent(bob['/']!, 'message:created'),
      nextEvent(bob['/messenger']!, 'receive_message'),
      nextEvent(bob['/workspace']!, 'new_message'),
    ].map((p) => p.then((payload) => JSON.stringify(payload)));
    const ack = await emitAck(alice['/']!, 'message:send', { roomId: 'general', content });
    expect(ack).toMatchObject({ ok: true, data: { message: { content } } });
    for (const arrived of await Promise.all(arrivals)) expect(arrived).toContain(content);
  });

  it('and back: a message sent on server B reaches alice on server A', async () => {
    const content = 'From server B to server A';
    const arrived = nextEvent<{ message: { content: string } }>(alice['/']!, 'message:created');
    bob['/workspace']!.emit('send_message', { channelId: 'general', content });
    expect((await arrived).message.content).toBe(content);
  });

  it('a room event reaches only the room: carol on server B, in no shared room, hears nothing', async () => {
    const carol = await connectAs(b, '/', 'carol');
    const quiet = expectQuiet(carol, ['message:created', 'message:updated', 'message:deleted']);
    const content = 'Only for alice and bob';
    const arrived = nextEvent(bob['/']!, 'message:created');
    await emitAck(alice['/']!, 'message:send', { roomId: 'alice-bob', content });
    await arrived;
    await quiet.verify();
  });

  it('a client cut off from server A recovers its session on server B, with what it missed', async () => {
    const token = await a.server.auth.issueToken!('bob');
    const first = await connected(await socketAs(a, '/', 'bob', { token }));
    // One broadcast received, so that the session has an offset to resume from.
    const seen = nextEvent(first, 'message:created');
    await emitAck(alice['/']!, 'message:send', {
      roomId: 'general',
      content: 'Before the cut',
    });
    await seen;
    const { _pid: pid, _lastOffset: offset } = first as unknown as Session;
    expect(pid).toBeTruthy();
    const gone = serverDrops(first);
    first.io.engine.close(); // the network drops: the server keeps the session
    await gone;
    const missed = 'Sent while bob was away';
    await emitAck(alice['/']!, 'message:send', { roomId: 'general', content: missed });

    // What socket.io-client does when it reconnects, here to the other server.
    const second = io(`${b.server.url}/`, { auth: { token }, transports: ['websocket'], autoConnect: false });
    Object.assign(second as unknown as Session, { _pid: pid, _lastOffset: offset });
    const replayed = nextEvent<{ message: { content: string } }>(second, 'message:created');
    await new Promise<void>((resolve, reject) => {
      second.once('connect', resolve).once('connect_error', reject);
      second.connect();
    });
    try {
      expect(second.recovered).toBe(true);
      expect((await replayed).message.content).toBe(missed);
    } finally {
      second.disconnect();
    }
  });
});

describe.skipIf(redisProblem !== undefined && !REQUIRE_SERVICES)('presence over two servers', () => {
  let a: TestServer;
  let b: TestServer;
  let prefix: string;

  beforeAll(async () => {
    if (redisProblem !== undefined) throw new Error(`${redisProblem} (PARLEY_REQUIRE_SERVICES=1)`);
    prefix = `parley-test-${randomBytes(4).toString('hex')}`;
    a = await startTestServer({ cluster: { url: REDIS_URL, prefix } });
    b = await startTestServer({ cluster: { url: REDIS_URL, prefix }, dataDir: a.dataDir });
    await a.server.domain.users.ensure('frank');
  }, 60_000);

  afterAll(async () => {
    await closeAll();
    await b?.close();
    await a?.close();
  });

  type Presence = { userId: string; status: string };
  const presenceOf = (socket: Socket, userId: string, status: string) =>
    nextEvent<Presence>(socket, 'presence:updated', {
      where: (p) => p.userId === userId && p.status === status,
    });

  it('counts tabs on both servers: online with the first, offline only when the last closes', async () => {
    const bob = await connectAs(b, '/', 'bob');
    const online = presenceOf(bob, 'frank', 'online');
    const onA = await connectAs(a, '/', 'frank');
    await online;
    const onB = await connectAs(b, '/', 'frank');
    const query = await emitAck<{ data: { users: unknown[] } }>(bob, 'presence:query', {});
    expect(query.data.users).toContainEqual(expect.objectContaining({ userId: 'frank', connectionCount: 2 }));

    const quiet = expectQuiet<Presence>(bob, 'presence:updated', { where: (p) => p.userId === 'frank' });
    await closeSocket(onA);
    await quiet.verify();
    expect(await b.server.domain.presence.get('frank')).toMatchObject({
      status: 'online',
      connectionCount: 1,
    });

    const offline = presenceOf(bob, 'frank', 'offline');
    onB.disconnect();
    await offline;
    expect(await a.server.domain.presence.isOnline('frank')).toBe(false);
  });

  it('forgets the connections of a process that died, and says so', async () => {
    const bob = await connectAs(b, '/', 'bob');
    // A third process that registers carol's connection and is then killed: no disconnect, no heartbeat.
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const dead = await RedisConnections.start(client, prefix);
    await dead.add('carol', 'tab-1');
    dead.abandon();
    await client.del(`${prefix}:presence:alive:${dead.serverId}`); // its heartbeat expires
    await client.close();
    expect(await a.server.domain.presence.isOnline('carol')).toBe(true);

    const offline = presenceOf(bob, 'carol', 'offline');
    await a.server.chat.sweep();
    await offline;
    expect(await b.server.domain.presence.isOnline('carol')).toBe(false);
    expect((await b.server.domain.users.get('carol')).lastSeen).not.toBeNull();
  });
});

/** socket.io-client's private session fields, which it sends back on reconnection. */
interface Session {
  _pid?: string;
  _lastOffset?: string;
}
