/**
 * The `Store` on Kysely: one implementation for SQLite and PostgreSQL. Queries stay in the subset both
 * dialects share (`on conflict`, `returning`); `open.ts` picks the dialect and migrates.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { ParleyError } from '../../runtime/errors.js';
import type { Database, MessagesTable, RoomsTable, UsersTable } from './schema.js';
import type { InsertMessageResult, Member, RoomOfUser, Store, StoreDialect } from './store.js';
import type {
  HistoryQuery,
  Membership,
  Message,
  MessageMetadata,
  MessagePatch,
  MessageType,
  NewMessage,
  NewRoom,
  NewUser,
  PresenceStatus,
  Reaction,
  ReadState,
  Room,
  RoomKind,
  RoomPatch,
  RoomRole,
  Upload,
  User,
  UserPatch,
  WorkspaceRole,
} from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

export class KyselyStore implements Store {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** Runs when the store closes, after Kysely has let go of its connections (test schemas drop here). */
  private readonly onClose: (() => Promise<void>) | undefined;

  constructor(db: Kysely<Database>, dialect: StoreDialect, onClose?: () => Promise<void>) {
    this.db = db;
    this.dialect = dialect;
    this.onClose = onClose;
  }

  // users

  async createUser(user: NewUser, createdAt: string): Promise<User> {
    const row = await guard(() =>
      this.db
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username,
          display_name: user.displayName ?? user.username,
          avatar: user.avatar ?? null,
          role: user.role ?? 'member',
          status: 'offline',
          status_message: null,
          custom_status: null,
          last_seen: null,
          created_at: createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return toUser(row);
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async getUserByUsername(username: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async getUsers(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map(toUser);
  }

  async updateUser(id: string, patch: UserPatch): Promise<User | undefined> {
    const set = definedOnly({
      display_name: patch.displayName,
      avatar: patch.avatar,
      role: patch.role,
      status: patch.status,
      status_message: patch.statusMessage,
      custom_status: patch.customStatus,
      last_seen: patch.lastSeen,
    });
    if (Object.keys(set).length === 0) return this.getUser(id);
    const row = await this.db
      .updateTable('users')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toUser(row);
  }

  // rooms and memberships

  async createRoom(room: NewRoom, members: readonly Omit<Membership, 'roomId'>[]): Promise<Room> {
    return guard(() =>
      this.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('rooms')
          .values({
            id: room.id,
            kind: room.kind,
            name: room.name ?? null,
            description: room.description ?? null,
            topic: room.topic ?? null,
            private: room.private ? 1 : 0,
            created_by: room.createdBy,
            created_at: room.createdAt,
            updated_at: room.createdAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (members.length > 0) {
          await trx
            .insertInto('memberships')
            .values(
              members.map((m) => ({
                room_id: room.id,
                user_id: m.userId,
                role: m.role,
                joined_at: m.joinedAt,
              })),
            )
            .execute();
        }
        return toRoom(row);
      }),
    );
  }

  async getRoom(id: string): Promise<Room | undefined> {
    const row = await this.db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRoom(row);
  }

  async getRoomByName(kind: RoomKind, name: string): Promise<Room | undefined> {
    const row = await this.db
      .selectFrom('rooms')
      .selectAll()
      .where('kind', '=', kind)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toRoom(row);
  }

  async findDirectRoom(userA: string, userB: string): Promise<Room | undefined> {
    const row = await this.db
      .selectFrom('rooms')
      .selectAll()
      .where('kind', '=', 'direct')
      .where((eb) => {
        const members = () => eb.selectFrom('memberships').whereRef('memberships.room_id', '=', 'rooms.id');
        return eb.and([
          eb.exists(members().select('user_id').where('user_id', '=', userA)),
          eb.exists(members().select('user_id').where('user_id', '=', userB)),
          eb(members().select(eb.fn.countAll().as('n')), '=', userA === userB ? 1 : 2),
        ]);
      })
      .orderBy('created_at')
      .executeTakeFirst();
    return row && toRoom(row);
  }

  async updateRoom(id: string, patch: RoomPatch): Promise<Room | undefined> {
    const set = definedOnly({
      name: patch.name,
      description: patch.description,
      topic: patch.topic,
      private: patch.private === undefined ? undefined : patch.private ? 1 : 0,
      updated_at: patch.updatedAt,
    });
    const row = await guard(() =>
      this.db.updateTable('rooms').set(set).where('id', '=', id).returningAll().executeTakeFirst(),
    );
    return row && toRoom(row);
  }

  async getMembership(roomId: string, userId: string): Promise<Membership | undefined> {
    const row = await this.db
      .selectFrom('memberships')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toMembership(row);
  }

  async addMemberships(memberships: readonly Membership[]): Promise<Membership[]> {
    if (memberships.length === 0) return [];
    return guard(() =>
      this.db.transaction().execute(async (trx) => {
        const added: Membership[] = [];
        for (const m of memberships) {
          const result = await trx
            .insertInto('memberships')
            .values({ room_id: m.roomId, user_id: m.userId, role: m.role, joined_at: m.joinedAt })
            .onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing())
            .executeTakeFirst();
          if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) added.push(m);
        }
        return added;
      }),
    );
  }

  async removeMemberships(userId: string, roomIds: readonly string[]): Promise<string[]> {
    if (roomIds.length === 0) return [];
    const rows = await this.db
      .deleteFrom('memberships')
      .where('user_id', '=', userId)
      .where('room_id', 'in', [...roomIds])
      .returning('room_id')
      .execute();
    const left = new Set(rows.map((row) => row.room_id));
    return roomIds.filter((id) => left.has(id));
  }

  async listMembers(roomId: string): Promise<Member[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .selectAll('users')
      .select(['memberships.role as membership_role', 'memberships.joined_at as joined_at'])
      .where('memberships.room_id', '=', roomId)
      .orderBy('memberships.joined_at')
      .orderBy('users.id')
      .execute();
    return rows.map((row) => ({
      user: toUser(row),
      membership: { roomId, userId: row.id, role: row.membership_role as RoomRole, joinedAt: row.joined_at },
    }));
  }

  async listRoomsOfUser(userId: string): Promise<RoomOfUser[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('rooms', 'rooms.id', 'memberships.room_id')
      .selectAll('rooms')
      .select(['memberships.role as membership_role', 'memberships.joined_at as joined_at'])
      .where('memberships.user_id', '=', userId)
      .orderBy('memberships.joined_at')
      .orderBy('rooms.id')
      .execute();
    return rows.map((row) => ({
      room: toRoom(row),
      membership: { roomId: row.id, userId, role: row.membership_role as RoomRole, joinedAt: row.joined_at },
    }));
  }

  // messages

  async insertMessage(message: NewMessage): Promise<InsertMessageResult> {
    const key = message.clientMessageId ?? null;
    if (key !== null) {
      const stored = await this.findByClientId(message.senderId, key);
      if (stored) return { message: stored, created: false };
    }
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        const seq = await nextSeq(trx);
        return trx
          .insertInto('messages')
          .values({
            id: message.id,
            room_id: message.roomId,
            sender_id: message.senderId,
            client_message_id: key,
            type: message.type,
            content: message.content,
            reply_to_id: message.replyToId ?? null,
            forwarded_from_id: message.forwardedFromId ?? null,
            metadata: message.metadata == null ? null : JSON.stringify(message.metadata),
            seq,
            change_seq: seq,
            created_at: message.createdAt,
            edited_at: null,
            deleted_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return { message: toMessage(row), created: true };
    } catch (error) {
      // Two concurrent retries (PostgreSQL): the loser's insert hits the unique index; its transaction,
      // sequence number included, rolled back, and the winner's message is the answer.
      if (key !== null && isUniqueViolation(error)) {
        const stored = await this.findByClientId(message.senderId, key);
        if (stored) return { message: stored, created: false };
      }
      throw translate(error);
    }
  }

  private async findByClientId(senderId: string, clientMessageId: string): Promise<Message | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('sender_id', '=', senderId)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
    return row && toMessage(row);
  }

  async getMessage(id: string): Promise<Message | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMessage(row);
  }

  async getMessages(ids: readonly string[]): Promise<Message[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('id', 'in', [...ids])
      .orderBy('seq')
      .execute();
    return rows.map(toMessage);
  }

  async updateMessage(id: string, patch: MessagePatch): Promise<Message | undefined> {
    const set = definedOnly({
      content: patch.content,
      metadata: patch.metadata === undefined ? undefined : patch.metadata && JSON.stringify(patch.metadata),
      edited_at: patch.editedAt,
      deleted_at: patch.deletedAt,
    });
    const row = await this.db.transaction().execute(async (trx) => {
      const changeSeq = await nextSeq(trx);
      return trx
        .updateTable('messages')
        .set({ ...set, change_seq: changeSeq })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    });
    return row && toMessage(row);
  }

  async listMessages(roomId: string, query: HistoryQuery): Promise<Message[]> {
    let select = this.db.selectFrom('messages').selectAll().where('room_id', '=', roomId);
    if (query.before !== undefined) select = select.where('seq', '<', query.before);
    if (query.after !== undefined) {
      const rows = await select
        .where('seq', '>', query.after)
        .orderBy('seq', 'asc')
        .limit(query.limit)
        .execute();
      return rows.map(toMessage);
    }
    // The newest page below `before`, read backwards and returned oldest first.
    const rows = await select.orderBy('seq', 'desc').limit(query.limit).execute();
    return rows.reverse().map(toMessage);
  }

  async listChangesForUser(userId: string, cursor: number, limit: number): Promise<Message[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('room_id', 'in', (eb) =>
        eb.selectFrom('memberships').select('room_id').where('user_id', '=', userId),
      )
      .where('change_seq', '>', cursor)
      .orderBy('change_seq', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  // reactions

  async addReaction(reaction: Reaction): Promise<boolean> {
    const result = await guard(() =>
      this.db
        .insertInto('reactions')
        .values({
          message_id: reaction.messageId,
          user_id: reaction.userId,
          emoji: reaction.emoji,
          created_at: reaction.createdAt,
        })
        .onConflict((oc) => oc.columns(['message_id', 'user_id', 'emoji']).doNothing())
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async removeReaction(messageId: string, userId: string, emoji: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('reactions')
      .where('message_id', '=', messageId)
      .where('user_id', '=', userId)
      .where('emoji', '=', emoji)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listReactions(messageId: string): Promise<Reaction[]> {
    const rows = await this.db
      .selectFrom('reactions')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('created_at')
      .orderBy('user_id')
      .orderBy('emoji')
      .execute();
    return rows.map((row) => ({
      messageId: row.message_id,
      userId: row.user_id,
      emoji: row.emoji,
      createdAt: row.created_at,
    }));
  }

  // read receipts

  async getReadState(roomId: string, userId: string): Promise<ReadState | undefined> {
    const row = await this.db
      .selectFrom('read_states')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toReadState(row);
  }

  async advanceReadState(roomId: string, userId: string, seq: number, at: string): Promise<ReadState> {
    const row = await guard(() =>
      this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('read_states')
          .values({ room_id: roomId, user_id: userId, last_read_seq: seq, updated_at: at })
          .onConflict((oc) =>
            oc
              .columns(['room_id', 'user_id'])
              .doUpdateSet((eb) => ({
                last_read_seq: eb.ref('excluded.last_read_seq'),
                updated_at: eb.ref('excluded.updated_at'),
              }))
              // Only forward: a late "read up to 5" after "read up to 9" changes nothing.
              .where('read_states.last_read_seq', '<', (eb) => eb.ref('excluded.last_read_seq')),
          )
          .execute();
        return trx
          .selectFrom('read_states')
          .selectAll()
          .where('room_id', '=', roomId)
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow();
      }),
    );
    return toReadState(row);
  }

  async addMessageReads(userId: string, messageIds: readonly string[], at: string): Promise<string[]> {
    if (messageIds.length === 0) return [];
    return guard(() =>
      this.db.transaction().execute(async (trx) => {
        const added: string[] = [];
        for (const messageId of new Set(messageIds)) {
          const result = await trx
            .insertInto('message_reads')
            .values({ message_id: messageId, user_id: userId, read_at: at })
            .onConflict((oc) => oc.columns(['message_id', 'user_id']).doNothing())
            .executeTakeFirst();
          if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) added.push(messageId);
        }
        return added;
      }),
    );
  }

  async unreadCounts(userId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('memberships as mb')
      .leftJoin('read_states as rs', (join) =>
        join.onRef('rs.room_id', '=', 'mb.room_id').onRef('rs.user_id', '=', 'mb.user_id'),
      )
      .leftJoin('messages as m', (join) =>
        join
          .onRef('m.room_id', '=', 'mb.room_id')
          .on('m.sender_id', '<>', userId)
          .on('m.deleted_at', 'is', null)
          // What was said before the user joined is history, not unread news.
          .onRef('m.created_at', '>=', 'mb.joined_at')
          .on((eb) => eb('m.seq', '>', eb.fn.coalesce('rs.last_read_seq', sql.lit(0))))
          .on((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('message_reads as mr')
                  .select('mr.message_id')
                  .whereRef('mr.message_id', '=', 'm.id')
                  .where('mr.user_id', '=', userId),
              ),
            ),
          ),
      )
      .select(['mb.room_id as room_id', (eb) => eb.fn.count<number>('m.id').as('unread')])
      .where('mb.user_id', '=', userId)
      .groupBy('mb.room_id')
      .execute();
    return new Map(rows.map((row) => [row.room_id, Number(row.unread)]));
  }

  // uploads

  async createUpload(upload: Upload): Promise<Upload> {
    await guard(() =>
      this.db
        .insertInto('uploads')
        .values({
          id: upload.id,
          owner_id: upload.ownerId,
          filename: upload.filename,
          mime_type: upload.mimeType,
          size: upload.size,
          path: upload.path,
          created_at: upload.createdAt,
        })
        .execute(),
    );
    return { ...upload };
  }

  async getUpload(id: string): Promise<Upload | undefined> {
    const row = await this.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        ownerId: row.owner_id,
        filename: row.filename,
        mimeType: row.mime_type,
        size: Number(row.size),
        path: row.path,
        createdAt: row.created_at,
      }
    );
  }

  async reset(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // Children before parents: every foreign key points at a table deleted after it.
      for (const table of WIPE_ORDER) await trx.deleteFrom(table).execute();
      await trx.updateTable('counters').set({ value: 0 }).where('name', '=', 'seq').execute();
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
    await this.onClose?.();
  }
}

