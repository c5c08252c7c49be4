/** `parley conformance`: prove a server keeps the contract (README, "Conformance"). */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { SpecError } from '../codegen/index.js';
import {
  DEFAULT_FIXTURES,
  FixtureError,
  ResetUnavailableError,
  runConformance,
  SelectionError,
} from '../conformance/index.js';
import { formatSummary, junitXml, progressReporter } from '../conformance/report.js';
import { ServerUnreachableError, waitForServer } from '../conformance/wait.js';

export interface ConformanceFlags {
  url?: string;
  serve?: string;
  /** false for `--no-reset`. */
  reset: boolean;
  token?: string[];
  spec: string;
  fixtures: string;
  secret?: string;
  namespace?: string[];
  without?: string[];
  grep?: string;
  fuzz?: string;
  fuzzSeed?: string;
  wait: string;
  junit?: string;
  timeout: string;
}

/** Runs the suite; resolves to the exit code (0 only when every case passed). */
export async function runConformanceCommand(flags: ConformanceFlags): Promise<number> {
  const timeoutMs = Number(flags.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    console.error(`--timeout must be a number of milliseconds, got "${flags.timeout}"`);
    return 2;
  }
  const waitSeconds = Number(flags.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
    console.error(`--wait must be a number of seconds, got "${flags.wait}"`);
    return 2;
  }
  if (flags.url === undefined && flags.serve === undefined) {
    console.error('Give the server: --url http://localhost:3000, or --serve "<command that starts it>".');
    return 2;
  }
  const tokens = parseTokens(flags.token ?? []);
  if (typeof tokens === 'string') {
    console.error(tokens);
    return 2;
  }
  const secret = flags.secret ?? process.env.PARLEY_TEST_SECRET ?? (flags.serve ? randomUUID() : undefined);
  let server: Started | undefined;
  try {
    let url = flags.url;
    if (flags.serve !== undefined) {
      server = await startServer(flags.serve, url, secret as string, Math.max(waitSeconds, 30) * 1000);
      url = server.url;
    }
    return await conform(
      { ...flags, url: url as string, secret },
      tokens,
      timeoutMs,
      server ? 0 : waitSeconds,
    );
  } catch (error) {
    if (error instanceof ServerUnreachableError) {
      console.error(`\n${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await server?.stop();
  }
}

async function conform(
  flags: ConformanceFlags & { url: string },
  tokens: Record<string, string>,
  timeoutMs: number,
  waitSeconds: number,
): Promise<number> {
  const fuzz = fuzzOption(flags);
  if (typeof fuzz === 'string') {
    console.error(fuzz);
    return 2;
  }
  const progress = progressReporter(process.stdout);
  console.log(
    `Conformance of ${flags.url} to ${flags.spec} (fixtures: ${flags.fixtures}${flags.reset ? '' : '; --no-reset'})`,
  );
  try {
    if (waitSeconds > 0) await waitForServer(flags.url, waitSeconds * 1000);
    const report = await runConformance({
      url: flags.url,
      spec: flags.spec,
      fixtures: flags.fixtures ?? DEFAULT_FIXTURES,
      secret: flags.secret,
      reset: flags.reset,
      tokens,
      namespaces: flags.namespace,
      without: flags.without,
      grep: flags.grep,
      ...(fuzz ? { fuzz } : {}),
      timeoutMs,
      onNamespace: progress.onNamespace,
      onResult: progress.onResult,
    });
    process.stdout.write(formatSummary(report));
    if (!flags.reset) {
      const skipped = report.results.filter((r) => r.reason?.includes('--no-reset')).length;
      console.log(
        `Without the reset hook (--no-reset): only the cases that need none ran; ${skipped} are untestable for it.`,
      );
    }
    if (flags.junit) {
      await writeFile(flags.junit, junitXml(report));
      console.log(`JUnit report: ${flags.junit}`);
    }
    return report.ok ? 0 : 1;
  } catch (error) {
    if (
      error instanceof SpecError ||
      error instanceof FixtureError ||
      error instanceof ResetUnavailableError ||
      error instanceof ServerUnreachableError ||
      error instanceof SelectionError
    ) {
      console.error(`\n${error.message}`);
      return 2;
    }
    throw error;
  }
}

/** `--fuzz` and `--fuzz-seed` as the option, or what is wrong with them. */
function fuzzOption(flags: ConformanceFlags): { runs: number; seed?: number } | string | undefined {
  if (flags.fuzz === undefined) {
    return flags.fuzzSeed === undefined ? undefined : '--fuzz-seed goes with --fuzz <n>';
  }
  const runs = Number(flags.fuzz);
  if (!Number.isInteger(runs) || runs < 1)
    return `--fuzz must be a whole number of payloads, got "${flags.fuzz}"`;
  if (flags.fuzzSeed === undefined) return { runs };
  const seed = Number(flags.fuzzSeed);
  if (!Number.isInteger(seed)) return `--fuzz-seed must be a whole number, got "${flags.fuzzSeed}"`;
  return { runs, seed };
}

/** `--token alice=eyJ…`, repeated: the tokens users connect with when there is no reset hook to sign them. */
function parseTokens(pairs: string[]): Record<string, string> | string {
  const tokens: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1)
      return `--token ${pair}: expected <user>=<token>, e.g. alice=eyJhbGciOi…`;
    tokens[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return tokens;
}

interface Started {
  url: string;
  stop(): Promise<void>;
}

/**
 * `--serve <command>`: runs the server in a shell of its own process group, with `PORT` (that of `--url`, or a
 * free one) and `PARLEY_TEST_SECRET`, waits until it answers, and stops the whole group afterwards. If the
 * command exits first, what it printed is the error.
 */
async function startServer(
  command: string,
  url: string | undefined,
  secret: string,
  waitMs: number,
): Promise<Started> {
  const port = url ? new URL(url).port || '80' : String(await freePort());
  const base = url ?? `http://127.0.0.1:${port}`;
  const child = spawn(command, {
    shell: true,
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: port, PARLEY_TEST_SECRET: secret },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    kill(child);
    await exited;
  };
  console.log(`Started \`${command}\` (PORT=${port}, reset hook secret set)`);
  const gone = new AbortController();
  const early = exited.then((code) => {
    const error = new ServerUnreachableError(
      `the server command \`${command}\` exited (code ${code}) before answering on ${base}`,
    );
    gone.abort(error); // and waitForServer stops polling
    throw error;
  });
  early.catch(() => {}); // once listening, a later exit shows up as failing cases instead
  try {
    await Promise.race([waitForServer(base, waitMs, gone.signal), early]);
  } catch (error) {
    await stop();
    if (!(error instanceof ServerUnreachableError)) throw error;
    throw new ServerUnreachableError(`${error.message}. It printed:\n${output.trim() || '(nothing)'}`);
  }
  return { url: base, stop };
}

function kill(child: ChildProcess): void {
  try {
    if (process.platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    else child.kill('SIGTERM');
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
