/**
 * Opening a store: SQLite in a data folder by default (no set-up), PostgreSQL when `DATABASE_URL` is a
 * `postgres://` URL. Either way the schema is migrated before `openStore` resolves.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase as SqliteDialectDatabase,
  sql,
} from 'kysely';
import type pg from 'pg';
import { importOptional } from '../optional.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

export interface OpenStoreOptions {
  /**
   * `postgres://` or `postgresql://`: PostgreSQL. Unset or empty: SQLite. Anything else is refused, so a
   * typo never silently falls back to a local file.
   */
  databaseUrl?: string | undefined;
  /** Folder for the SQLite file (created if missing). Default `./data`. */
  dataDir?: string;
  /** SQLite file name inside `dataDir`, or `':memory:'`. Default `parley.db`. */
  sqliteFile?: string;
  /**
   * SQLite `synchronous` setting. `FULL` (default) syncs the write-ahead log on every commit, so an
   * acknowledged message survives a power cut; `NORMAL` survives a process crash only, and is faster.
   */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /**
   * PostgreSQL schema to hold the tables, created if missing. Default: the connection's `search_path`.
   * With `dropSchemaOnClose`, the schema and everything in it is dropped by `close()` (tests).
   */
  pgSchema?: string;
  dropSchemaOnClose?: boolean;
}

/** Where a store's data lives, for logs: a file path, `:memory:`, or the URL without its password. */
export function describeDatabase(options: OpenStoreOptions): string {
  if (isPostgresUrl(options.databaseUrl)) {
    const url = new URL(options.databaseUrl as string);
    if (url.password) url.password = '***';
    return url.toString();
  }
  return sqlitePath(options);
}

export async function openStore(options: OpenStoreOptions = {}): Promise<KyselyStore> {
  const url = options.databaseUrl?.trim();
  if (url && !isPostgresUrl(url)) {
    throw new Error(
      `DATABASE_URL "${url.replace(/\/\/[^@/]*@/, '//***@')}" is not supported: expected a postgres:// or ` +
        'postgresql:// URL. Unset it to use the embedded SQLite database in the data folder.',
    );
  }
  return url ? openPostgres(url, options) : openSqlite(options);
}

function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url.trim());
}

function sqlitePath(options: OpenStoreOptions): string {
  const file = options.sqliteFile ?? 'parley.db';
  return file === ':memory:' ? file : path.resolve(options.dataDir ?? 'data', file);
}

async function openSqlite(options: OpenStoreOptions): Promise<KyselyStore> {
  const file = sqlitePath(options);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const { default: Sqlite } = await importOptional<{ default: typeof SqliteDatabase }>(
    'better-sqlite3',
    'The SQLite store (DATABASE_URL unset)',
  );
  const database = new Sqlite(file);
  // WAL: readers never block the writer, and commits are one append instead of a journal rewrite.
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
  database.pragma('foreign_keys = ON');
  // Another process holding the write lock (a CLI seeding the same file): wait instead of failing.
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return migrated(new KyselyStore(db, 'sqlite'));
}

/**
 * Kysely's SQLite driver prepares every statement anew, which costs more than running it; the same few
 * dozen statements run over and over, so keep the most recent ones prepared (Kysely never streams here,
 * so a statement is never in use twice at once).
 */
function withStatementCache(database: SqliteDatabase.Database, size = 200): SqliteDialectDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(source) {
      let statement = cache.get(source);
      if (statement) {
        // Re-insert: Map order doubles as least-recently-used order.
        cache.delete(source);
      } else {
        statement = database.prepare(source);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(source, statement);
      return statement;
    },
  };
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<KyselyStore> {
  const schema = options.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`PostgreSQL schema name "${schema}" is invalid: use lower-case letters, digits and _.`);
  }
  const { default: pg } = await importOptional<{ default: typeof import('pg') }>(
    'pg',
    'The PostgreSQL store (DATABASE_URL)',
  );
  const pool = new pg.Pool({
    connectionString: url,
    // Every pooled connection resolves unqualified table names in our schema first.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    // int8 (counts, seq) as numbers rather than strings: our values stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? Number
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const dropSchema = async () => {
    if (schema === undefined || !options.dropSchemaOnClose) return;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await admin.end();
    }
  };
  try {
    if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new Error(
      `cannot reach PostgreSQL at ${describeDatabase({ databaseUrl: url })}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  return migrated(new KyselyStore(db, 'postgres', dropSchema), schema);
}

async function migrated(store: KyselyStore, schema?: string): Promise<KyselyStore> {
  try {
    await migrateToLatest(store.db as Kysely<unknown>, schema);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
