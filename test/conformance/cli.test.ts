/**
 * `parley conformance` as a user runs it: a real process against the reference server on port 0, a few cases
 * (`--grep`) to stay quick. Exit code 0 only when every case passes; a JUnit file on request.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../integration/kit.js';
import { startConformanceServer, TEST_SECRET } from './helpers.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

async function parley(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'bin/parley.js'), ...args], {
      cwd: root,
      env: { ...process.env, PARLEY_TEST_SECRET: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let t: TestServer;
let dir: string;
beforeAll(async () => {
  t = await startConformanceServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-conformance-'));
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('parley conformance', () => {
  it('prints a line per case and a summary, writes JUnit, and exits 0 when all pass', async () => {
    const junit = path.join(dir, 'report.xml');
    const { code, stdout } = await parley(
      'conformance',
      ...['--url', t.server.url, '--secret', TEST_SECRET, '--namespace', '/messenger'],
      ...['--grep', 'send_message › example', '--junit', junit, '--timeout', '1000'],
    );
    expect(stdout).toMatch(/\/messenger \(3 cases\)/);
    expect(stdout).toMatch(/✓ send_message › example "text" \(\d+ ms\)/);
    expect(stdout).toMatch(/\/messenger: 3 passed, 0 failed, 0 untestable/);
    expect(stdout).toMatch(/The server keeps the contract\./);
    expect(code).toBe(0);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toContain('<testsuite name="/messenger" tests="3" failures="0"');
  }, 60_000);

  it('exits 2, saying why, for a feature the fixtures do not declare or a server that never listens', async () => {
    const unknown = await parley('conformance', '--url', t.server.url, '--without', 'voice');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--without "voice": the fixtures declare no such feature (they declare: ai;',
    );

    const url = `http://127.0.0.1:${await closedPort()}`;
    const closed = await parley('conformance', '--url', url, '--wait', '0.5');
    expect(closed.code).toBe(2);
    expect(closed.stderr).toContain(`${url} did not answer within 0.5 s (last try: ECONNREFUSED)`);
  }, 60_000);

  it('--serve: a server command that exits before listening is the error, with what it printed', async () => {
    const { code, stderr } = await parley(
      'conformance',
      '--serve',
      `"${process.execPath}" -e "console.error('no port for ' + process.env.PORT); process.exit(3)"`,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /the server command `.*` exited \(code 3\) before answering on http:\/\/127\.0\.0\.1:(\d+)\. It printed:\nno port for \1\n/,
    );
  }, 60_000);

  it('--no-reset: runs without calling the hook, with the tokens given, and says so', async () => {
    // The first case left the /messenger fixture's users in the store. No --secret: a call to the hook would be
    // refused (403, exit 2), so exit 0 shows it was not called.
    const token = await t.server.auth.issueToken!('user_123');
    const { code, stdout } = await parley(
      'conformance',
      ...['--url', t.server.url, '--no-reset', '--token', `user_123=${token}`, '--namespace', '/messenger'],
      ...['--grep', 'unknown event', '--timeout', '1000'],
    );
    expect(stdout).toContain('(fixtures: conformance/fixtures.yaml; --no-reset)');
    expect(stdout).toMatch(/✓ rejects an unknown event \(\d+ ms\)/);
    expect(stdout).toContain(
      'Without the reset hook (--no-reset): only the cases that need none ran; 0 are untestable for it.',
    );
    expect(code).toBe(0);
  }, 60_000);

  it('needs --url or --serve', async () => {
    const { code, stderr } = await parley('conformance');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'Give the server: --url http://localhost:3000, or --serve "<command that starts it>".\n',
    );
  }, 60_000);
});
