/**
 * The reference server: HTTP and Socket.IO on one port, every namespace of the spec over one chat core, the
 * store and auth chosen from the environment. `parley serve` runs it; tests start it on port 0.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { type AssistantConfig, createAssistant } from './ai/index.js';
import { type Auth, type AuthEnv, authFromEnv } from './auth/index.js';
import { Chat } from './core/chat.js';
import { createDomain, type Domain, type DomainOptions } from './domain/index.js';
import { createLogger, domainLogger, type Logger } from './log.js';
import { mountNamespaces } from './namespaces.js';
import { openStore, seedDemo } from './store/index.js';
import type { KyselyStore } from './store/kysely-store.js';
import { type Cluster, type ClusterConfig, connectCluster } from './transport/cluster.js';
import { corsHandler, corsOptions } from './transport/cors.js';
import { httpRoutes, json, messageRate } from './transport/http.js';
import { resetRoute } from './transport/reset.js';
import { restRoutes } from './transport/rest.js';

/** How often a process of several looks for processes that stopped without closing their connections. */
const SWEEP_MS = 15_000;

export interface ServerOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  host?: string;
  /** SQLite file, development secret and uploads live here. Default `./data`. */
  dataDir?: string;
  /** `postgres://…` for PostgreSQL; unset for the embedded SQLite file. */
  databaseUrl?: string;
  /** `JWT_SECRET`, `JWKS_URL`, `JWT_ISSUER`, `JWT_AUDIENCE`. */
  auth?: AuthEnv;
  /** Also mount this dialect (e.g. `/messenger`) at `/`, so its clients connect without changing their URL. */
  root?: string;
  /** Create the demo workspace (alice, bob, carol, #general, alice-bob) when missing. Default true. */
  demo?: boolean;
  /** Validate what the server emits. Default: on unless NODE_ENV is production. */
  validateOutbound?: boolean;
  /** Largest Socket.IO message, in bytes. Default 1 MB. */
  maxPayloadBytes?: number;
  domain?: DomainOptions;
  logger?: Logger;
  /** The AI assistant's OpenAI-compatible endpoint (`AI_BASE_URL`, `AI_MODEL`, `AI_API_KEY`); unset: none. */
  ai?: AssistantConfig;
  /**
   * Enables the conformance reset hook (`POST /__parley/reset`) for requests carrying this secret in
   * `x-parley-test-secret`. Unset (the default): the route does not exist. Never set it in production: the
   * hook deletes every record.
   */
  testSecret?: string;
  /** Redis for several processes behind one address (`REDIS_URL`); unset: one process, in memory. */
  cluster?: ClusterConfig;
  /**
   * Socket.IO's connection state recovery (`PARLEY_RECOVERY=1`, `parley serve --recovery`). Off by default: it
   * appends an offset argument to every event the server sends, to every client, which the contract does not
   * declare and which breaks clients that are not socket.io-client (README: "The wire: every client gets what
   * the spec says").
   */
  recovery?: boolean;
  /**
   * Origins a browser page may connect and call the REST endpoints from (`PARLEY_CORS_ORIGINS`,
   * `parley serve --cors`): exact origins, or `*` for any. Unset: same-origin only (no CORS headers).
   */
  corsOrigins?: readonly string[];
}

export interface RunningServer {
  url: string;
  port: number;
  http: HttpServer;
  io: Server;
  chat: Chat;
  /** The domain under the chat, for tests and tools that inspect state; adapters go through `chat`. */
  domain: Domain;
  auth: Auth;
  store: KyselyStore;
  log: Logger;
  /** How sockets of other processes are reached: `in-memory adapter (one process)` or the Redis adapter. */
  adapter: string;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger();
  const dataDir = options.dataDir ?? 'data';
  const auth = authFromEnv(options.auth ?? {}, { dataDir });
  const cluster: Cluster | undefined = options.cluster ? await connectCluster(options.cluster) : undefined;
  const store = await openStore({ databaseUrl: options.databaseUrl, dataDir }).catch(async (error) => {
    await cluster?.close();
    throw error;
  });
  if (options.demo !== false) await seedDemo(store);
  const domain = createDomain(store, {
    logger: domainLogger(log),
    ...options.domain,
    ...(cluster ? { connections: cluster.connections } : {}),
  });
  const chat = new Chat(domain, domainLogger(log));

  const http = createServer();
  const cors = corsOptions(options.corsOrigins);
  const io = new Server(http, {
    ...(cors ? { cors } : {}),
    maxHttpBufferSize: options.maxPayloadBytes ?? 1_000_000,
    serveClient: false,
    // With recovery, a client back within two minutes gets its rooms and the packets it missed. Middleware runs
    // again, so the token is checked and the session (presence, rooms) reopened as on a first connection.
    ...(options.recovery
      ? { connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: false } }
      : {}),
    ...(cluster ? { adapter: cluster.adapter } : {}),
  });
  const mounted = mountNamespaces(
    io,
    {
      auth,
      chat,
      log,
      createUnknownUsers: auth.mode === 'jwks',
      ai: createAssistant(options.ai),
      validateOutbound: options.validateOutbound ?? process.env.NODE_ENV !== 'production',
    },
    { root: options.root },
  );
  const rate = messageRate(chat);
  const routes = httpRoutes({ io, chat, log, startedAt: Date.now() }, rate);
  const rest = restRoutes({
    chat,
    auth,
    log,
    dataDir,
    maxUploadBytes: options.domain?.maxUploadBytes,
    createUnknownUsers: auth.mode === 'jwks',
  });
  const reset = options.testSecret
    ? resetRoute({ io, chat, store, auth, log, secret: options.testSecret })
    : undefined;
  const crossOrigin = cors ? corsHandler(cors) : undefined;
  http.on('request', (req, res) => {
    // Socket.IO answers its own path (with the same CORS options); everything else is ours.
    if (req.url?.startsWith('/socket.io/')) return;
    if (crossOrigin?.(req, res)) return;
    if (reset?.(req, res)) return;
    if (rest(req, res)) return;
    if (!routes(req, res))
      json(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 3000, options.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${options.host ?? 'localhost'}:${port}`;
  const adapter = cluster?.description ?? 'in-memory adapter (one process)';
  // Several processes: announce the users a stopped process left online (one process has nothing to sweep).
  const sweeper = cluster
    ? setInterval(() => {
        chat.sweep().catch((error: unknown) => log.warn({ err: error }, 'presence sweep failed'));
      }, SWEEP_MS).unref()
    : undefined;
  log.info(
    { event: 'listening', url, database: store.dialect, verifier: auth.description, adapter },
    'parley is listening',
  );

  return {
    url,
    port,
    http,
    io,
    chat,
    domain,
    auth,
    store,
    log,
    adapter,
    async close() {
      clearInterval(sweeper);
      // Users leave first, while everything still listens: each disconnect announces its user offline through
      // the adapter, so the other processes tell their sockets now rather than at the next sweep.
      for (const nsp of io._nsps.values()) nsp.local.disconnectSockets(true);
      await chat.settled();
      mounted.close();
      rate.close();
      chat.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await chat.settled();
      await cluster?.close();
      await store.close();
    },
  };
}
