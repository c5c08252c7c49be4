/** A real server on port 0 with its own data folder (clients connect through `kit.ts`). */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type RunningServer, type ServerOptions, startServer } from '../../server/app.js';
import { createLogger } from '../../server/log.js';

const RATE_CLASSES = ['message', 'typing', 'reaction', 'call', 'broadcast'];

export const SECRET = 'integration-test-secret-0123456789abcdef';

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  /** Start a new server on the same data folder (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-it-'));
  const settings: ServerOptions = {
    port: 0,
    dataDir,
    auth: { JWT_SECRET: SECRET },
    logger: createLogger({ level: 'silent' }),
    // Tests send as the same few users in quick succession: limits that cannot run out, unless a test (about
    // rate limits) passes its own domain options.
    domain: {
      rateLimits: Object.fromEntries(RATE_CLASSES.map((c) => [c, { burst: 10_000, perSecond: 10_000 }])),
    },
    ...options,
  };
  const t: TestServer = {
    server: await startServer(settings),
    dataDir,
    async restart() {
      await t.server.close();
      t.server = await startServer(settings);
    },
    async close() {
      await t.server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
