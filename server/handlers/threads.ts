import type { ThreadsHandlers } from '../../generated/threads/server.gen.js';
import { notImplemented } from '../../runtime/index.js';

/** Handlers for the `/threads` namespace. `parley generate` adds a stub here for each new client event. */
export const threadsHandlers = {
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
} satisfies ThreadsHandlers;
