import type { WorkspaceContract } from '../../generated/workspace/contract.gen.js';
import type { WorkspaceHandlers } from '../../generated/workspace/server.gen.js';
import { notImplemented } from '../../runtime/index.js';
import type { Emitter } from '../../runtime/server.js';
import type { ChatEvent } from '../core/events.js';
import type { MountDeps } from '../namespaces.js';
import type { User } from '../store/types.js';

/** The `/workspace` dialect over the shared chat core. (Not implemented yet: every event answers NOT_IMPLEMENTED.) */
export function workspaceHandlers(_deps: MountDeps) {
  return {
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
  } satisfies WorkspaceHandlers<User>;
}

/** Tells `/workspace` clients what happened anywhere in the chat, in this dialect's words. */
export function workspaceEvents(_emit: Emitter<WorkspaceContract>) {
  return (_event: ChatEvent): void => {};
}
