/** `parley conformance`: prove a server keeps the contract (README, "Conformance"). */
import { writeFile } from 'node:fs/promises';
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
  url: string;
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
  const fuzz = fuzzOption(flags);
  if (typeof fuzz === 'string') {
    console.error(fuzz);
    return 2;
  }
  const progress = progressReporter(process.stdout);
  console.log(`Conformance of ${flags.url} to ${flags.spec} (fixtures: ${flags.fixtures})`);
  try {
    if (waitSeconds > 0) await waitForServer(flags.url, waitSeconds * 1000);
    const report = await runConformance({
      url: flags.url,
      spec: flags.spec,
      fixtures: flags.fixtures ?? DEFAULT_FIXTURES,
      secret: flags.secret ?? process.env.PARLEY_TEST_SECRET,
      namespaces: flags.namespace,
      without: flags.without,
      grep: flags.grep,
      ...(fuzz ? { fuzz } : {}),
      timeoutMs,
      onNamespace: progress.onNamespace,
      onResult: progress.onResult,
    });
    process.stdout.write(formatSummary(report));
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
