/**
 * A process of a cluster that stops gracefully (SIGTERM: `close()`) announces its users offline to the other
 * processes at once, instead of leaving them online until the sweep finds its heartbeat gone.
 *
 * Needs Redis (skipped with the reason without it, failed when PARLEY_REQUIRE_SERVICES=1).
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { probeRedis, REDIS_URL, REQUIRE_SERVICES, serviceProblem } from '../services.js';
import { connectAs, nextEvent, startTestServer, type TestServer } from './kit.js';

const redisProblem = await serviceProblem('the Redis cluster stop test', probeRedis);

type Presence = { userId: string; status: string };

const presence = (socket: Socket, userId: string, status: string, timeoutMs: number) =>
  nextEvent<Presence>(socket, 'presence:updated', {
    where: (p) => p.userId === userId && p.status === status,
    timeoutMs,
  });

describe.skipIf(redisProblem !== undefined && !REQUIRE_SERVICES)('a process that stops gracefully', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => {});
  });

  it('announces its users offline to the other processes at once', async () => {
    if (redisProblem !== undefined) throw new Error(`${redisProblem} (PARLEY_REQUIRE_SERVICES=1)`);
    const cluster = { url: REDIS_URL, prefix: `parley-test-${randomBytes(4).toString('hex')}` };
    const a = await startTestServer({ cluster });
    const b = await startTestServer({ cluster, dataDir: a.dataDir });
    servers.push(b, a);
    const bob = await connectAs(b, '/', 'bob');
    const online = presence(bob, 'alice', 'online', 5000);
    await connectAs(a, '/', 'alice');
    await connectAs(a, '/messenger', 'alice');
    await online;

    // Well before the sweep (every 15 s, and only for a process whose heartbeat is gone).
    const offline = presence(bob, 'alice', 'offline', 3000);
    await a.server.close();
    await offline;
    expect(await b.server.domain.presence.isOnline('alice')).toBe(false);
  });
});
