/**
 * The conformance reset hook (README, "Conformance"): `POST /__parley/reset` with the header
 * `x-parley-test-secret` and a seed document as its JSON body. The server closes every socket, forgets what
 * it keeps in memory (`Chat.reset`: presence, typing, calls, rate-limit buckets, adapters' caches), deletes every record, loads the body with
 * the seed loader and answers `{ tokens, expiredTokens }`: a valid and an expired token for each user of the
 * body, so that the harness can sign in as anyone.
 *
 * Mounted only when the server has a test secret (`PARLEY_TEST_SECRET`); without one the path is a 404 like
 * any unknown route. A missing or wrong secret gets 403; secrets are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'socket.io';
import { isParleyError, ParleyError } from '../../runtime/errors.js';
import type { Auth } from '../auth/index.js';
import type { Chat } from '../core/chat.js';
import type { Logger } from '../log.js';
import { loadSeedData } from '../store/seed.js';
import type { Store } from '../store/store.js';
import { json } from './http.js';

export const RESET_PATH = '/__parley/reset';
export const SECRET_HEADER = 'x-parley-test-secret';
/** Largest fixture body, in bytes. */
const MAX_BODY_BYTES = 1_000_000;
/** How far in the past the expired tokens expired, in seconds (beyond any clock tolerance). */
const EXPIRED_SECONDS_AGO = 3600;

export interface ResetDeps {
  io: Server;
  chat: Chat;
  store: Store;
  auth: Auth;
  log: Logger;
  secret: string;
}

export interface ResetAnswer {
  tokens: Record<string, string>;
  expiredTokens: Record<string, string>;
}

/** The route: `true` when the request was for the hook (and is being answered), `false` otherwise. */
export function resetRoute(deps: ResetDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  // One reset at a time: a second one waits for the first to finish.
  let queue: Promise<void> = Promise.resolve();
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== RESET_PATH) return false;
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('allow', 'POST');
      json(res, 405, { error: { code: 'VALIDATION_FAILED', message: `use POST ${RESET_PATH}` } });
      return true;
    }
    if (!secretMatches(req.headers[SECRET_HEADER], deps.secret)) {
      req.resume();
      json(res, 403, {
        error: { code: 'FORBIDDEN', message: `missing or wrong ${SECRET_HEADER} header` },
      });
      return true;
    }
    queue = queue.then(() => answer(deps, req, res));
    return true;
  };
}

async function answer(deps: ResetDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = await readBody(req);
    if (body === undefined) {
      json(res, 413, {
        error: { code: 'VALIDATION_FAILED', message: `the fixture is larger than ${MAX_BODY_BYTES} bytes` },
      });
      return;
    }
    let fixture: unknown;
    try {
      fixture = body.trim() === '' ? {} : JSON.parse(body);
    } catch (error) {
      json(res, 400, {
        error: { code: 'VALIDATION_FAILED', message: `the body is not JSON: ${(error as Error).message}` },
      });
      return;
    }
    json(res, 200, await resetServer(deps, fixture));
  } catch (error) {
    if (isParleyError(error)) {
      const status = error.code === 'NOT_IMPLEMENTED' ? 501 : error.code === 'INTERNAL' ? 500 : 400;
      json(res, status, { error: { code: error.code, message: error.message, issues: error.issues ?? [] } });
      return;
    }
    deps.log.error({ err: error }, 'reset failed');
    json(res, 500, { error: { code: 'INTERNAL', message: `reset failed: ${(error as Error).message}` } });
  }
}

/**
 * Back to a known state: no sockets, nothing in memory, exactly the records of `fixture` (a seed document).
 * Throws a `ParleyError`: `VALIDATION_FAILED` for a fixture the seed loader refuses (the store is then empty),
 * `NOT_IMPLEMENTED` when this server cannot sign tokens (JWKS mode).
 */
export async function resetServer(deps: ResetDeps, fixture: unknown): Promise<ResetAnswer> {
  const { auth, chat, store } = deps;
  const issue = auth.issueToken;
  if (issue === undefined) {
    throw new ParleyError(
      'NOT_IMPLEMENTED',
      'this server checks tokens from an identity provider (JWKS_URL) and cannot sign test tokens; ' +
        'run conformance with JWT_SECRET (or the development secret) instead',
    );
  }
  for (const nsp of deps.io._nsps.values()) nsp.disconnectSockets(true);
  // The disconnects update presence and last-seen times: let them finish before the records go.
  await chat.settled();
  await chat.reset();
  await store.reset();
  const loaded = await loadSeedData(store, fixture);

  const tokens: Record<string, string> = {};
  const expiredTokens: Record<string, string> = {};
  for (const userId of fixtureUserIds(fixture)) {
    tokens[userId] = await issue(userId);
    expiredTokens[userId] = await issue(userId, { expiresIn: -EXPIRED_SECONDS_AGO });
  }
  deps.log.info({ event: 'reset', ...loaded }, 'state reset for conformance');
  return { tokens, expiredTokens };
}

/** The ids of the fixture's users (`id`, else `username`, as the seed loader reads them). */
function fixtureUserIds(fixture: unknown): string[] {
  const users = (fixture as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return [];
  return users.map((user: { id?: string; username: string }) => user.id ?? user.username);
}

/** Constant-time comparison: both sides are hashed first, so their lengths leak nothing either. */
function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** The body as text, or `undefined` when it is larger than the limit (the rest is read and dropped). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}
