/**
 * The package as a user gets it: `npm pack`, then the tarball installed from the registry's dependencies into
 * fresh projects, one ES module and one CommonJS, prepared in parallel. In each: `parley init`, `parley
 * generate`, the type-check (NodeNext; CommonJS also with `module: commonjs`), the server on plain `node`, the
 * generated client's ack, `parley conformance` against that server, `npm test` as the new project has it, every
 * export loading, and no reference-server package nor native build in node_modules.
 *
 * Slow (installs from the npm registry, through the machine's shared npm cache): 241–266 s on a loaded 2-CPU
 * machine, most of it npm, tsc and the servers; it prints its duration.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
const started = Date.now();

/** The environment of a user's shell: nothing of the npm script that runs this test. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') && key !== 'PARLEY_TEST_SECRET'),
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function sh(cwd: string, command: string, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      env: { ...env, ...extra },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(error),
    };
  }
}

/** Runs a step that must succeed, with its output in the error when it does not. */
async function must(cwd: string, command: string, ...args: string[]): Promise<string> {
  const run = await sh(cwd, command, args);
  if (run.code !== 0)
    throw new Error(
      `${command} ${args.join(' ')} in ${cwd} exited ${run.code}:\n${run.stdout}\n${run.stderr}`,
    );
  return run.stdout;
}

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];

/** Who the reference server needs: none of it may be installed by the library. */
const SERVER_PACKAGES = [
  'better-sqlite3',
  'pg',
  'kysely',
  'redis',
  '@socket.io/redis-streams-adapter',
  'busboy',
  'pino',
  'jose',
];

let work: string;
let tarball: string;
const projects: Record<'esm' | 'cjs', string> = { esm: '', cjs: '' };

/** A fresh project as `npm init -y` makes it (CommonJS), or an ES module one, with the tarball and `parley init`. */
async function prepare(kind: 'esm' | 'cjs'): Promise<string> {
  const dir = path.join(work, kind);
  await mkdir(dir);
  await must(dir, 'npm', 'init', '-y');
  if (kind === 'esm') await must(dir, 'npm', 'pkg', 'set', 'type=module');
  await must(dir, 'npm', 'install', ...NPM_FLAGS, tarball);
  // `init` installs what the new project adds (typescript, @types/node), with npm's defaults.
  await must(dir, 'npx', 'parley', 'init');
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'parley-package-'));
  // prepack builds dist/ from the sources.
  const packed = await must(root, 'npm', 'pack', '--pack-destination', work, '--json');
  tarball = path.join(work, (JSON.parse(packed) as { filename: string }[])[0]?.filename as string);
  const [esm, cjs] = await Promise.all([prepare('esm'), prepare('cjs')]);
  projects.esm = esm;
  projects.cjs = cjs;
}, 600_000);

