/**
 * The example CI workflow (`examples/ci/parley.yml`): it parses, has the steps the README promises, and each
 * step's `run:` command exists and exits 0 on this repository, in order and with the job's environment, run in
 * a clone-like copy of it (the files git would check out, committed into a fresh repository, with this
 * checkout's node_modules linked in). The server the workflow starts listens on a free port here.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  steps: Step[];
  needs?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, Job>;
}

const file = path.join(root, 'examples/ci/parley.yml');

describe('examples/ci/parley.yml', async () => {
  const text = await readFile(file, 'utf8');
  const workflow = parse(text) as Workflow;
  // Each command once, with the environment of the first job that runs it.
  const runs = new Map<string, Record<string, string>>();
  for (const job of Object.values(workflow.jobs)) {
    for (const step of job.steps) if (step.run && !runs.has(step.run)) runs.set(step.run, job.env ?? {});
  }

  it('installs, checks generated code, diffs against main, runs conformance, and publishes the docs site', () => {
    expect([...runs.keys()]).toEqual([
      'npm ci',
      'npx parley generate --check --runtime .',
      'npx parley diff git:origin/main:asyncapi.yaml asyncapi.yaml --format markdown > protocol-diff.md',
      'test ! -f protocol-diff.md || cat protocol-diff.md >> "$GITHUB_STEP_SUMMARY"',
      'npm start > server.log 2>&1 &',
      'npx parley conformance --url "http://localhost:$PORT" --wait 60 --without ai --junit conformance.xml',
      'cat server.log',
      'npx parley docs --spec asyncapi.yaml --out site',
    ]);
    expect(workflow.jobs.contract?.env).toMatchObject({
      PORT: '3000',
      PARLEY_TEST_SECRET: expect.any(String),
    });
    const report = workflow.jobs.contract?.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(report).toMatchObject({ if: 'always()', with: { path: 'conformance.xml' } });
    const pages = workflow.jobs.docs?.steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(pages?.with).toEqual({ path: 'site' });
    expect(workflow.jobs.docs?.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
    const checkout = workflow.jobs.contract?.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with).toEqual({ 'fetch-depth': 0 });
  });

  describe('each run: command, here', () => {
    let clone: string;
    let summary: string;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      clone = await mkdtemp(path.join(os.tmpdir(), 'parley-ci-'));
      // What `actions/checkout` gives: the tracked files (and new ones not ignored), without dist/ or site/.
      const { stdout } = await exec('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
      });
      const files = [...new Set(stdout.split('\0').filter(Boolean))];
      await Promise.all(
        files.map(async (f) => {
          await mkdir(path.dirname(path.join(clone, f)), { recursive: true });
          await cp(path.join(root, f), path.join(clone, f)).catch((e: NodeJS.ErrnoException) => {
            if (e.code !== 'ENOENT') throw e; // deleted in the work tree, not yet in the index
          });
        }),
      );
      await symlink(path.join(root, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
      const env = { ...process.env, GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com' };
      const git = (...args: string[]) =>
        exec('git', args, {
          cwd: clone,
          env: { ...env, GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com' },
        });
      await git('init', '-q');
      await git('add', '-A');
      await git('commit', '-q', '-m', 'clone');
      summary = path.join(clone, 'summary.md');
    }, 60_000);
    afterAll(async () => {
      for (const group of groups) {
        try {
          process.kill(-group, 'SIGTERM');
        } catch {
          // the group has ended
        }
      }
      if (clone) await rm(clone, { recursive: true, force: true });
    });

    /**
     * The command as this test runs it:
     * - `npm ci` reinstalls every package (minutes, and the network); `npm ci --dry-run` makes the same checks
     *   of package.json against package-lock.json, which is what can fail on a repository's side;
     * - the copy is a fresh repository without an `origin` remote, so there is no `origin/main`: the diff reads
     *   `git:HEAD:asyncapi.yaml` instead (the copy's only commit, so the diff must report no change and exit 0).
     */
    const adapt = async (command: string): Promise<string> => {
      if (command === 'npm ci') return 'npm ci --dry-run --no-audit --no-fund';
      const origin = await exec('git', ['rev-parse', '--verify', '--quiet', 'origin/main'], {
        cwd: clone,
      }).then(
        () => true,
        () => false,
      );
      return origin ? command : command.replaceAll('git:origin/main:', 'git:HEAD:');
    };

    it.each([...runs])(
      '%s',
      async (command, jobEnv) => {
        const adapted = await adapt(command);
        const result = await bash(adapted, clone, {
          ...process.env,
          ...jobEnv,
          PORT: String(port),
          GITHUB_STEP_SUMMARY: summary,
          CI: 'true',
        });
        expect(result.code, `${adapted}\n${result.stdout}\n${result.stderr}`).toBe(0);
        if (command.startsWith('npx parley diff')) {
          expect(await readFile(path.join(clone, 'protocol-diff.md'), 'utf8')).toContain(
            'No change: semver bump none.',
          );
        }
        if (command.startsWith('npx parley conformance')) {
          expect(result.stdout).toMatch(/total: \d+ passed, 0 failed, \d+ untestable/);
          expect(await readFile(path.join(clone, 'conformance.xml'), 'utf8')).toContain('<testsuites');
        }
        if (command.startsWith('npx parley docs')) {
          expect(await readFile(path.join(clone, 'site/index.html'), 'utf8')).toContain('<input id="search"');
        }
      },
      120_000,
    );
  });
});

/** The process groups of the commands run, to stop what they leave running (the server). */
const groups: number[] = [];

/**
 * Runs `command` as a step does (`bash -eo pipefail`), in a process group of its own so that what it starts in
 * the background can be stopped afterwards; resolves when bash exits and its output has closed.
 */
function bash(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', command], { cwd, env, detached: true });
    if (child.pid !== undefined) groups.push(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
