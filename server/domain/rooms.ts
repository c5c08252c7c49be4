/**
 * Rooms and who is in them. A room is a channel, a conversation (`direct`, `group`), a thread or a public
 * room joined by name; every capability that touches a room asks this module's rules (via `access.ts`).
 *
 * Rules: anyone may create a room and becomes its owner; open rooms can be joined by anyone, closed ones
 * (private rooms, conversations) only by being added by one of their admins; only room admins/owners and
 * workspace admins may change a room; nobody leaves a direct conversation.
 */
import { ParleyError } from '../../runtime/errors.js';
import { newId } from '../store/ids.js';
import type { Member, RoomOfUser, Store } from '../store/store.js';
import {
  type Membership,
  ROOM_KINDS,
  ROOM_ROLES,
  type Room,
  type RoomKind,
  type RoomRole,
} from '../store/types.js';
import { describeRoom, isClosed, isModerator, requireReadable, requireRoom, requireUser } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { checkOneOf, checkText, invalid } from './validation.js';

export interface RoomsOptions {
  clock?: Clock;
  /** Longest room name, in characters. Default 80. */
  maxNameLength?: number;
  /** Most rooms `joinMany` takes at once. Default 100. */
  maxBulk?: number;
}

export interface CreateRoomInput {
  kind: RoomKind;
  /** Required for `channel` and `public`; optional for the others. */
  name?: string | null;
  description?: string | null;
  topic?: string | null;
  /** Only for `channel` and `thread`; conversations are always private, `public` rooms never. */
  private?: boolean;
  /** User ids besides the creator: exactly one for `direct`, at least one for `group`. */
  members?: readonly string[];
}

export interface CreateRoomResult {
  room: Room;
  /** `false` when a `direct` conversation between the two already existed and is returned instead. */
  created: boolean;
  members: Membership[];
}

export interface RoomChanges {
  name?: string;
  description?: string | null;
  topic?: string | null;
}

export interface UpdateRoomResult {
  room: Room;
  /** Only the fields whose value actually changed (empty when nothing did). */
  changes: RoomChanges;
}

export interface JoinResult {
  room: Room;
  membership: Membership;
  /** `false` when the user already was a member: nothing changed. */
  joined: boolean;
}

export interface LeaveResult {
  room: Room;
  /** `false` when the user was not a member: nothing changed. */
  left: boolean;
}

const NAMED_KINDS: readonly RoomKind[] = ['channel', 'public'];

export class Rooms {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly maxNameLength: number;
  private readonly maxBulk: number;

  constructor(store: Store, options: RoomsOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.maxNameLength = options.maxNameLength ?? 80;
    this.maxBulk = options.maxBulk ?? 100;
  }

  async create(actorId: string, input: CreateRoomInput): Promise<CreateRoomResult> {
    const kind = checkOneOf('kind', input.kind, ROOM_KINDS);
    const name = input.name == null ? null : checkText('name', input.name, { max: this.maxNameLength });
    if (name === null && NAMED_KINDS.includes(kind)) throw invalid('name', `a ${kind} needs a name`);
    const description = optionalText('description', input.description, 1000);
    const topic = optionalText('topic', input.topic, 250);
    const others = [...new Set(input.members ?? [])].filter((id) => id !== actorId);

    if (kind === 'direct' && others.length !== 1) {
      throw invalid('members', `a direct conversation has exactly one other member, got ${others.length}`);
    }
    if (kind === 'group' && others.length === 0)
      throw invalid('members', 'a group needs at least one other member');
    if (input.private && (kind === 'public' || kind === 'direct' || kind === 'group')) {
      throw invalid(
        'private',
        `only channels and threads take it: a ${kind} room's privacy is fixed by its kind`,
      );
    }

    await requireUser(this.store, actorId);
    const found = await this.store.getUsers(others);
    const missing = others.filter((id) => !found.some((user) => user.id === id));
    if (missing.length > 0)
      throw new ParleyError('NOT_FOUND', `cannot add ${missing.join(', ')}: no such user`);

    if (kind === 'direct') {
      const existing = await this.store.findDirectRoom(actorId, others[0] as string);
      if (existing) {
        const members = (await this.store.listMembers(existing.id)).map((member) => member.membership);
        return { room: existing, created: false, members };
      }
    }
    if (name !== null) await this.assertNameFree(kind, name);

    const now = isoNow(this.clock);
    const id = newId('room');
    const members: Membership[] = [
      { roomId: id, userId: actorId, role: 'owner', joinedAt: now },
      ...others.map((userId) => ({ roomId: id, userId, role: 'member' as const, joinedAt: now })),
    ];
    const room = await this.store.createRoom(
      {
        id,
        kind,
        name,
        description,
        topic,
        private:
          kind === 'direct' || kind === 'group' ? true : kind === 'public' ? false : Boolean(input.private),
        createdBy: actorId,
        createdAt: now,
      },
      members,
    );
    return { room, created: true, members };
  }

