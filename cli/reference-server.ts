/**
 * `parley serve`, `token` and `seed` run the reference server, whose packages are optional peers (README,
 * "Use Parley in your project"): check for them first, so that a missing one is named with the command that
 * installs it instead of surfacing as an import error.
 */
import { ownPackage, testedVersion } from './package.js';

/** What the reference server needs under this environment: the store's driver, and Redis only with REDIS_URL. */
export function serverPackages(env: NodeJS.ProcessEnv): string[] {
  return [
    'kysely',
    'jose',
    'pino',
    'busboy',
    env.DATABASE_URL?.trim() ? 'pg' : 'better-sqlite3',
    ...(env.REDIS_URL ? ['redis', '@socket.io/redis-streams-adapter'] : []),
  ];
}

/** The packages of `serverPackages` that do not resolve from this package, by exact tested version. */
export function missingServerPackages(env: NodeJS.ProcessEnv): string[] {
  return serverPackages(env)
    .filter((name) => !resolves(name))
    .map((name) => `${name}@${testedVersion(name)}`);
}

function resolves(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** `./serve.js`, or undefined after explaining what to install (exit code 1). */
export async function loadServe(): Promise<typeof import('./serve.js') | undefined> {
  const missing = missingServerPackages(process.env);
  if (missing.length > 0) {
    console.error(
      [
        `The reference server needs packages that ${ownPackage().manifest.name} does not install for you`,
        '(they are optional: a project that only generates code, runs its own server or conformance needs none).',
        'Install them with:',
        '',
        `  npm i ${missing.join(' ')}`,
        '',
        'better-sqlite3 compiles a native module when no prebuilt one fits; set DATABASE_URL=postgres://… to use pg instead.',
      ].join('\n'),
    );
    process.exitCode = 1;
    return undefined;
  }
  return import('./serve.js');
}
