import type { ChatterboxContract } from '../../generated/chatterbox/contract.gen.js';
import type { ChatterboxHandlers } from '../../generated/chatterbox/server.gen.js';
import { notImplemented } from '../../runtime/index.js';
import type { Emitter } from '../../runtime/server.js';
import type { ChatEvent } from '../core/events.js';
import type { MountDeps } from '../namespaces.js';
import type { User } from '../store/types.js';

/** The `/chatterbox` dialect over the shared chat core. (Not implemented yet: every event answers NOT_IMPLEMENTED.) */
export function chatterboxHandlers(_deps: MountDeps) {
  return {
    auth(_payload, _ctx) {
      throw notImplemented('auth');
    },
    'join-room'(_payload, _ctx) {
      throw notImplemented('join-room');
    },
    'leave-room'(_payload, _ctx) {
      throw notImplemented('leave-room');
    },
    'send-room-message'(_payload, _ctx) {
      throw notImplemented('send-room-message');
    },
    'join-conversation'(_payload, _ctx) {
      throw notImplemented('join-conversation');
    },
    'leave-conversation'(_payload, _ctx) {
      throw notImplemented('leave-conversation');
    },
    'send-message'(_payload, _ctx) {
      throw notImplemented('send-message');
    },
    typing(_payload, _ctx) {
      throw notImplemented('typing');
    },
    'stop-typing'(_payload, _ctx) {
      throw notImplemented('stop-typing');
    },
    'mark-read'(_payload, _ctx) {
      throw notImplemented('mark-read');
    },
    heartbeat(_payload, _ctx) {
      throw notImplemented('heartbeat');
    },
    'ai-message'(_payload, _ctx) {
      throw notImplemented('ai-message');
    },
    'ai-stop'(_payload, _ctx) {
      throw notImplemented('ai-stop');
    },
  } satisfies ChatterboxHandlers<User>;
}

/** Tells `/chatterbox` clients what happened anywhere in the chat, in this dialect's words. */
export function chatterboxEvents(_emit: Emitter<ChatterboxContract>) {
  return (_event: ChatEvent): void => {};
}
