/**
 * Named permissions and who has them: a workspace role grants some everywhere, a role in a room adds some in
 * that room only. `/helpdesk` speaks of permissions on its wire (`Missing permission: …`); the grants are the
 * chat's, so they live here, once.
 *
 * | permission             | member | admin | room admin/owner |
 * |------------------------|--------|-------|------------------|
 * | `chat.access`          | yes    | yes   |                  |
 * | `chat.send_messages`   | yes    | yes   |                  |
 * | `chat.create_channels` | yes    | yes   |                  |
 * | `call.audio`           | yes    | yes   |                  |
 * | `call.video`           | yes    | yes   |                  |
 * | `chat.manage_channels` | no     | yes   | in that room     |
 * | `chat.send_broadcasts` | no     | yes   |                  |
 */
import { forbidden } from '../../runtime/errors.js';
import type { RoomRole, User, WorkspaceRole } from '../store/types.js';

export type Permission =
  | 'chat.access'
  | 'chat.send_messages'
  | 'chat.create_channels'
  | 'chat.manage_channels'
  | 'chat.send_broadcasts'
  | 'call.audio'
  | 'call.video';

const EVERY_USER: readonly Permission[] = [
  'chat.access',
  'chat.send_messages',
  'chat.create_channels',
  'call.audio',
  'call.video',
];

/** What each workspace role may do everywhere. */
export const WORKSPACE_PERMISSIONS: Readonly<Record<WorkspaceRole, readonly Permission[]>> = {
  member: EVERY_USER,
  admin: [...EVERY_USER, 'chat.manage_channels', 'chat.send_broadcasts'],
};

/** What a role in one room adds, in that room only: its admins and owners manage it. */
export const ROOM_PERMISSIONS: Readonly<Record<RoomRole, readonly Permission[]>> = {
  member: [],
  admin: ['chat.manage_channels'],
  owner: ['chat.manage_channels'],
};

/** Throws `FORBIDDEN` (`Missing permission: …`) unless the user's workspace role (or room role) grants it. */
export function requirePermission(
  user: Pick<User, 'role'>,
  permission: Permission,
  roomRole?: RoomRole,
): void {
  const granted =
    WORKSPACE_PERMISSIONS[user.role].includes(permission) ||
    (roomRole !== undefined && ROOM_PERMISSIONS[roomRole].includes(permission));
  if (!granted) throw forbidden(`Missing permission: ${permission}`);
}
