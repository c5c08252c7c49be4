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
import { startTestServer, type TestServer } from './helpers.js';

const redisProblem = await serviceProblem('the Redis cluster stop test', probeRedis);

type Presence = { userId: string; status: string };

/** Resolves with the first `presence:updated` for `userId` with `status`, or rejects after `ms`. */
function presence(socket: Socket, userId: string, status: string, ms: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${userId} not ${status} within ${ms} ms`)), ms);
    socket.on('presence:updated', (p: Presence) => {
      if (p.userId !== userId || p.status !== status) return;
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

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
    const bob = await b.connect('/', 'bob');
    const online = presence(bob, 'alice', 'online', 5000);
    await a.connect('/', 'alice');
    await a.connect('/messenger', 'alice');
    await online;

    // Well before the sweep (every 15 s, and only for a process whose heartbeat is gone).
    const offline = presence(bob, 'alice', 'offline', 3000);
    await a.server.close();
    await offline;
    expect(await b.server.chat.domain.presence.isOnline('alice')).toBe(false);
  });
});
