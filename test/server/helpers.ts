/**
 * Test support for the domain core: stores on each backend, the demo world, and error assertions.
 *
 * PostgreSQL runs when `postgres://postgres@127.0.0.1:5432/test` (or PARLEY_TEST_DATABASE_URL) answers;
 * otherwise its suites are skipped with a printed reason, unless PARLEY_REQUIRE_SERVICES=1 (CI), where
 * an unreachable server fails the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { type ErrorCode, isParleyError } from '../../runtime/errors.js';
import { createDomain, type Domain, ManualClock } from '../../server/domain/index.js';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { type OpenStoreOptions, openStore } from '../../server/store/open.js';
import { seedDemo } from '../../server/store/seed.js';
import { REQUIRE_SERVICES, serviceProblem } from '../services.js';

export const PG_URL = process.env.PARLEY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-test-'));
  tempDirs.push(dir);
  return dir;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Where a new, empty database goes: a fresh SQLite file, or a fresh PostgreSQL schema dropped on close. */
  fresh(): OpenStoreOptions;
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  fresh: () => ({ dataDir: tempDir(), sqliteFile: 'parley.db' }),
};

export const postgresBackend: Backend = {
  name: 'postgres',
  fresh: () => ({
    databaseUrl: PG_URL,
    pgSchema: `parley_test_${process.pid}_${randomBytes(4).toString('hex')}`,
    dropSchemaOnClose: true,
  }),
};

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${PG_URL} is unreachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => {});
  }
}

const postgresProblem = await serviceProblem('the PostgreSQL store tests', probePostgres);

/** The backends to run store-backed suites on: SQLite always, PostgreSQL when reachable or required. */
export const backends: Backend[] =
  postgresProblem === undefined || REQUIRE_SERVICES ? [sqliteBackend, postgresBackend] : [sqliteBackend];

/**
 * Declares a failing test when PostgreSQL is required (PARLEY_REQUIRE_SERVICES=1) but unreachable, so CI
 * reports why instead of a wall of connection errors.
 */
export function requirePostgresTest(): void {
  if (postgresProblem !== undefined && REQUIRE_SERVICES) {
    it('PostgreSQL is reachable (PARLEY_REQUIRE_SERVICES=1)', () => {
      throw new Error(postgresProblem);
    });
  }
}

/** Opens a store on the backend, closed (and its schema dropped) when the current test ends. */
export async function openTestStore(
  backend: Backend = sqliteBackend,
  options: OpenStoreOptions = {},
): Promise<KyselyStore> {
  const store = await openStore({ ...backend.fresh(), ...options });
  onTestFinished(() => store.close());
  return store;
}

export interface World {
  store: KyselyStore;
  clock: ManualClock;
  domain: Domain;
}

/**
 * The demo workspace (alice and bob are members and carol an admin of channel `general`, owned by carol;
 * `alice-bob` is their direct conversation) plus `dave`, who belongs to no room; a manual clock.
 */
export async function openWorld(backend: Backend = sqliteBackend): Promise<World> {
  const store = await openTestStore(backend);
  const clock = new ManualClock('2025-03-01T09:00:00.000Z');
  await seedDemo(store, { now: () => new Date(clock.now()) });
  await store.createUser(
    { id: 'dave', username: 'dave', displayName: 'Dave' },
    new Date(clock.now()).toISOString(),
  );
  return { store, clock, domain: createDomain(store, { clock }) };
}

/** Asserts that `action` fails with a ParleyError of `code` whose message matches `message`. */
export async function expectError(
  action: Promise<unknown> | (() => unknown),
  code: ErrorCode,
  message?: RegExp,
): Promise<void> {
  let error: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a ${code} error`).toBeDefined();
  if (!isParleyError(error)) throw error;
  expect({ code: error.code, message: error.message }).toMatchObject({
    code,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });
}
