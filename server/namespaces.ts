/**
 * Every namespace the server serves. A dialect is its generated `register`, its handlers over the chat core
 * (inbound, `handlers/`), its table of chat events in its wire format (outbound, `outbound/`), which rooms a
 * socket hears, how it tells a rate-limit refusal, and (when the spec names a welcome event) what it says to
 * a socket once authenticated. How a namespace authenticates comes from its contract (`x-parley-auth`).
 */
import type { Namespace, Server, Socket } from 'socket.io';
import { canonicalContract } from '../generated/canonical/contract.gen.js';
import { registerCanonical } from '../generated/canonical/server.gen.js';
import { chatterboxContract } from '../generated/chatterbox/contract.gen.js';
import { registerChatterbox } from '../generated/chatterbox/server.gen.js';
import { helpdeskContract } from '../generated/helpdesk/contract.gen.js';
import { registerHelpdesk } from '../generated/helpdesk/server.gen.js';
import { messengerContract } from '../generated/messenger/contract.gen.js';
import { registerMessenger } from '../generated/messenger/server.gen.js';
import { threadsContract } from '../generated/threads/contract.gen.js';
import { registerThreads } from '../generated/threads/server.gen.js';
import { workspaceContract } from '../generated/workspace/contract.gen.js';
import { registerWorkspace } from '../generated/workspace/server.gen.js';
import type { NamespaceContract } from '../runtime/contract.js';
import { renderErrorTemplate, unauthenticated } from '../runtime/errors.js';
import type { BindOptions, BoundNamespace, Emitter, HandlerContext } from '../runtime/server.js';
import type { Assistant } from './ai/index.js';
import type { Chat } from './core/chat.js';
import { canonicalHandlers, canonicalWelcome } from './handlers/canonical.js';
import { chatterboxHandlers, chatterboxWelcome } from './handlers/chatterbox.js';
import { helpdeskHandlers } from './handlers/helpdesk.js';
import { messengerHandlers } from './handlers/messenger.js';
import { threadsHandlers } from './handlers/threads.js';
import { workspaceHandlers, workspaceWelcome } from './handlers/workspace.js';
import type { Logger } from './log.js';
import { canonicalEvents, canonicalRateLimited } from './outbound/canonical.js';
import { chatterboxEvents } from './outbound/chatterbox.js';
import { helpdeskEvents } from './outbound/helpdesk.js';
import { messengerEvents } from './outbound/messenger.js';
import { threadsEvents, threadsRateLimited, threadsWelcome } from './outbound/threads.js';
import { workspaceEvents, workspaceRateLimited } from './outbound/workspace.js';
import { type RateLimitNotice, withRateLimitNotice } from './session/limits.js';
import { type Translations, translator } from './session/translate.js';
import type { User } from './store/types.js';
import {
  authenticate,
  connectError,
  type HandshakeDeps,
  type Hears,
  openSession,
  type SessionData,
  tokenFrom,
} from './transport/handshake.js';

export interface MountDeps extends HandshakeDeps {
  chat: Chat;
  log: Logger;
  /** Validate what the server emits (development and tests). */
  validateOutbound: boolean;
  /** The AI assistant (`/chatterbox`'s `ai-message`); unset: every request gets a clear "not configured" error. */
  ai?: Assistant;
}

export interface Dialect<C extends NamespaceContract, H> {
  contract: C;
  register(nsp: Namespace, handlers: H, options?: BindOptions<User>): BoundNamespace<C>;
  handlers(deps: MountDeps): H;
  /** Chat events in the dialect's wire format: one entry per event type. */
  events(emit: Emitter<C>, deps: MountDeps): Translations;
  /** `queued` when a translation looks something up (so that events keep their order). */
  order: 'sync' | 'queued';
  /** Which rooms a socket hears from the session on (the others it subscribes to with the dialect's events). */
  hears: Hears;
  /** The dialect's notice and wording for a rate-limit refusal; unset: the core's error as it is. */
  rateLimited?: RateLimitNotice<HandlerContext<User, C>>;
  /**
   * The payload of the contract's `auth.welcome` event for this user, computed during the handshake (it may
   * read the store) and emitted as the connection opens, before anything else.
   */
  welcome?(user: User, deps: MountDeps): unknown;
}

interface Mounted {
  close(): void;
}

/**
 * Mount every dialect, and the canonical protocol at `/`; `root` mounts that dialect at `/` instead of the
 * canonical protocol (drop-in replacement for its clients).
 */
