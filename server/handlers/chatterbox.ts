import type { ChatterboxHandlers } from '../../generated/chatterbox/server.gen.js';
import { notImplemented } from '../../runtime/index.js';

/** Handlers for the `/chatterbox` namespace. `parley generate` adds a stub here for each new client event. */
export const chatterboxHandlers = {
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
} satisfies ChatterboxHandlers;
