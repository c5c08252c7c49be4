/**
 * Presence shared by several server processes: each user's open connections and session status in Redis,
 * changed by Lua scripts so that "first connection" and "last connection" are decided once across processes.
 * A process that dies without closing its sockets leaves its connections behind: every process keeps a
 * heartbeat key alive, and a sweep forgets the connections of processes whose heartbeat expired.
 *
 * Keys (under `<prefix>:presence:`): `user:<id>` a hash of `status` and one `c:<server>:<connection>` field per
 * connection; `online` the set of users with one; `servers` the known processes; `alive:<server>` a heartbeat;
 * `conns:<server>` what each process has open (`<user>\n<connection>`).
 */
import { randomBytes } from 'node:crypto';
import type { createClient } from 'redis';
import type { ConnectionRegistry, OnlineEntry } from '../domain/connections.js';
import type { PresenceStatus } from '../store/types.js';

type RedisClient = ReturnType<typeof createClient>;

/** How often a process renews its heartbeat, and how long one lasts without renewal. */
const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TTL_MS = 15_000;

const ADD = `
redis.call('HSETNX', KEYS[1], 'status', 'online')
redis.call('HSET', KEYS[1], ARGV[1], '1')
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
return {redis.call('HLEN', KEYS[1]) - 1, redis.call('HGET', KEYS[1], 'status')}`;

const REMOVE = `
redis.call('SREM', KEYS[3], ARGV[3])
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
local count = redis.call('HLEN', KEYS[1])
if count > 0 then count = count - 1 end
if removed == 1 and count == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[2])
end
return {removed, count}`;

const SET_STATUS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1])
return 1`;

export class RedisConnections implements ConnectionRegistry {
  /** This process, in connection fields. */
  readonly serverId = randomBytes(6).toString('hex');
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {
    this.heartbeat = setInterval(() => {
      this.beat().catch(() => {}); // the client reconnects; a missed beat is renewed by the next one
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Registers this process (its first heartbeat) and returns the registry. */
  static async start(client: RedisClient, prefix: string): Promise<RedisConnections> {
    const registry = new RedisConnections(client, `${prefix}:presence:`);
    await registry.client.sAdd(registry.key('servers'), registry.serverId);
    await registry.beat();
    return registry;
  }

  async add(userId: string, connectionId: string): Promise<OnlineEntry> {
    const [count, status] = (await this.run(ADD, userId, this.serverId, connectionId)) as [number, string];
    return { count, status: status as PresenceStatus };
  }

  async remove(userId: string, connectionId: string): Promise<{ removed: boolean; count: number }> {
    return this.removeOf(this.serverId, userId, connectionId);
  }

  async get(userId: string): Promise<OnlineEntry | undefined> {
    return entryOf(await this.client.hGetAll(this.key(`user:${userId}`)));
  }

  async setStatus(userId: string, status: PresenceStatus): Promise<boolean> {
    const set = await this.client.sendCommand(['EVAL', SET_STATUS, '1', this.key(`user:${userId}`), status]);
    return Number(set) === 1;
  }

  async online(): Promise<Map<string, OnlineEntry>> {
    const users = await this.client.sMembers(this.key('online'));
    const hashes = await Promise.all(users.map((id) => this.client.hGetAll(this.key(`user:${id}`))));
    const out = new Map<string, OnlineEntry>();
    users.forEach((id, i) => {
      const entry = entryOf(hashes[i] ?? {});
      if (entry) out.set(id, entry);
    });
    return out;
  }

  async sweep(): Promise<string[]> {
    const gone: string[] = [];
    for (const server of await this.client.sMembers(this.key('servers'))) {
      if (server === this.serverId || (await this.client.exists(this.key(`alive:${server}`))) === 1) continue;
      for (const member of await this.client.sMembers(this.key(`conns:${server}`))) {
        const [userId = '', connectionId = ''] = member.split('\n');
        const { removed, count } = await this.removeOf(server, userId, connectionId);
        if (removed && count === 0) gone.push(userId);
      }
      await this.client.del(this.key(`conns:${server}`));
      await this.client.sRem(this.key('servers'), server);
    }
    return gone;
  }

  async clear(): Promise<void> {
    const keys: string[] = [];
    for await (const batch of this.client.scanIterator({ MATCH: `${this.prefix}*`, COUNT: 500 })) {
      keys.push(...batch);
    }
    if (keys.length > 0) await this.client.del(keys);
    await this.client.sAdd(this.key('servers'), this.serverId);
    await this.beat();
  }

  /** Stops the heartbeat and unregisters this process (its connections are gone by now). */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    if (!this.client.isOpen) return;
    await this.client.del([this.key(`alive:${this.serverId}`), this.key(`conns:${this.serverId}`)]);
    await this.client.sRem(this.key('servers'), this.serverId);
  }

  /** Stops the heartbeat without unregistering: what a killed process leaves behind (for tests). */
  abandon(): void {
    clearInterval(this.heartbeat);
  }

  private async beat(): Promise<void> {
    await this.client.set(this.key(`alive:${this.serverId}`), '1', { PX: HEARTBEAT_TTL_MS });
  }

  private async removeOf(
    server: string,
    userId: string,
    connectionId: string,
  ): Promise<{ removed: boolean; count: number }> {
    const [removed, count] = (await this.run(REMOVE, userId, server, connectionId)) as [number, number];
    return { removed: removed === 1, count };
  }

  private run(script: string, userId: string, server: string, connectionId: string): Promise<unknown> {
    return this.client.sendCommand([
      'EVAL',
      script,
      '3',
      this.key(`user:${userId}`),
      this.key('online'),
      this.key(`conns:${server}`),
      `c:${server}:${connectionId}`,
      userId,
      `${userId}\n${connectionId}`,
    ]);
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }
}

/** A user hash as an entry: `undefined` when it holds no connection. */
function entryOf(hash: Record<string, string>): OnlineEntry | undefined {
  const count = Object.keys(hash).filter((field) => field.startsWith('c:')).length;
  if (count === 0) return undefined;
  return { count, status: (hash.status ?? 'online') as PresenceStatus };
}