  /** The room, if the actor may see it. */
  async get(actorId: string, roomId: string): Promise<Room> {
    return (await requireReadable(this.store, actorId, roomId, 'see')).room;
  }

  /** Name, description and topic; by room admins/owners and workspace admins. */
  async update(actorId: string, roomId: string, changes: RoomChanges): Promise<UpdateRoomResult> {
    const room = await requireRoom(this.store, roomId);
    const given = Object.entries(changes).filter(([, value]) => value !== undefined);
    if (given.length === 0) throw invalid('changes', 'nothing to change: give a name, description or topic');

    const [actor, membership] = await Promise.all([
      requireUser(this.store, actorId),
      this.store.getMembership(roomId, actorId),
    ]);
    if (!isModerator(membership?.role) && actor.role !== 'admin') {
      throw new ParleyError(
        'FORBIDDEN',
        `cannot update ${describeRoom(room)}: only its admins and owners, or workspace admins, may change it`,
      );
    }

    const next: RoomChanges = {};
    if (changes.name !== undefined) {
      const name = checkText('name', changes.name, { max: this.maxNameLength });
      if (name !== room.name) {
        await this.assertNameFree(room.kind, name);
        next.name = name;
      }
    }
    if (changes.description !== undefined) {
      const description = optionalText('description', changes.description, 1000);
      if (description !== room.description) next.description = description;
    }
    if (changes.topic !== undefined) {
      const topic = optionalText('topic', changes.topic, 250);
      if (topic !== room.topic) next.topic = topic;
    }
    if (Object.keys(next).length === 0) return { room, changes: next };
    const updated = await this.store.updateRoom(roomId, { ...next, updatedAt: isoNow(this.clock) });
    if (!updated) throw new ParleyError('NOT_FOUND', `room ${roomId} does not exist`);
    return { room: updated, changes: next };
  }

  /** Joins an open room; for a closed one, succeeds only if the user already is a member. */
  async join(userId: string, roomId: string): Promise<JoinResult> {
    const [result] = await this.joinMany(userId, [roomId]);
    return result as JoinResult;
  }

  /**
   * Joins a room by its name (seed 002's `join-room { roomName }`). With `create`, a missing room is
   * created, the user becoming its owner.
   */
  async joinByName(
    userId: string,
    name: string,
    options: { kind?: RoomKind; create?: boolean } = {},
  ): Promise<JoinResult> {
    const kind = options.kind ?? 'public';
    const room = await this.store.getRoomByName(kind, name);
    if (room) return this.join(userId, room.id);
    if (!options.create) throw new ParleyError('NOT_FOUND', `there is no ${kind} room named "${name}"`);
    try {
      const created = await this.create(userId, { kind, name });
      return { room: created.room, membership: created.members[0] as Membership, joined: true };
    } catch (error) {
      // Someone else created it between our lookup and our insert: join theirs.
      if (error instanceof ParleyError && error.code === 'CONFLICT') {
        const theirs = await this.store.getRoomByName(kind, name);
        if (theirs) return this.join(userId, theirs.id);
      }
      throw error;
    }
  }

