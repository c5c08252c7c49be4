/**
 * The reference server's packages are optional peers: which ones `parley serve` needs under an environment, and
 * the error a driver that is not installed gives.
 */
import { describe, expect, it } from 'vitest';
import { missingServerPackages, serverPackages } from '../../cli/reference-server.js';
import { importOptional, MissingDependencyError } from '../../server/optional.js';

describe('the reference server’s optional packages', () => {
  it.each([
    [
      'SQLite by default',
      { given: {}, want: ['kysely', 'jose', 'pino', 'busboy', 'better-sqlite3'] } as const,
    ],
    [
      'pg with DATABASE_URL',
      { given: { DATABASE_URL: 'postgres://localhost/x' }, want: ['kysely', 'jose', 'pino', 'busboy', 'pg'] },
    ],
    [
      'Redis with REDIS_URL',
      {
        given: { REDIS_URL: 'redis://localhost' },
        want: [
          'kysely',
          'jose',
          'pino',
          'busboy',
          'better-sqlite3',
          'redis',
          '@socket.io/redis-streams-adapter',
        ],
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(serverPackages(given)).toEqual(want);
  });

  it('are all installed in this repository (devDependencies), so npm start needs nothing more', () => {
    expect(missingServerPackages({ DATABASE_URL: 'postgres://x', REDIS_URL: 'redis://x' })).toEqual([]);
    expect(missingServerPackages({})).toEqual([]);
  });

  it('a driver that is not installed is named with the command that installs it', async () => {
    const error = await importOptional('parley-no-such-package', 'The test store').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect((error as Error).message).toBe(
      'The test store needs the package parley-no-such-package, which is not installed. Fix: npm i parley-no-such-package',
    );
  });
});
