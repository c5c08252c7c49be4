/**
 * A client no one here wrote: python-socketio (Debian's `python3-socketio`) runs each namespace's seed flow
 * against the reference server, with handlers that take one parameter per documented argument (sign in,
 * join, send with an ack where the dialect has one, the broadcast on a second client, an invalid payload, a
 * bad token). `test/python/seed_flows.py` runs all six at once in one Python process.
 *
 * Needs a Python 3 that can `import socketio` (Debian's `/usr/bin/python3` with python3-socketio,
 * python3-aiohttp): skipped with the reason when there is none, failed instead when PARLEY_REQUIRE_SERVICES=1.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../integration/helpers.js';
import { REQUIRE_SERVICES, serviceProblem } from '../services.js';

const run = promisify(execFile);
const SCRIPT = path.join(import.meta.dirname, 'seed_flows.py');
const NAMESPACES = ['/', '/messenger', '/threads', '/chatterbox', '/helpdesk', '/workspace'];

interface FlowResult {
  ok: boolean;
  steps: string[];
  error?: string;
}
interface Report {
  namespaces: Record<string, FlowResult>;
  handlerErrors: string[];
}

/** The first `python3` (on PATH, then Debian's) that can import socketio; the others are not ours to fix. */
async function findPython(): Promise<{ python?: string; problem?: string }> {
  const { stdout } = await run('which', ['-a', 'python3']).catch(() => ({ stdout: '' }));
  const candidates = [...new Set([...stdout.split('\n').filter(Boolean), '/usr/bin/python3'])];
  for (const candidate of candidates) {
    const works = await run(candidate, ['-c', 'import socketio, aiohttp']).then(
      () => true,
      () => false,
    );
    if (works) return { python: candidate };
  }
  return {
    problem: `no python3 can import socketio and aiohttp (tried ${candidates.join(', ')}): apt-get install python3-socketio python3-websocket python3-requests python3-aiohttp`,
  };
}

const found = await findPython();
const problem = await serviceProblem('the python-socketio client tests', async () => found.problem);

/** Runs the seed flows against `t` and parses the report the script prints. */
async function seedFlows(t: TestServer, namespaces = NAMESPACES): Promise<Report> {
  const config = {
    url: t.server.url,
    namespaces,
    tokens: {
      alice: await t.server.auth.issueToken!('alice'),
      bob: await t.server.auth.issueToken!('bob'),
    },
    badToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl',
  };
  const { stdout } = await run(found.python!, [SCRIPT, JSON.stringify(config)], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
}

describe.skipIf(problem !== undefined && !REQUIRE_SERVICES)(
  'python-socketio, one parameter per argument',
  () => {
    let t: TestServer;
    let report: Report;

    beforeAll(async () => {
      if (problem !== undefined) throw new Error(`${problem} (PARLEY_REQUIRE_SERVICES=1)`);
      t = await startTestServer();
      report = await seedFlows(t);
    }, 90_000);

    afterAll(async () => {
      await t?.close();
    });

    it.each(NAMESPACES)('runs the seed flow of %s', (namespace) => {
      const result = report.namespaces[namespace];
      expect(result?.error, `${namespace} after: ${result?.steps.join(' → ')}`).toBeUndefined();
      expect(result?.ok).toBe(true);
      expect(result?.steps.length).toBeGreaterThanOrEqual(4);
    });

    it('no handler raised (python-socketio only logs what a handler raises, in a background task)', () => {
      expect(report.handlerErrors).toEqual([]);
    });

    it('would catch the offset argument of --recovery: the one-parameter handler raises a TypeError', async () => {
      const recovering = await startTestServer({ recovery: true });
      try {
        const broken = await seedFlows(recovering, ['/messenger']);
        expect(broken.namespaces['/messenger']?.ok).toBe(false);
        expect(broken.handlerErrors.join('\n')).toMatch(
          /TypeError: .*handler\(\) takes 1 positional argument but 2 were given/,
        );
      } finally {
        await recovering.close();
      }
    });
  },
);
