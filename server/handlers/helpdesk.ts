import type { HelpdeskContract } from '../../generated/helpdesk/contract.gen.js';
import type { HelpdeskHandlers } from '../../generated/helpdesk/server.gen.js';
import { notImplemented } from '../../runtime/index.js';
import type { Emitter } from '../../runtime/server.js';
import type { ChatEvent } from '../core/events.js';
import type { MountDeps } from '../namespaces.js';
import type { User } from '../store/types.js';

/** The `/helpdesk` dialect over the shared chat core. (Not implemented yet: every event answers NOT_IMPLEMENTED.) */
export function helpdeskHandlers(_deps: MountDeps) {
  return {
    authenticate(_payload, _ctx) {
      throw notImplemented('authenticate');
    },
    join_channel(_payload, _ctx) {
      throw notImplemented('join_channel');
    },
    leave_channel(_payload, _ctx) {
      throw notImplemented('leave_channel');
    },
    'chat:send_message'(_payload, _ctx) {
      throw notImplemented('chat:send_message');
    },
    message_read(_payload, _ctx) {
      throw notImplemented('message_read');
    },
    'chat:typing'(_payload, _ctx) {
      throw notImplemented('chat:typing');
    },
    update_presence(_payload, _ctx) {
      throw notImplemented('update_presence');
    },
    file_uploaded(_payload, _ctx) {
      throw notImplemented('file_uploaded');
    },
    system_broadcast(_payload, _ctx) {
      throw notImplemented('system_broadcast');
    },
    channel_updated(_payload, _ctx) {
      throw notImplemented('channel_updated');
    },
    'call:invite'(_payload, _ctx) {
      throw notImplemented('call:invite');
    },
    'call:accept'(_payload, _ctx) {
      throw notImplemented('call:accept');
    },
    'call:reject'(_payload, _ctx) {
      throw notImplemented('call:reject');
    },
    'call:end'(_payload, _ctx) {
      throw notImplemented('call:end');
    },
    'call:ice_candidate'(_payload, _ctx) {
      throw notImplemented('call:ice_candidate');
    },
    'presence:set_status'(_payload, _ctx) {
      throw notImplemented('presence:set_status');
    },
    'presence:get_online_users'(_payload, _ctx) {
      throw notImplemented('presence:get_online_users');
    },
  } satisfies HelpdeskHandlers<User>;
}

/** Tells `/helpdesk` clients what happened anywhere in the chat, in this dialect's words. */
export function helpdeskEvents(_emit: Emitter<HelpdeskContract>) {
  return (_event: ChatEvent): void => {};
}
