/**
 * Cross-origin access for browser pages served from another origin: Socket.IO's handshake (engine.io applies
 * these options to its own path) and the REST endpoints, preflight included (an upload sends `Authorization`,
 * so the browser asks first). The same `cors` package engine.io uses, with the same options, so both agree.
 * No origins: no CORS headers at all, and browsers keep pages of other origins out (same-origin only).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors, { type CorsOptions } from 'cors';

/**
 * The options for `origins` (exact origins like `https://chat.example.com`, or `*` for any page); `undefined`
 * when there are none.
 */
export function corsOptions(origins: readonly string[] | undefined): CorsOptions | undefined {
  if (!origins || origins.length === 0) return undefined;
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST'],
    // Tokens travel in `Authorization` (REST) or the handshake's `auth` (Socket.IO), never in cookies.
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  };
}

/** `https://a.example, https://b.example` (`PARLEY_CORS_ORIGINS`, `--cors`) as a list; empty entries dropped. */
export function parseOrigins(value: string | undefined): string[] | undefined {
  const origins = value
    ?.split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (!origins?.length) return undefined;
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(
        `"${origin}" is not an origin: give scheme, host and port only (https://chat.example.com), or * for any`,
      );
    }
  }
  return origins;
}

/**
 * Adds the CORS headers to a response for an allowed origin, and answers a preflight (`OPTIONS`) itself:
 * `true` when the request was answered.
 */
export function corsHandler(options: CorsOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const apply = cors(options);
  return (req, res) => {
    let answered = true;
    // With these static options the middleware runs synchronously: it calls next() unless it ended a preflight.
    apply(req, res, () => {
      answered = false;
    });
    return answered;
  };
}