  /**
   * Joins every room or none: a room that does not exist or is closed to the user fails the whole call
   * before anything is written (seed 000's `thread:join_bulk`).
   */
  async joinMany(userId: string, roomIds: readonly string[]): Promise<JoinResult[]> {
    const ids = [...new Set(roomIds)];
    if (ids.length === 0) throw invalid('roomIds', 'give at least one room');
    if (ids.length > this.maxBulk)
      throw invalid('roomIds', `at most ${this.maxBulk} rooms at once, got ${ids.length}`);
    await requireUser(this.store, userId);

    const now = isoNow(this.clock);
    const plan: { room: Room; existing: Membership | undefined; membership: Membership }[] = [];
    for (const id of ids) {
      const room = await requireRoom(this.store, id);
      const existing = await this.store.getMembership(id, userId);
      if (!existing && isClosed(room)) {
        throw new ParleyError(
          'FORBIDDEN',
          `cannot join ${describeRoom(room)}: it is private; one of its admins has to add you`,
        );
      }
      plan.push({
        room,
        existing,
        membership: existing ?? { roomId: id, userId, role: 'member', joinedAt: now },
      });
    }
    const added = await this.store.addMemberships(plan.filter((p) => !p.existing).map((p) => p.membership));
    const addedIds = new Set(added.map((m) => m.roomId));
    return plan.map(({ room, membership }) => ({ room, membership, joined: addedIds.has(room.id) }));
  }

  /** Adds someone to a room, open or closed; by the room's admins/owners (and workspace admins). */
  async addMember(
    actorId: string,
    roomId: string,
    userId: string,
    role: RoomRole = 'member',
  ): Promise<JoinResult> {
    checkOneOf('role', role, ROOM_ROLES);
    const room = await requireRoom(this.store, roomId);
    const [actor, actorMembership] = await Promise.all([
      requireUser(this.store, actorId),
      this.store.getMembership(roomId, actorId),
    ]);
    if (!isModerator(actorMembership?.role) && actor.role !== 'admin') {
      throw new ParleyError(
        'FORBIDDEN',
        `cannot add members to ${describeRoom(room)}: you are not one of its admins`,
      );
    }
    if (room.kind === 'direct') {
      throw new ParleyError(
        'FORBIDDEN',
        `cannot add members to ${describeRoom(room)}: a direct conversation has two`,
      );
    }
    if (role === 'owner' && actorMembership?.role !== 'owner') {
      throw new ParleyError(
        'FORBIDDEN',
        `cannot make someone an owner of ${describeRoom(room)}: you are not its owner`,
      );
    }
    await requireUser(this.store, userId);
    const existing = await this.store.getMembership(roomId, userId);
    if (existing) return { room, membership: existing, joined: false };
    const membership: Membership = { roomId, userId, role, joinedAt: isoNow(this.clock) };
    const added = await this.store.addMemberships([membership]);
    return { room, membership: added[0] ?? membership, joined: added.length > 0 };
  }

  /** Gives up membership (the user stops receiving the room). Refused for direct conversations. */
  async leave(userId: string, roomId: string): Promise<LeaveResult> {
    const room = await requireRoom(this.store, roomId);
    if (room.kind === 'direct') {
      throw new ParleyError(
        'FORBIDDEN',
        `cannot leave ${describeRoom(room)}: a direct conversation cannot be left`,
      );
    }
    const left = await this.store.removeMemberships(userId, [roomId]);
    return { room, left: left.length > 0 };
  }

  /** Leaves every room the user can leave (all but direct conversations); resolves to the rooms left. */
  async leaveAll(userId: string): Promise<Room[]> {
    const rooms = (await this.store.listRoomsOfUser(userId))
      .map((r) => r.room)
      .filter((r) => r.kind !== 'direct');
    const left = new Set(
      await this.store.removeMemberships(
        userId,
        rooms.map((room) => room.id),
      ),
    );
    return rooms.filter((room) => left.has(room.id));
  }

  /** The room's members with their profiles, if the actor may see the room. */
  async members(actorId: string, roomId: string): Promise<Member[]> {
    await requireReadable(this.store, actorId, roomId, 'list the members of');
    return this.store.listMembers(roomId);
  }

  /** The rooms the user belongs to, with their role in each. */
  async roomsOf(userId: string): Promise<RoomOfUser[]> {
    return this.store.listRoomsOfUser(userId);
  }

  private async assertNameFree(kind: RoomKind, name: string): Promise<void> {
    const taken = await this.store.getRoomByName(kind, name);
    if (taken) {
      throw new ParleyError(
        'CONFLICT',
        `a ${kind} named "${name}" already exists (${taken.id}); choose another name`,
      );
    }
  }
}

/** `null` and `''` clear the field; anything else must be text within `max` characters. */
function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  if (value == null) return null;
  const text = checkText(field, value, { max, allowEmpty: true });
  return text === '' ? null : text;
}
