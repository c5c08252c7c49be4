/**
 * Lookups that double as authorization checks, shared by the capability modules. Each throws a
 * `ParleyError` whose message says what was refused and why; none writes anything.
 */
import { ParleyError } from '../../runtime/errors.js';
import type { Store } from '../store/store.js';
import type { Membership, Message, Room, RoomRole, User } from '../store/types.js';

/** `room "general" (room_…)`, or just the id for an unnamed conversation. */
export function describeRoom(room: Room): string {
  return room.name === null ? `${room.kind} ${room.id}` : `${room.kind} "${room.name}" (${room.id})`;
}

export async function requireUser(store: Store, userId: string): Promise<User> {
  const user = await store.getUser(userId);
  if (!user) throw new ParleyError('NOT_FOUND', `user ${userId} does not exist`);
  return user;
}

export async function requireRoom(store: Store, roomId: string): Promise<Room> {
  const room = await store.getRoom(roomId);
  if (!room) throw new ParleyError('NOT_FOUND', `room ${roomId} does not exist`);
  return room;
}

export async function requireMessage(store: Store, messageId: string): Promise<Message> {
  const message = await store.getMessage(messageId);
  if (!message) throw new ParleyError('NOT_FOUND', `message ${messageId} does not exist`);
  return message;
}

/** Rooms only their members may see: private ones and every conversation. */
export function isClosed(room: Room): boolean {
  return room.private || room.kind === 'direct' || room.kind === 'group';
}

export function isModerator(role: RoomRole | undefined): boolean {
  return role === 'admin' || role === 'owner';
}

export interface RoomAccess {
  room: Room;
  membership: Membership;
}

/** The user's membership of the room; `action` completes "cannot … in room X". */
export async function requireMember(
  store: Store,
  userId: string,
  roomId: string,
  action: string,
): Promise<RoomAccess> {
  const room = await requireRoom(store, roomId);
  const membership = await store.getMembership(room.id, userId);
  if (!membership) {
    throw new ParleyError(
      'FORBIDDEN',
      `cannot ${action} in ${describeRoom(room)}: you are not a member of it${isClosed(room) ? '' : '; join it first'}`,
    );
  }
  return { room, membership };
}

/** Anyone may read an open room; a closed one only its members. */
export async function requireReadable(
  store: Store,
  userId: string,
  roomId: string,
  action: string,
): Promise<{ room: Room; membership: Membership | undefined }> {
  const room = await requireRoom(store, roomId);
  const membership = await store.getMembership(room.id, userId);
  if (!membership && isClosed(room)) {
    throw new ParleyError(
      'FORBIDDEN',
      `cannot ${action} ${describeRoom(room)}: it is private to its members`,
    );
  }
  return { room, membership };
}
