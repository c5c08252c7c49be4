/**
 * `parley conformance --fuzz`: payloads drawn from every client operation's schema of every namespace (valid and
 * one-fault invalid), against the reference server. Invariants: every packet is answered as documented (the
 * harness's checks), the process logs no unhandled rejection or uncaught exception, and the server answers
 * another user's request promptly afterwards. Bounded: `RUNS` payloads per operation, a fixed seed (printed,
 * so a failure replays with `--fuzz-seed`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawPayloads } from '../../conformance/fuzz.js';
import { failureDetails } from '../../conformance/report.js';
import { PayloadValidator } from '../../conformance/validate.js';
import { conformance, failureMessages, specAndFixtures, startConformanceServer } from './helpers.js';

const RUNS = 12;
const SEED = 20261204;
const { ir, fixtures } = await specAndFixtures();

const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
beforeAll(() => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
});
afterAll(() => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

describe('drawing payloads', () => {
  const validator = new PayloadValidator();
  const send = ir.namespaces
    .find((ns) => ns.address === '/messenger')!
    .receive.find((op) => op.event === 'send_message')!;

  it('draws the same payloads from the same seed, valid and invalid, classified by the validator', () => {
    const a = drawPayloads(send.message.payload, validator, 40, SEED);
    expect(drawPayloads(send.message.payload, validator, 40, SEED)).toEqual(a);
    expect(a.filter((p) => p.valid).length).toBeGreaterThan(5);
    expect(a.filter((p) => !p.valid).length).toBeGreaterThan(5);
    for (const p of a) expect(validator.problems(send.message.payload, p.args).length === 0).toBe(p.valid);
    expect(new Set(a.filter((p) => !p.valid).map((p) => p.name)).size).toBeGreaterThan(3);
  });
});

describe.concurrent('the reference server under fuzzing', () => {
  for (const { address } of ir.namespaces) {
    it(`answers ${RUNS} drawn payloads per operation of ${address} as documented`, async () => {
      const t = await startConformanceServer();
      try {
        const report = await conformance(t.server, {
          namespaces: [address],
          fuzz: { runs: RUNS, seed: SEED },
        });
        const failed = report.results.filter((r) => r.status === 'failed');
        const explained = failed.map((r) => [r.id, ...failureDetails(r)].join('\n    ')).join('\n');
        expect(failed, explained).toEqual([]);
        const ran = report.results.filter((r) => r.kind === 'fuzz' && r.status === 'passed');
        expect(ran.length).toBeGreaterThan(0);
        expect(report.filtered).toBe(true);
        // Still prompt for someone else: a fresh connection of another user of the namespace's data.
        const started = performance.now();
        const other = await t.connect(address, fixtures.namespaces[address]!.observer);
        expect(other.connected).toBe(true);
        expect(performance.now() - started).toBeLessThan(2000);
      } finally {
        await t.close();
      }
      expect(crashes).toEqual([]);
    }, 120_000);
  }
});

describe('fuzzing catches what the examples do not show', () => {
  it('a server that never answers a message with non-ASCII content (the examples are all ASCII)', async () => {
    const t = await startConformanceServer();
    try {
      t.server.io.of('/messenger').use((socket, next) => {
        socket.use((packet, proceed) => {
          const content = (packet[1] as { content?: unknown } | undefined)?.content;
          // Dropped: neither the handlers nor the runtime see it, so no ack comes.
          if (packet[0] === 'send_message' && typeof content === 'string' && /[^\x20-\x7e]/.test(content))
            return;
          proceed();
        });
        next();
      });
      const report = await conformance(t.server, {
        namespaces: ['/messenger'],
        grep: 'send_message',
        fuzz: { runs: RUNS, seed: SEED },
        timeoutMs: 500,
      });
      void {};
      expect(report.ok).toBe(false);
      expect(failureMessages(report)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `send_message › fuzz .*: no acknowledgement for "send_message" within 500 ms after fuzz payload \\d+ of ${RUNS} \\(seed \\d+\\)`,
          ),
        ),
      );
    } finally {
      await t.close();
    }
  });
});
