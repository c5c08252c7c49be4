import type { MessengerHandlers } from '../../generated/messenger/server.gen.js';
import { notImplemented } from '../../runtime/index.js';

/** Handlers for the `/messenger` namespace. `parley generate` adds a stub here for each new client event. */
export const messengerHandlers = {
  join_conversations(_payload, _ctx) {
    throw notImplemented('join_conversations');
  },
  send_message(_payload, _ctx) {
    throw notImplemented('send_message');
  },
  typing(_payload, _ctx) {
    throw notImplemented('typing');
  },
  mark_read(_payload, _ctx) {
    throw notImplemented('mark_read');
  },
  edit_message(_payload, _ctx) {
    throw notImplemented('edit_message');
  },
  delete_message(_payload, _ctx) {
    throw notImplemented('delete_message');
  },
} satisfies MessengerHandlers;
