/**
 * The example CI workflow (`examples/ci/parley.yml`): it parses, has the steps the README promises, and each
 * step's `run:` command exists and exits 0 on this repository, run in a clone-like copy of it (the files git
 * would check out, committed into a fresh repository, with this checkout's node_modules linked in).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
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
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[]; needs?: string; permissions?: Record<string, string> }>;
}

const file = path.join(root, 'examples/ci/parley.yml');

describe('examples/ci/parley.yml', async () => {
  const text = await readFile(file, 'utf8');
  const workflow = parse(text) as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const runs = [...new Set(steps.flatMap((s) => (s.run ? [s.run] : [])))];

  it('installs, checks generated code, diffs against main, and publishes the docs site', () => {
    expect(runs).toEqual([
      'npm ci',
      'npx parley generate --check --runtime .',
      'npx parley diff git:origin/main:asyncapi.yaml asyncapi.yaml --format markdown > protocol-diff.md',
      'test ! -f protocol-diff.md || cat protocol-diff.md >> "$GITHUB_STEP_SUMMARY"',
      'npx parley docs --spec asyncapi.yaml --out site',
    ]);
    const pages = workflow.jobs.docs?.steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(pages?.with).toEqual({ path: 'site' });
    expect(workflow.jobs.docs?.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
    const checkout = workflow.jobs.contract?.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with).toEqual({ 'fetch-depth': 0 });
  });

  it('keeps the conformance harness as a marked TODO, not as a command (it does not exist yet)', () => {
    expect(text).toMatch(/# TODO\(conformance\):.*\n(#.*\n)*.*parley conformance/);
    expect(runs.some((r) => r.includes('conformance'))).toBe(false);
  });

  describe('each run: command, here', () => {
    let clone: string;
    let summary: string;
    beforeAll(async () => {
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

    it.each(runs)(
      '%s',
      async (command) => {
        const adapted = await adapt(command);
        const result = await exec('bash', ['-eo', 'pipefail', '-c', adapted], {
          cwd: clone,
          env: { ...process.env, GITHUB_STEP_SUMMARY: summary, CI: 'true' },
          maxBuffer: 64 * 1024 * 1024,
        }).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
        expect(result.code, `${adapted}\n${result.stdout}\n${result.stderr}`).toBe(0);
        if (command.startsWith('npx parley diff')) {
          expect(await readFile(path.join(clone, 'protocol-diff.md'), 'utf8')).toContain(
            'No change: semver bump none.',
          );
        }
        if (command.startsWith('npx parley docs')) {
          expect(await readFile(path.join(clone, 'site/index.html'), 'utf8')).toContain('<input id="search"');
        }
      },
      120_000,
    );
  });
});
