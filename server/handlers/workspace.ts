import type { WorkspaceHandlers } from '../../generated/workspace/server.gen.js';
import { notImplemented } from '../../runtime/index.js';

/** Handlers for the `/workspace` namespace. `parley generate` adds a stub here for each new client event. */
export const workspaceHandlers = {
  join_channel(_payload, _ctx) {
    throw notImplemented('join_channel');
  },
  leave_channel(_payload, _ctx) {
    throw notImplemented('leave_channel');
  },
  send_message(_payload, _ctx) {
    throw notImplemented('send_message');
  },
  edit_message(_payload, _ctx) {
    throw notImplemented('edit_message');
  },
  delete_message(_payload, _ctx) {
    throw notImplemented('delete_message');
  },
  forward_message(_payload, _ctx) {
    throw notImplemented('forward_message');
  },
  add_reaction(_payload, _ctx) {
    throw notImplemented('add_reaction');
  },
  remove_reaction(_payload, _ctx) {
    throw notImplemented('remove_reaction');
  },
  join_conversation(_payload, _ctx) {
    throw notImplemented('join_conversation');
  },
  leave_conversation(_payload, _ctx) {
    throw notImplemented('leave_conversation');
  },
  send_direct_message(_payload, _ctx) {
    throw notImplemented('send_direct_message');
  },
  edit_direct_message(_payload, _ctx) {
    throw notImplemented('edit_direct_message');
  },
  delete_direct_message(_payload, _ctx) {
    throw notImplemented('delete_direct_message');
  },
  add_direct_reaction(_payload, _ctx) {
    throw notImplemented('add_direct_reaction');
  },
  remove_direct_reaction(_payload, _ctx) {
    throw notImplemented('remove_direct_reaction');
  },
  ping(_payload, _ctx) {
    throw notImplemented('ping');
  },
} satisfies WorkspaceHandlers;