/** Every table holding records, in an order that deletes each row before the rows it refers to. */
const WIPE_ORDER = [
  'message_reads',
  'reactions',
  'read_states',
  'messages',
  'memberships',
  'uploads',
  'rooms',
  'users',
] as const satisfies readonly Exclude<keyof Database, 'counters'>[];

/**
 * The next store-wide sequence number. The counter row stays locked until the transaction ends, so numbers
 * become visible in the order they were handed out: a reader who has seen `n` has seen everything below it,
 * which is what makes `seq` safe as a catch-up cursor (an identity column would not be on PostgreSQL).
 */
async function nextSeq(trx: Db): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'seq')
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

// row mapping

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    avatar: row.avatar,
    role: row.role as WorkspaceRole,
    status: row.status as PresenceStatus,
    statusMessage: row.status_message,
    customStatus: row.custom_status,
    lastSeen: row.last_seen,
    createdAt: row.created_at,
  };
}

function toRoom(row: Selectable<RoomsTable>): Room {
  return {
    id: row.id,
    kind: row.kind as RoomKind,
    name: row.name,
    description: row.description,
    topic: row.topic,
    private: Number(row.private) === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMembership(row: {
  room_id: string;
  user_id: string;
  role: string;
  joined_at: string;
}): Membership {
  return { roomId: row.room_id, userId: row.user_id, role: row.role as RoomRole, joinedAt: row.joined_at };
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    roomId: row.room_id,
    senderId: row.sender_id,
    clientMessageId: row.client_message_id,
    type: row.type as MessageType,
    content: row.content,
    replyToId: row.reply_to_id,
    forwardedFromId: row.forwarded_from_id,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as MessageMetadata),
    seq: Number(row.seq),
    changeSeq: Number(row.change_seq),
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
}

function toReadState(row: {
  room_id: string;
  user_id: string;
  last_read_seq: number;
  updated_at: string;
}): ReadState {
  return {
    roomId: row.room_id,
    userId: row.user_id,
    lastReadSeq: Number(row.last_read_seq),
    updatedAt: row.updated_at,
  };
}

/** The patch without its `undefined` entries, so an absent field is left alone rather than nulled. */
function definedOnly<T extends Record<string, unknown>>(
  patch: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

// driver errors

interface DriverError {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
}

function driverError(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : {};
}

function isUniqueViolation(error: unknown): boolean {
  const { code } = driverError(error);
  // better-sqlite3: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; pg: SQLSTATE 23505.
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

function isForeignKeyViolation(error: unknown): boolean {
  const { code } = driverError(error);
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/** Constraint violations become `ParleyError`s the domain can pass on; anything else is rethrown as is. */
function translate(error: unknown): unknown {
  if (error instanceof ParleyError) return error;
  const { message, detail } = driverError(error);
  // SQLite says it all in the message; PostgreSQL puts the clashing key in `detail`.
  const what = [message, detail].filter((part) => typeof part === 'string').join(': ') || undefined;
  if (isUniqueViolation(error)) {
    return new ParleyError('CONFLICT', `already exists: ${what ?? 'a unique value is taken'}`, {
      cause: error,
    });
  }
  if (isForeignKeyViolation(error)) {
    return new ParleyError('NOT_FOUND', `refers to a record that does not exist: ${what ?? 'foreign key'}`, {
      cause: error,
    });
  }
  return error;
}

async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translate(error);
  }
}
