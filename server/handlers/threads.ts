import type { ThreadsContract } from '../../generated/threads/contract.gen.js';
import type { ThreadsHandlers } from '../../generated/threads/server.gen.js';
import { notImplemented } from '../../runtime/index.js';
import type { Emitter } from '../../runtime/server.js';
import type { ChatEvent } from '../core/events.js';
import type { MountDeps } from '../namespaces.js';
import type { User } from '../store/types.js';

/** The `/threads` dialect over the shared chat core. (Not implemented yet: every event answers NOT_IMPLEMENTED.) */
export function threadsHandlers(_deps: MountDeps) {
  return {
    'message:send'(_payload, _ctx) {
      throw notImplemented('message:send');
    },
    'message:edit'(_payload, _ctx) {
      throw notImplemented('message:edit');
    },
    'message:delete'(_payload, _ctx) {
      throw notImplemented('message:delete');
    },
    'typing:start'(_payload, _ctx) {
      throw notImplemented('typing:start');
    },
    'typing:stop'(_payload, _ctx) {
      throw notImplemented('typing:stop');
    },
    'presence:update'(_payload, _ctx) {
      throw notImplemented('presence:update');
    },
    'thread:join'(_payload, _ctx) {
      throw notImplemented('thread:join');
    },
    'thread:leave'(_payload, _ctx) {
      throw notImplemented('thread:leave');
    },
    'thread:join_bulk'(_payload, _ctx) {
      throw notImplemented('thread:join_bulk');
    },
    'thread:leave_all'(_payload, _ctx) {
      throw notImplemented('thread:leave_all');
    },
  } satisfies ThreadsHandlers<User>;
}

/** Tells `/threads` clients what happened anywhere in the chat, in this dialect's words. */
export function threadsEvents(_emit: Emitter<ThreadsContract>) {
  return (_event: ChatEvent): void => {};
}
