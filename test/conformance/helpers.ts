/** The conformance harness against the reference server on port 0: the spec compiled once per file. */
import { compile, type IRDocument } from '../../codegen/index.js';
import { type FixtureFile, loadFixtures } from '../../conformance/fixtures.js';
import { type ConformanceOptions, type ConformanceReport, runConformance } from '../../conformance/index.js';
import type { RunningServer, ServerOptions } from '../../server/app.js';
import { startTestServer, type TestServer } from '../integration/kit.js';

export const TEST_SECRET = 'conformance-test-secret';

let loaded: Promise<{ ir: IRDocument; fixtures: FixtureFile }> | undefined;

/** The spec and the fixture file, read once per test file. */
export function specAndFixtures(): Promise<{ ir: IRDocument; fixtures: FixtureFile }> {
  loaded ??= (async () => {
    const { ir } = await compile('asyncapi.yaml');
    return { ir, fixtures: await loadFixtures('conformance/fixtures.yaml', ir) };
  })();
  return loaded;
}

/** A reference server with the reset hook on. */
export function startConformanceServer(options: ServerOptions = {}): Promise<TestServer> {
  // The server's own rate limits: the fixtures flood some events to reach their rate-limit notices.
  return startTestServer({ testSecret: TEST_SECRET, domain: {}, ...options });
}

/** The spec's namespaces this server serves. */
export function servedNamespaces(server: RunningServer, ir: IRDocument): string[] {
  const mounted = new Set(server.io._nsps.keys());
  return ir.namespaces.map((ns) => ns.address).filter((address) => mounted.has(address));
}

/** The harness against `server`, with short waits. */
export async function conformance(
  server: RunningServer,
  options: Partial<ConformanceOptions> = {},
): Promise<ConformanceReport> {
  const { ir, fixtures } = await specAndFixtures();
  return runConformance({
    url: server.url,
    ir,
    fixtures,
    secret: TEST_SECRET,
    // Generous: only a failing case waits this long, and the test machine may be loaded (CI runs files in parallel).
    timeoutMs: 3000,
    quietMs: 60,
    ...options,
  });
}

/** Every failure message of a report, prefixed with its case. */
export function failureMessages(report: ConformanceReport): string[] {
  return report.results.flatMap((r) => r.failures.map((f) => `${r.id}: ${f.message}`));
}
