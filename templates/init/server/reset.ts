/**
 * The conformance harness's reset hook: `POST /__parley/reset` closes every socket, forgets everything and
 * answers a token per user of the body. Only on with PARLEY_TEST_SECRET set (`npm test` sets it): it deletes
 * everything, so never set it in production. The contract of the hook: the parley-socketio README, "The reset hook".
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Namespace } from 'socket.io';
import { clear } from './store.js';

export const RESET_PATH = '/__parley/reset';

/** `namespaces`: every namespace the server registers (their sockets are closed). */
export function resetHook(namespaces: Namespace[], secret: string | undefined) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    if (secret === undefined || request.method !== 'POST' || request.url !== RESET_PATH) return false;
    const given = Buffer.from(String(request.headers['x-parley-test-secret'] ?? ''));
    const expected = Buffer.from(secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      answer(response, 403, { error: { code: 'FORBIDDEN', message: 'wrong x-parley-test-secret' } });
      return true;
    }
    let body: { users?: { id: string }[] };
    try {
      body = JSON.parse(await readBody(request)) as typeof body;
    } catch {
      answer(response, 400, { error: { code: 'VALIDATION_FAILED', message: 'the body is not JSON' } });
      return true;
    }
    for (const nsp of namespaces) nsp.disconnectSockets(true);
    clear();
    // This server has no authentication yet: a token is the user's id. With x-parley-auth in the spec,
    // sign a valid and an expired token per user here.
    const tokens = Object.fromEntries((body.users ?? []).map((user) => [user.id, user.id]));
    answer(response, 200, { tokens, expiredTokens: tokens });
    return true;
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
