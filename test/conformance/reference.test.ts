/**
 * The reference server keeps the contract: every conformance case of every namespace passes against the real
 * server on port 0 (reset hook on, a fake AI endpoint for the assistant), driven by the harness as
 * `parley conformance` drives it. Namespaces run concurrently, each against a server of its own. Then the same
 * server without an AI endpoint, as `npm start` runs it: `--without ai` skips the assistant's cases, runs
 * those documenting its absence, and still passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult, ConformanceReport } from '../../conformance/index.js';
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

const withAi = () => startConformanceServer({ ai: { baseUrl: ai.baseUrl, model: 'fake-model' } });

function explain(results: CaseResult[]): string {
  return results.map((r) => [r.id, ...failureDetails(r).map((line) => `    ${line}`)].join('\n')).join('\n');
}

function expectPassed(report: ConformanceReport): void {
  const failed = report.results.filter((r) => r.status === 'failed');
  expect(failed, `failed cases:\n${explain(failed)}`).toEqual([]);
  expect(report.ok).toBe(true);
}

/** The reason of each untestable result, by case title. */
const untestable = (report: ConformanceReport) =>
  Object.fromEntries(report.results.filter((r) => r.status === 'untestable').map((r) => [r.title, r.reason]));

describe.concurrent('the reference server keeps the contract', () => {
  it('serves every namespace of the spec', async () => {
    const t = await withAi();
    try {
      expect(servedNamespaces(t.server, ir)).toEqual(ir.namespaces.map((ns) => ns.address));
    } finally {
      await t.close();
    }
  });

  for (const { address } of ir.namespaces) {
    it(`passes every case of ${address}`, async () => {
      const t = await withAi();
      try {
        const report = await conformance(t.server, { namespaces: [address] });
        expectPassed(report);
        // Coverage was judged: every server event observed, or untestable for a reason the spec gives.
        expect(report.namespaces[0]?.coverage).toBeDefined();
        // With an assistant, nothing is skipped for a missing feature.
        expect(Object.values(untestable(report)).join('\n')).not.toContain('the server runs without');
      } finally {
        await t.close();
      }
    }, 120_000);
  }
});

describe.concurrent('the reference server without an AI endpoint', () => {
  it('passes every case of /chatterbox --without ai; the answers it cannot give are untestable, by name', async () => {
    const t = await startConformanceServer();
    try {
      const report = await conformance(t.server, { namespaces: ['/chatterbox'], without: ['ai'] });
      expectPassed(report);
      const passed = report.results.filter((r) => r.status === 'passed').map((r) => r.title);
      expect(passed).toContain('ai-message › example "not_configured"');
      expect(passed).toContain('coverage › ai-error');
      const needsAi = 'needs ai, and the server runs without it (--without ai)';
      expect(untestable(report)).toMatchObject({
        'ai-message › example "basic"': needsAi,
        'coverage › ai-stream':
          'only cases that need ai cause it, and the server runs without it (--without ai)',
        'coverage › ai-complete':
          'only cases that need ai cause it, and the server runs without it (--without ai)',
      });
    } finally {
      await t.close();
    }
  }, 120_000);

  it('answers the canonical ai:ask with the documented NOT_IMPLEMENTED, which the harness checks only --without ai', async () => {
    const t = await startConformanceServer();
    try {
      const without = await conformance(t.server, { namespaces: ['/'], grep: 'ai:', without: ['ai'] });
      expectPassed(without);
      expect(without.results.find((r) => r.title === 'ai:ask › example "not_configured"')?.status).toBe(
        'passed',
      );
      expect(untestable(without)['ai:stop › example "basic"']).toMatch(/^needs ai/);

      // Told nothing, the harness expects an assistant: the same server fails the assistant's cases.
      const told = await conformance(t.server, { namespaces: ['/'], grep: 'ai:ask › example' });
      expect(told.ok).toBe(false);
      expect(told.results.find((r) => r.title === 'ai:ask › example "basic"')?.status).toBe('failed');
      expect(untestable(told)['ai:ask › example "not_configured"']).toBe(
        'documents a server without ai (run with --without ai against one)',
      );
    } finally {
      await t.close();
    }
  }, 120_000);

  it('refuses a feature the fixtures do not declare, naming those they do', async () => {
    const t = await startConformanceServer();
    try {
      await expect(conformance(t.server, { namespaces: ['/'], without: ['voice'] })).rejects.toThrow(
        '--without "voice": the fixtures declare no such feature (they declare: ai; add it under features: to use it)',
      );
    } finally {
      await t.close();
    }
  });
});
