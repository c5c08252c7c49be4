/**
 * Schema migrations, defined in code so they ship with the package and run on every open. Each one must
 * work on SQLite and PostgreSQL alike; add new ones with a larger numeric prefix, never edit an applied one.
 */
import { type Kysely, type Migration, type MigrationResult, Migrator, sql } from 'kysely';

const oneOf = (column: string, values: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('avatar', 'text')
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('offline'))
      .addColumn('status_message', 'text')
      .addColumn('custom_status', 'text')
      .addColumn('last_seen', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('users_role_check', oneOf('role', ['member', 'admin']))
      .addCheckConstraint('users_status_check', oneOf('status', ['online', 'away', 'busy', 'offline']))
      .execute();

    await db.schema
      .createTable('rooms')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('description', 'text')
      .addColumn('topic', 'text')
      .addColumn('private', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint(
        'rooms_kind_check',
        oneOf('kind', ['channel', 'direct', 'group', 'thread', 'public']),
      )
      .execute();
    // NULL names never clash, so unnamed conversations are unconstrained.
    await db.schema.createIndex('rooms_kind_name').unique().on('rooms').columns(['kind', 'name']).execute();

    await db.schema
      .createTable('memberships')
      .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
      .addColumn('joined_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('memberships_pk', ['room_id', 'user_id'])
      .addCheckConstraint('memberships_role_check', oneOf('role', ['member', 'admin', 'owner']))
      .execute();
    await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();

    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
      .addColumn('sender_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('client_message_id', 'text')
      .addColumn('type', 'text', (c) => c.notNull().defaultTo('text'))
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('reply_to_id', 'text', (c) => c.references('messages.id'))
      .addColumn('forwarded_from_id', 'text', (c) => c.references('messages.id'))
      .addColumn('metadata', 'text')
      .addColumn('seq', 'bigint', (c) => c.notNull().unique())
      .addColumn('change_seq', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('edited_at', 'text')
      .addColumn('deleted_at', 'text')
      .addCheckConstraint(
        'messages_type_check',
        oneOf('type', ['text', 'image', 'file', 'gif', 'ticket_link', 'system']),
      )
      .execute();
    // A retried send finds its first attempt here; NULL keys (no idempotency key) never clash.
    await db.schema
      .createIndex('messages_sender_client_id')
      .unique()
      .on('messages')
      .columns(['sender_id', 'client_message_id'])
      .execute();
    await db.schema.createIndex('messages_room_seq').on('messages').columns(['room_id', 'seq']).execute();
    await db.schema
      .createIndex('messages_room_change_seq')
      .on('messages')
      .columns(['room_id', 'change_seq'])
      .execute();

    await db.schema
      .createTable('reactions')
      .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('emoji', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('reactions_pk', ['message_id', 'user_id', 'emoji'])
      .execute();

    await db.schema
      .createTable('read_states')
      .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('last_read_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('read_states_pk', ['room_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('message_reads')
      .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('read_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('message_reads_pk', ['message_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('uploads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('mime_type', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into counters (name, value) values ('seq', 0)`.execute(db);
  },
};

/** Every migration, by name; applied in name order. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
};

/**
 * Applies the migrations not applied yet; resolves to their names. `schema` (PostgreSQL) keeps Kysely's
 * bookkeeping tables in that schema too, so two stores in one database never see each other's history.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    throw new Error(
      `database migration ${failed ? `"${failed.migrationName}" ` : ''}failed: ${describe(error)}. ` +
        'Nothing after it was applied; fix the cause (permissions, disk space, a schema edited by hand) and restart.',
      { cause: error },
    );
  }
  return results.filter((result: MigrationResult) => result.status === 'Success').map((r) => r.migrationName);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
