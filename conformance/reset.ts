/**
 * The client side of the reset hook (README, "Conformance"): `POST <url>/__parley/reset` with the secret and
 * the case's data; the server answers with a valid and an expired token for every user.
 */
import { z } from 'zod';
import type { SeedData } from './fixtures.js';

export const RESET_PATH = '/__parley/reset';
export const SECRET_HEADER = 'x-parley-test-secret';

const ResetAnswerSchema = z.object({
  tokens: z.record(z.string(), z.string().min(1)),
  expiredTokens: z.record(z.string(), z.string().min(1)),
});
export type ResetAnswer = z.output<typeof ResetAnswerSchema>;

/** What the hook is, where it is specified, and what to do without it. */
export const HOOK_HELP =
  `The reset hook is a test-only route, POST ${RESET_PATH}, with which the harness empties the server, loads each ` +
  "case's data and gets a token per user before the case runs: see the README of parley-socketio, " +
  '"Conformance" › "The reset hook" (`parley init` writes one). Implement it, or run only the cases that need ' +
  'none: --no-reset (with --token <user>=<token> when the spec has authentication).';

/** The hook cannot be used at all (no route, wrong secret, no server): no case can run. */
export class ResetUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResetUnavailableError';
  }
}

/** The hook refused this fixture, or answered something else than the contract says. */
export class ResetFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResetFailedError';
  }
}

export async function resetServer(
  url: string,
  secret: string | undefined,
  data: SeedData,
  timeoutMs: number,
): Promise<ResetAnswer> {
  const endpoint = new URL(RESET_PATH, url).href;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { [SECRET_HEADER]: secret } : {}) },
      body: JSON.stringify(data),
      signal: AbortSignal.timeout(Math.max(timeoutMs, 5000)),
    });
  } catch (error) {
    // A Socket.IO server that serves nothing else may leave the request unanswered: tell that from no server.
    if (await answersSocketIo(url)) {
      throw new ResetUnavailableError(
        `${url} answers Socket.IO, but POST ${endpoint} did not answer (${fetchFailure(error)}): the server has no reset hook. ${HOOK_HELP}`,
      );
    }
    throw new ResetUnavailableError(
      `cannot reach ${endpoint} (${fetchFailure(error)}): is the server running at ${url}?`,
    );
  }
  const text = await response.text();
  if (response.status === 404) {
    throw new ResetUnavailableError(
      `${endpoint} answered 404: the server has no reset hook, or has it off (the reference server turns it on ` +
        `with PARLEY_TEST_SECRET; pass the same value as --secret). ${HOOK_HELP}`,
    );
  }
  if (response.status === 403) {
    throw new ResetUnavailableError(
      `${endpoint} answered 403: the secret was refused. Pass the server's PARLEY_TEST_SECRET as --secret.`,
    );
  }
  if (!response.ok) {
    throw new ResetFailedError(`${endpoint} answered ${response.status}: ${errorText(text)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ResetFailedError(`${endpoint} answered with something else than JSON: ${text.slice(0, 200)}`);
  }
  const parsed = ResetAnswerSchema.safeParse(body);
  if (!parsed.success) {
    throw new ResetFailedError(
      `${endpoint} answered ${text.slice(0, 200)}, not { tokens: { <userId>: <jwt> }, expiredTokens: { ... } }`,
    );
  }
  return parsed.data;
}

function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: show it as it is
  }
  return text.slice(0, 500);
}

/** Whether `url` serves the Engine.IO handshake, as every Socket.IO server does. */
async function answersSocketIo(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/socket.io/?EIO=4&transport=polling', url), {
      signal: AbortSignal.timeout(2000),
    });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/** Why `fetch` failed, briefly: the socket error's code (`ECONNREFUSED`) where there is one. */
export function fetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
