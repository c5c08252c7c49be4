/** `parley serve`, `parley token`, `parley seed`: run the reference server and work with its data. */
import { readFile } from 'node:fs/promises';
import { aiConfigFromEnv, createAssistant } from '../server/ai/index.js';
import { type RunningServer, startServer } from '../server/app.js';
import { type AuthEnv, authFromEnv } from '../server/auth/index.js';
import { rateLimitsFromEnv } from '../server/domain/ratelimit.js';
import { loadSeedFile, openStore } from '../server/store/index.js';
import { parseOrigins } from '../server/transport/cors.js';

export interface ServeFlags {
  port: string;
  data: string;
  root?: string;
  demo: boolean;
  cors?: string;
  recovery: boolean;
}

export async function serve(flags: ServeFlags): Promise<void> {
  const ai = aiConfigFromEnv(process.env);
  let server: RunningServer;
  let origins: string[] | undefined;
  try {
    origins = parseOrigins(flags.cors);
    server = await startServer({
      port: Number(flags.port),
      dataDir: flags.data,
      databaseUrl: process.env.DATABASE_URL,
      auth: authEnv(),
      root: flags.root,
      demo: flags.demo,
      corsOrigins: origins,
      recovery: flags.recovery,
      domain: { rateLimits: rateLimitsFromEnv(process.env.PARLEY_RATE_LIMITS) },
      testSecret: process.env.PARLEY_TEST_SECRET || undefined,
      ai,
      cluster: process.env.REDIS_URL
        ? { url: process.env.REDIS_URL, prefix: process.env.PARLEY_REDIS_PREFIX || undefined }
        : undefined,
    });
  } catch (error) {
    // Nothing listens yet: say why in one line (a stack trace tells a user nothing here) and stop.
    console.error(`parley serve: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  const lines = [
    `Parley is listening on ${server.url}`,
    `  database: ${server.store.dialect === 'sqlite' ? `SQLite in ${flags.data}/` : 'PostgreSQL (DATABASE_URL)'}`,
    `  auth:     ${server.auth.description}`,
    `  AI:       ${createAssistant(ai).description}`,
    `  sockets:  ${server.adapter}`,
    `  CORS:     ${origins ? origins.join(', ') : 'same-origin only (--cors <origins> to allow pages of other origins)'}`,
    `  recovery: ${flags.recovery ? 'on: events carry an offset argument for socket.io-client (--recovery)' : 'off (--recovery to turn it on)'}`,
  ];
  if (server.auth.issueToken)
    lines.push('  a token:  npx parley token alice   (demo users: alice, bob, carol)');
  if (process.env.PARLEY_TEST_SECRET) {
    lines.push(
      '  reset:    POST /__parley/reset is enabled (PARLEY_TEST_SECRET): it deletes every record; never in production',
    );
  }
  if (server.auth.development) {
    lines.push(
      '',
      'warning: development mode: tokens are signed with a generated secret. Set JWT_SECRET (or JWKS_URL) in production.',
    );
  }
  console.log(lines.join('\n'));
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function token(userId: string, flags: { data: string; expires: string }): Promise<void> {
  const auth = authFromEnv(authEnv(), { dataDir: flags.data });
  if (!auth.issueToken) {
    console.error('JWKS_URL is set: tokens come from your identity provider, not from this server.');
    process.exitCode = 1;
    return;
  }
  console.log(await auth.issueToken(userId, { expiresIn: flags.expires }));
}

function authEnv(): AuthEnv {
  const { JWT_SECRET, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ALLOW_NO_EXP } = process.env;
  return { JWT_SECRET, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ALLOW_NO_EXP };
}

export async function seed(file: string, flags: { data: string }): Promise<void> {
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: flags.data });
  try {
    const loaded = await loadSeedFile(store, await readFile(file, 'utf8'));
    console.log(
      `${file}: ${loaded.users} users, ${loaded.rooms} rooms, ${loaded.memberships} memberships, ${loaded.messages} messages loaded.`,
    );
  } finally {
    await store.close();
  }
}