export function mountNamespaces(io: Server, deps: MountDeps, options: { root?: string } = {}): Mounted {
  const mounted: Mounted[] = [];
  let rootTaken = false;
  const mount = <C extends NamespaceContract, H>(dialect: Dialect<C, H>) => {
    const addresses = [dialect.contract.namespace];
    if (options.root === dialect.contract.namespace && dialect.contract.namespace !== '/') {
      addresses.push('/');
      rootTaken = true;
    }
    for (const address of addresses) mounted.push(mountDialect(io.of(address), deps, dialect));
  };
  mount({
    contract: messengerContract,
    register: registerMessenger,
    handlers: messengerHandlers,
    events: messengerEvents,
    order: 'sync',
    hears: 'member-rooms',
  });
  mount({
    contract: threadsContract,
    register: registerThreads,
    handlers: threadsHandlers,
    events: threadsEvents,
    order: 'sync',
    hears: 'subscriptions',
    rateLimited: threadsRateLimited,
    welcome: threadsWelcome,
  });
  mount({
    contract: chatterboxContract,
    register: registerChatterbox,
    handlers: chatterboxHandlers,
    events: chatterboxEvents,
    order: 'sync',
    hears: 'subscriptions',
    welcome: chatterboxWelcome,
  });
  mount({
    contract: helpdeskContract,
    register: registerHelpdesk,
    handlers: helpdeskHandlers,
    events: helpdeskEvents,
    order: 'sync',
    hears: 'subscriptions',
  });
  mount({
    contract: workspaceContract,
    register: registerWorkspace,
    handlers: workspaceHandlers,
    events: workspaceEvents,
    order: 'queued',
    hears: 'subscriptions',
    rateLimited: workspaceRateLimited,
    welcome: workspaceWelcome,
  });
  if (!rootTaken) {
    mount({
      contract: canonicalContract,
      register: registerCanonical,
      handlers: canonicalHandlers,
      events: canonicalEvents,
      order: 'queued',
      hears: 'member-rooms',
      rateLimited: canonicalRateLimited,
      welcome: canonicalWelcome,
    });
  }
  return {
    close() {
      for (const m of mounted) m.close();
    },
  };
}

export function mountDialect<C extends NamespaceContract, H>(
  nsp: Namespace,
  deps: MountDeps,
  dialect: Dialect<C, H>,
): Mounted {
  const { auth } = dialect.contract;
  let bound: BoundNamespace<C> | undefined;
  if (auth.handshake.length > 0) handshake(nsp, deps, dialect, () => bound?.emitter);
  const inbound = dialect.handlers(deps);
  // Every handler tells a rate-limit refusal the dialect's way (its notice, its wording).
  const handlers = dialect.rateLimited
    ? (withRateLimitNotice(inbound as object, dialect.rateLimited) as H)
    : inbound;
  bound = dialect.register(nsp, handlers, {
    user: (socket, event) => {
      const user = (socket.data as SessionData).user;
      if (user) return user;
      // Only the authentication event itself runs before a session exists; its handler opens the session and
      // does not read `ctx.user`.
      if (event === auth.event) return undefined as unknown as User;
      throw unauthenticated(
        auth.event ? `Not authenticated: emit ${auth.event} with your token first` : 'Not authenticated',
      );
    },
    validateOutbound: deps.validateOutbound,
    onError: (error, { event, socket }) =>
      deps.log.error(
        { err: error, event, nsp: nsp.name, user: (socket.data as SessionData).user?.id },
        'handler failed',
      ),
  });
  const stop = deps.chat.listen(
    translator(dialect.events(bound.emitter, deps), { nsp: nsp.name, log: deps.log, order: dialect.order }),
  );
  return {
    close() {
      stop();
      bound.close();
    },
  };
}

/**
 * Handshake authentication. A refused token is a `connect_error`, unless the spec says the dialect reports it
 * with an event (`auth.reject`): then the connection is accepted, told why, and closed.
 */
function handshake<C extends NamespaceContract, H>(
  nsp: Namespace,
  deps: MountDeps,
  dialect: Dialect<C, H>,
  emitter: () => Emitter<C> | undefined,
): void {
  const { auth } = dialect.contract;
  const refused = new WeakMap<Socket, Error & { data: { code: string; message: string } }>();
  const welcomes = new WeakMap<Socket, unknown>();
  const admit = async (socket: Socket): Promise<void> => {
    const user = await authenticate(deps, tokenFrom(socket, auth.handshake));
    await openSession(deps, socket, user, dialect.hears);
    if (!auth.welcome || !dialect.welcome) return;
    try {
      welcomes.set(socket, await dialect.welcome(user, deps));
    } catch (error) {
      // Refused now, the socket never connects, so its `disconnect` never comes: close the session here.
      await deps.chat.disconnect(user.id, socket.id);
      throw error;
    }
  };
  nsp.use((socket, next) => {
    admit(socket)
      .then(() => next())
      .catch((error: unknown) => {
        let refusal: Error & { data: { code: string; message: string } };
        if (error instanceof Error && 'data' in error) {
          refusal = error as typeof refusal;
          deps.log.info(
            { event: 'connect_error', nsp: nsp.name, reason: refusal.message },
            'handshake refused',
          );
        } else {
          refusal = connectError('INTERNAL', 'The server could not open the session; try again');
          deps.log.error({ err: error, event: 'connect_error', nsp: nsp.name }, 'could not open the session');
        }
        if (!auth.reject) return next(refusal);
        refused.set(socket, refusal);
        next();
      });
  });
  // Registered before `register`'s own listener, so a refused socket is told and closed before anything else.
  nsp.on('connection', (socket) => {
    const refusal = refused.get(socket);
    if (refusal && auth.reject) {
      const vars = {
        code: refusal.data.code,
        message: refusal.data.message,
        event: auth.reject.event,
        issues: [],
      };
      socket.emit(auth.reject.event, renderErrorTemplate(auth.reject.payload, vars));
      socket.disconnect(true);
      return;
    }
    const emit = emitter()?.toSocket(socket).emit as ((event: string, payload: unknown) => void) | undefined;
    // Through the validating emitter: the welcome is checked against the spec like every other emit.
    if (auth.welcome && welcomes.has(socket)) emit?.(auth.welcome, welcomes.get(socket));
  });
}