afterAll(async () => {
  console.log(`test/package/install.test.ts: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  if (work) await rm(work, { recursive: true, force: true });
});

/** `node dist/server/index.js` on a free port, the reset hook on; resolves once it listens. */
async function startServer(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['dist/server/index.js'], {
    cwd: dir,
    env: { ...env, PORT: '0', PARLEY_TEST_SECRET: 'package-test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (found) resolve(found[1] as string);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`the server exited (${code}) before listening:\n${output}`)),
    );
  });
  return { url, child };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Every file under `dir` whose name passes `test` (node_modules included). */
async function find(dir: string, test: (name: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

const KINDS = ['esm', 'cjs'] as const;
type Kind = (typeof KINDS)[number];

/** The same step in both projects at once (each is mostly waiting on npm, tsc or a server). */
function inBoth(step: (dir: string, kind: Kind) => Promise<void>): () => Promise<void> {
  return async () => {
    await Promise.all(KINDS.map((kind) => step(projects[kind], kind)));
  };
}

const SLOW = 180_000;

describe('the packed package in a fresh ES module project and a fresh CommonJS one', () => {
  it('holds compiled JavaScript, declarations, source maps and templates only', async () => {
    const listing = await must(work, 'tar', 'tzf', tarball);
    const files = listing.trim().split('\n');
    expect(
      files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('/templates/')),
    ).toEqual([]);
    expect(files.filter((f) => /\/(test|bench|\.ci)\//.test(f))).toEqual([]);
    expect(files).toContain('package/dist/cli/main.js');
    expect(files).toContain('package/dist/runtime/index.d.ts');
    expect(files).toContain('package/dist/runtime/index.js.map');
  });

  it(
    'init wrote the project and its generated code; generate finds it up to date; it type-checks',
    inBoth(async (dir, kind) => {
      for (const file of [
        'asyncapi.yaml',
        'server/index.ts',
        'server/handlers/chat.ts',
        'server/reset.ts',
        'client/hello.ts',
        'conformance/fixtures.yaml',
        '.github/workflows/parley.yml',
        'README.md',
        '.gitignore',
        'generated/chat/client.gen.ts',
      ]) {
        expect(existsSync(path.join(dir, file)), file).toBe(true);
      }
      expect(await must(dir, 'npx', 'parley', 'generate')).toMatch(/0 written, 8 unchanged, 0 removed/);
      await must(dir, 'npx', 'tsc', '--noEmit');
      if (kind === 'cjs')
        await must(dir, 'npx', 'tsc', '--noEmit', '--module', 'commonjs', '--moduleResolution', 'node10');
    }),
    SLOW,
  );

  it(
    'npm test passes as init wrote it (generate --check, tsc, conformance against its own server)',
    inBoth(async (dir) => {
      const out = await must(dir, 'npm', 'test');
      expect(out).toMatch(/\/chat: 18 passed, 0 failed, 0 untestable, server events covered 2\/2/);
      expect(out).toContain('The server keeps the contract.');
    }),
    SLOW,
  );

  it(
    'the server runs on plain node; the generated client gets its ack; parley conformance passes against it',
    inBoth(async (dir, kind) => {
      await must(dir, 'npx', 'tsc');
      const { url, child } = await startServer(dir);
      try {
        const client = await sh(dir, process.execPath, ['dist/client/hello.js', `hello from ${kind}`], {
          SERVER_URL: url,
        });
        expect(client.stderr).toBe('');
        expect(client.stdout).toMatch(
          new RegExp(
            `^ack: \\{"ok":true,"data":\\{"message":\\{"id":"m_\\d+","room":"general","text":"hello from ${kind}","at":"[^"]+"\\}\\}\\}\\nmessage:new: hello from ${kind}\\n$`,
          ),
        );
        const conformance = await sh(dir, 'npx', [
          'parley',
          'conformance',
          '--url',
          url,
          '--secret',
          'package-test',
        ]);
        expect(conformance.stdout).toContain('total: 18 passed, 0 failed, 0 untestable');
        expect(conformance.code).toBe(0);
      } finally {
        await stop(child);
      }
    }),
    SLOW,
  );

  it(
    'loads every export with no TypeScript loader',
    inBoth(async (dir, kind) => {
      const names = [
        'parley-socketio',
        'parley-socketio/runtime',
        'parley-socketio/client',
        'parley-socketio/conformance',
      ];
      const script =
        kind === 'esm'
          ? `const m = await Promise.all(${JSON.stringify(names)}.map((n) => import(n))); console.log(JSON.stringify(m.map((x) => Object.keys(x).filter((k) => typeof x[k] === 'function').sort())));`
          : `const m = ${JSON.stringify(names)}.map((n) => require(n)); console.log(JSON.stringify(m.map((x) => Object.keys(x).filter((k) => typeof x[k] === 'function').sort())));`;
      const run = await sh(
        dir,
        process.execPath,
        kind === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script],
      );
      expect(run.code, run.stderr).toBe(0);
      const [main, runtime, client, conformance] = JSON.parse(run.stdout) as string[][];
      expect(main).toEqual(expect.arrayContaining(['compile', 'diff', 'generate', 'runConformance']));
      expect(runtime).toEqual(expect.arrayContaining(['bindNamespace', 'ParleyError']));
      // The typed client is its own entry: the server's runtime does not bring it, nor it the server's.
      expect(runtime).not.toContain('createClient');
      expect(client).toEqual(expect.arrayContaining(['createClient', 'AckTimeoutError']));
      expect(client).not.toContain('bindNamespace');
      expect(conformance).toContain('runConformance');
    }),
    SLOW,
  );

  it(
    'installs none of the reference server and builds nothing native; parley serve names what to install',
    inBoth(async (dir) => {
      const modules = path.join(dir, 'node_modules');
      expect(SERVER_PACKAGES.filter((name) => existsSync(path.join(modules, name)))).toEqual([]);
      expect(await find(modules, (name) => name.endsWith('.node') || name === 'binding.gyp')).toEqual([]);
      const serve = await sh(dir, 'npx', ['parley', 'serve']);
      expect(serve.code).toBe(1);
      expect(serve.stderr).toMatch(/^ {2}npm i kysely@\S+ jose@\S+ pino@\S+ busboy@\S+ better-sqlite3@\S+$/m);
    }),
    SLOW,
  );
});
