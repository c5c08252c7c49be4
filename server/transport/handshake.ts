/**
 * Authentication and sessions: who a token names, and the session it opens (presence, the user's rooms). For a
 * handshake token this happens in namespace middleware, before the client sees `connect`, so no event can
 * arrive before its socket is in its rooms.
 *
 * A rejected handshake reaches the client as `connect_error` with `err.message` and
 * `err.data = { code, message }` (the shape the spec documents for every namespace).
 */
import type { Socket } from 'socket.io';
import { isParleyError } from '../../runtime/errors.js';
import type { TokenVerifier } from '../auth/index.js';
import type { Chat } from '../core/chat.js';
import type { Logger } from '../log.js';
import type { User } from '../store/types.js';
import { roomKey, userKey } from './rooms.js';

export interface SessionData {
  user?: User;
}

export interface HandshakeDeps {
  auth: TokenVerifier;
  chat: Chat;
  log: Logger;
  /** Create users the server has not seen (tokens from an external identity provider). */
  createUnknownUsers: boolean;
}

/** Where the handshake may carry the token, in the spec's words (`x-parley-auth.handshake`). */
export type TokenSource = 'auth.token' | 'query.token';

export function tokenFrom(socket: Socket, sources: readonly string[]): string | undefined {
  for (const source of sources) {
    const value =
      source === 'auth.token'
        ? (socket.handshake.auth as { token?: unknown }).token
        : socket.handshake.query.token;
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

export function connectError(
  code: string,
  message: string,
): Error & { data: { code: string; message: string } } {
  return Object.assign(new Error(message), { data: { code, message } });
}

/** Resolve the user a token names; `UNAUTHENTICATED` errors say why (missing, bad signature, expired). */
export async function authenticate(deps: HandshakeDeps, token: string | undefined): Promise<User> {
  if (!token) throw connectError('UNAUTHENTICATED', 'Authentication error: no token; send it as auth.token');
  try {
    const { userId } = await deps.auth.verifyToken(token);
    return await deps.chat.signIn(userId, { create: deps.createUnknownUsers });
  } catch (error) {
    if (isParleyError(error)) {
      const code = error.code === 'NOT_FOUND' ? 'UNAUTHENTICATED' : error.code;
      throw connectError(code, `Authentication error: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Which rooms a socket hears from the session on: every room its user is a member of (`member-rooms`), or only
 * those it subscribes to with the dialect's own events (`subscriptions`). Every socket is in its user's room.
 */
export type Hears = 'member-rooms' | 'subscriptions';

/** Open the session of an authenticated socket: presence, the rooms it hears, and the close that ends both. */
export async function openSession(
  deps: HandshakeDeps,
  socket: Socket,
  user: User,
  hears: Hears,
): Promise<void> {
  (socket.data as SessionData).user = user;
  const { roomIds } = await deps.chat.connect(user.id, socket.id);
  await socket.join([userKey(user.id), ...(hears === 'member-rooms' ? roomIds.map(roomKey) : [])]);
  socket.once('disconnect', () => {
    deps.chat.disconnect(user.id, socket.id).catch((error: unknown) => {
      deps.log.error({ err: error, user: user.id, nsp: socket.nsp.name }, 'session close failed');
    });
  });
  deps.log.info({ event: 'connect', user: user.id, nsp: socket.nsp.name }, 'connected');
}
