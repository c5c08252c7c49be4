/**
 * The reference server keeps the contract: every conformance case of every namespace it serves passes, against
 * the real server on port 0 (reset hook on, a fake AI endpoint for the assistant), driven by the harness as
 * `parley conformance` drives it. Namespaces run concurrently, each against a server of its own.
 *
 * A namespace whose server answers `NOT_IMPLEMENTED` (a dialect whose adapter has not landed yet) is skipped
 * with the list of what it does not implement, provided everything else in it passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../../conformance/index.js';
import { failureDetails } from '../../conformance/report.js';
import { type FakeAi, startFakeAi } from '../server/fake-ai.js';
import { conformance, servedNamespaces, specAndFixtures, startConformanceServer } from './helpers.js';

const { ir } = await specAndFixtures();

let ai: FakeAi;
beforeAll(async () => {
  ai = await startFakeAi();
  // Slow enough that an answer is still streaming when a case stops it.
  ai.defaultScript = { stream: ['Sure', '! ', 'Here', ' it', ' is.'], delayMs: 40 };
});
afterAll(async () => {
  await ai?.close();
});

const server = () => startConformanceServer({ ai: { baseUrl: ai.baseUrl, model: 'fake-model' } });

function explain(results: CaseResult[]): string {
  return results.map((r) => [r.id, ...failureDetails(r).map((line) => `    ${line}`)].join('\n')).join('\n');
}

describe.concurrent('the reference server keeps the contract', () => {
  it('serves /messenger at least', async () => {
    const t = await server();
    try {
      expect(servedNamespaces(t.server, ir)).toContain('/messenger');
    } finally {
      await t.close();
    }
  });

  for (const { address } of ir.namespaces) {
    it(`passes every case of ${address}`, async (ctx) => {
      const t = await server();
      try {
        if (!servedNamespaces(t.server, ir).includes(address)) {
          ctx.skip(`the reference server does not serve ${address}`);
        }
        const report = await conformance(t.server, { namespaces: [address] });
        const failed = report.results.filter((r) => r.status === 'failed');
        const pending = failed.filter((r) => r.notImplemented);
        // Coverage cannot be judged while some operation is not implemented.
        const real = failed.filter(
          (r) => !r.notImplemented && !(pending.length > 0 && r.kind === 'coverage'),
        );
        expect(real, `failed cases:\n${explain(real)}`).toEqual([]);
        if (pending.length > 0) {
          const some = pending.map((r) => r.title).slice(0, 5);
          ctx.skip(
            `${address}: ${pending.length} case(s) answered NOT_IMPLEMENTED (${some.join('; ')}, ...)`,
          );
        }
        // Coverage was judged: every server event observed, or untestable for a reason the spec gives.
        expect(report.namespaces[0]?.coverage).toBeDefined();
        expect(report.ok).toBe(true);
      } finally {
        await t.close();
      }
    }, 120_000);
  }
});
