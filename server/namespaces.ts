/**
 * Every namespace the server serves: its generated `register`, its handlers over the chat core, the translation
 * of chat events into its wire format, and how it authenticates (from the spec's `x-parley-auth`).
 */
import type { Namespace, Server } from 'socket.io';
import { messengerContract } from '../generated/messenger/contract.gen.js';
import { registerMessenger } from '../generated/messenger/server.gen.js';
import type { BindOptions } from '../runtime/server.js';
import type { Chat } from './core/chat.js';
import type { ChatEvent } from './core/events.js';
import { messengerEvents, messengerHandlers } from './handlers/messenger.js';
import type { Logger } from './log.js';
import type { User } from './store/types.js';
import { type HandshakeDeps, handshakeAuth, type SessionData } from './transport/handshake.js';

export interface MountDeps extends HandshakeDeps {
  chat: Chat;
  log: Logger;
  /** Validate what the server emits (development and tests). */
  validateOutbound: boolean;
}

interface Mounted {
  close(): void;
}

/** Mount every dialect; `root` also mounts one of them at `/` (drop-in replacement for its clients). */
export function mountNamespaces(io: Server, deps: MountDeps, options: { root?: string } = {}): Mounted {
  const mounted: Mounted[] = [];
  const at = (address: string) => [io.of(address), ...(options.root === address ? [io.of('/')] : [])];

  for (const nsp of at(messengerContract.namespace)) {
    handshakeAuth(nsp, deps, messengerContract.auth.handshake);
    const bound = registerMessenger(nsp, messengerHandlers(deps), bindOptions(nsp, deps));
    mounted.push(listen(deps.chat, messengerEvents(bound.emitter)), bound);
  }
  return {
    close() {
      for (const m of mounted) m.close();
    },
  };
}

function bindOptions(nsp: Namespace, deps: MountDeps): BindOptions<User> {
  return {
    user: (socket) => {
      const user = (socket.data as SessionData).user;
      if (!user) throw new Error(`socket ${socket.id} on ${nsp.name} has no session user`);
      return user;
    },
    validateOutbound: deps.validateOutbound,
    onError: (error, { event, socket }) =>
      deps.log.error(
        { err: error, event, nsp: nsp.name, user: (socket.data as SessionData).user?.id },
        'handler failed',
      ),
  };
}

function listen(chat: Chat, listener: (event: ChatEvent) => void): Mounted {
  return { close: chat.bus.add(listener) };
}
