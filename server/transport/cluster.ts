/**
 * Several server processes behind one address: Socket.IO's Redis Streams adapter carries every room broadcast
 * to the sockets of every process, and keeps the packets a reconnecting client missed (connection state
 * recovery works across processes, which the plain Redis adapter does not offer). Unset: Socket.IO's in-memory
 * adapter, one process.
 */
import type { ServerOptions as IoOptions } from 'socket.io';
import { importOptional } from '../optional.js';
import { RedisConnections } from './redis-connections.js';

export interface ClusterConfig {
  /** `redis://host:6379` (`REDIS_URL`). */
  url: string;
  /**
   * Names the stream, the pub/sub channels and the session keys (`PARLEY_REDIS_PREFIX`, default `parley`):
   * deployments sharing one Redis need one each (pub/sub channels ignore the database number of the URL).
   */
  prefix?: string;
}

export interface Cluster {
  adapter: NonNullable<IoOptions['adapter']>;
  /** Presence's open connections, shared by every process. */
  connections: RedisConnections;
  /** `Redis adapter at redis://host:6379 (prefix parley)`, without the URL's password. */
  description: string;
  /**
   * Unregisters this process from presence and closes the publishing client (the adapter closes its own
   * readers with the server). After every socket's disconnect has been processed.
   */
  close(): Promise<void>;
}

/** How long a reader blocks on the stream: also how long its connection outlives the server's close. */
const BLOCK_MS = 1000;

export async function connectCluster(config: ClusterConfig): Promise<Cluster> {
  const prefix = config.prefix ?? 'parley';
  const purpose = 'Running several processes (REDIS_URL)';
  const { createClient } = await importOptional<typeof import('redis')>('redis', purpose);
  const { createAdapter } = await importOptional<typeof import('@socket.io/redis-streams-adapter')>(
    '@socket.io/redis-streams-adapter',
    purpose,
  );
  let connected = false;
  const client = createClient({
    url: config.url,
    socket: {
      // At start-up a wrong URL fails at once; once connected, a lost connection is retried (up to 5 s apart).
      reconnectStrategy: (retries: number, cause: Error) =>
        connected ? Math.min(100 * 2 ** retries, 5000) : cause,
    },
  });
  let lastError: Error | undefined;
  // Without a listener an error event would crash the process; the client reconnects by itself.
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    const cause = lastError ?? (error as Error);
    if (client.isOpen) client.destroy();
    throw new Error(
      `cannot connect to Redis at ${redacted(config.url)} (REDIS_URL): ${cause.message || cause.name}. Start Redis, fix REDIS_URL, or unset it to run one process without Redis`,
    );
  }
  const adapter = createAdapter(client, {
    streamName: `${prefix}:socket.io`,
    channelPrefix: `${prefix}:socket.io`,
    sessionKeyPrefix: `${prefix}:session:`,
    blockTimeInMs: BLOCK_MS,
  });
  const connections = await RedisConnections.start(client, prefix);
  return {
    adapter,
    connections,
    description: `Redis adapter at ${redacted(config.url)} (prefix ${prefix})`,
    async close() {
      await connections.close().catch(() => {}); // Redis gone: its heartbeat expires by itself
      if (client.isOpen) await client.close();
    },
  };
}

/** The URL without its password, for logs and banners. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return '(an invalid URL)';
  }
}
