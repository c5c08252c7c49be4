/**
 * `parley conformance`, as a function: runs every case of the spec's namespaces against a server by URL and
 * reports each case and the coverage of the server's events (README, "Conformance").
 */
import { compile, type IRDocument, type IRNamespace } from '../codegen/index.js';
import { type Case, type NamespacePlan, planNamespace } from './cases.js';
import { type FixtureFile, loadFixtures } from './fixtures.js';
import { NO_RESET, withoutReset } from './no-reset.js';
import { type CaseResult, Runner } from './runner.js';
import { PayloadValidator } from './validate.js';

export interface ConformanceOptions {
  /** The server's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** The AsyncAPI document (default `asyncapi.yaml`); or give `ir`. */
  spec?: string;
  /** The compiled spec, when the caller has it already. */
  ir?: IRDocument;
  /** The fixture file (default `conformance/fixtures.yaml`), or its parsed content. */
  fixtures?: string | FixtureFile;
  /** The reset hook's secret (`x-parley-test-secret`). */
  secret?: string;
  /**
   * false: the server has no reset hook (`--no-reset`): only the cases that need none run, the others are
   * untestable with the reason (no-reset.ts). Default true.
   */
  reset?: boolean;
  /** Without the reset hook: the tokens users connect with, by user id. */
  tokens?: Record<string, string>;
  /** Only these namespaces (addresses); default: every namespace of the spec. */
  namespaces?: string[];
  /**
   * Features of the fixtures (`features:`) the server runs without, e.g. `ai`: the cases that need one are
   * reported untestable, and so are the events only they cause; the cases documenting its absence run.
   */
  without?: string[];
  /** Only cases whose name contains this text (case-insensitive). Coverage is not judged then. */
  grep?: string;
  /**
   * Fuzz instead of replaying the examples: per client operation, `runs` payloads drawn from its schema (valid
   * and one-fault invalid) with fast-check, from `seed` (default: random, and reported in each case's name).
   * Coverage is not judged then.
   */
  fuzz?: { runs: number; seed?: number };
  /** How long to wait for an ack, an event or a connection. Default 2000 ms. */
  timeoutMs?: number;
  /** How long to watch for events that must not arrive. Default 150 ms. */
  quietMs?: number;
  /**
   * The longest pause after a set-up event that has no ack and no `until` (it ends early when the server
   * acknowledges the event anyway, as Parley's runtime does when asked). Default 200 ms.
   */
  settleMs?: number;
  /** Called before a namespace's cases run. */
  onNamespace?: (namespace: string, cases: number) => void;
  /** Called after each case (and each coverage entry). */
  onResult?: (result: CaseResult) => void;
}

export interface NamespaceSummary {
  namespace: string;
  passed: number;
  failed: number;
  untestable: number;
  /** Server events observed and valid, out of all; `undefined` when coverage was not judged (`grep`). */
  coverage: { covered: number; total: number } | undefined;
}

export interface ConformanceReport {
  ok: boolean;
  /** Only some cases ran (`grep`): coverage was not judged. */
  filtered: boolean;
  results: CaseResult[];
  namespaces: NamespaceSummary[];
  durationMs: number;
}

export const DEFAULT_FIXTURES = 'conformance/fixtures.yaml';

export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const started = Date.now();
  const ir = options.ir ?? (await compile(options.spec ?? 'asyncapi.yaml')).ir;
  const fixtures =
    typeof options.fixtures === 'object'
      ? options.fixtures
      : await loadFixtures(options.fixtures ?? DEFAULT_FIXTURES, ir);
  const selected = selectNamespaces(ir, options.namespaces);
  const without = selectFeatures(fixtures, options.without);
  const grep = options.grep?.toLowerCase();
  const fuzz = options.fuzz && { runs: options.fuzz.runs, seed: options.fuzz.seed ?? randomSeed() };
  /** Coverage is judged only over a whole, plain run. */
  const judged = grep === undefined && fuzz === undefined;
  const validator = new PayloadValidator();
  const runner = new Runner(
    {
      url: options.url,
      secret: options.secret,
      timeoutMs: options.timeoutMs ?? 2000,
      quietMs: options.quietMs ?? 150,
      settleMs: options.settleMs ?? 200,
      reset: options.reset === false ? { tokens: options.tokens ?? {}, expiredTokens: {} } : undefined,
    },
    fixtures,
    validator,
  );
  const results: CaseResult[] = [];
  const namespaces: NamespaceSummary[] = [];
  const report = (result: CaseResult) => {
    results.push(result);
    options.onResult?.(result);
  };
  try {
    for (const ns of selected) {
      const mine: CaseResult[] = [];
      const record = (result: CaseResult) => {
        mine.push(result);
        report(result);
      };
      if (!fixtures.namespaces[ns.address]) {
        options.onNamespace?.(ns.address, 1);
        record({
          id: `${ns.address} › fixtures`,
          namespace: ns.address,
          title: 'fixtures',
          kind: 'fixtures',
          status: 'failed',
          durationMs: 0,
          failures: [
            {
              message: `the fixtures have no entry for ${ns.address}: add namespaces.${ns.address} with its data, actor, observer and outsider`,
            },
          ],
        });
        namespaces.push(summarise(ns.address, mine, undefined));
        continue;
      }
      const plan = planNamespace(ns, fixtures, validator, without, fuzz);
      const fixture = fixtures.namespaces[ns.address];
      if (options.reset === false && fixture)
        plan.cases = withoutReset(plan.cases, fixture, options.tokens ?? {});
      const cases = plan.cases.filter((c) => matches(c, grep));
      options.onNamespace?.(ns.address, cases.length);
      for (const c of cases) record(await runner.run(plan, c));
      const coverage = judged
        ? coverageResults(plan, runner.coveredIn(ns.address), options.reset === false)
        : [];
      for (const result of coverage) record(result);
      namespaces.push(
        summarise(
          ns.address,
          mine,
          judged
            ? {
                covered: coverage.filter((r) => r.status === 'passed').length,
                total: coverage.length,
              }
            : undefined,
        ),
      );
    }
  } finally {
    validator.dispose();
  }
  return {
    ok: results.every((r) => r.status !== 'failed'),
    filtered: !judged,
    results,
    namespaces,
    durationMs: Date.now() - started,
  };
}

function selectNamespaces(ir: IRDocument, wanted: string[] | undefined): IRNamespace[] {
  if (wanted === undefined || wanted.length === 0) return ir.namespaces;
  const unknown = wanted.filter((address) => !ir.namespaces.some((ns) => ns.address === address));
  if (unknown.length > 0) {
    throw new SelectionError(
      `the spec has no namespace ${unknown.map((a) => `"${a}"`).join(', ')} (it has: ${ir.namespaces.map((ns) => ns.address).join(', ')})`,
    );
  }
  return ir.namespaces.filter((ns) => wanted.includes(ns.address));
}

function selectFeatures(fixtures: FixtureFile, without: string[] | undefined): Set<string> {
  const declared = Object.keys(fixtures.features ?? {});
  const unknown = (without ?? []).filter((feature) => !declared.includes(feature));
  if (unknown.length > 0) {
    throw new SelectionError(
      `--without ${unknown.map((f) => `"${f}"`).join(', ')}: the fixtures declare no such feature (they declare: ${declared.join(', ') || 'none'}; add it under features: to use it)`,
    );
  }
  return new Set(without);
}

/** A seed that fits fast-check's 32-bit seeds. */
function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

function matches(c: Case, grep: string | undefined): boolean {
  return grep === undefined || c.id.toLowerCase().includes(grep);
}

/**
 * One entry per server event: observed and valid, untestable (with the spec's reason, because only cases
 * needing a feature the server runs without cause it, or because without the reset hook most cases do not run),
 * or a failure.
 */
function coverageResults(plan: NamespacePlan, covered: ReadonlySet<string>, noReset: boolean): CaseResult[] {
  const ns = plan.namespace;
  // What a case that ran had to cause, and what a case skipped for a missing feature could have caused.
  const ran = new Set(
    plan.cases
      .flatMap((c) => (c.kind === 'example' && c.skip === undefined ? c.effects : []))
      .map((e) => e.event),
  );
  const missing = new Map<string, string>();
  for (const c of plan.cases) {
    if (c.kind === 'example' && c.missing !== undefined)
      for (const e of c.op.effects) missing.set(e.event, c.missing);
  }
  return ns.send.map((op) => {
    const base = {
      id: `${ns.address} › coverage › ${op.event}`,
      namespace: ns.address,
      title: `coverage › ${op.event}`,
      kind: 'coverage' as const,
      durationMs: 0,
      failures: [],
    };
    if (covered.has(op.event)) return { ...base, status: 'passed' as const };
    if (op.untestable !== undefined) return { ...base, status: 'untestable' as const, reason: op.untestable };
    if (noReset) {
      const reason = `no case that runs without the reset hook reached it (${NO_RESET})`;
      return { ...base, status: 'untestable' as const, reason };
    }
    const feature = ran.has(op.event) ? undefined : missing.get(op.event);
    if (feature !== undefined) {
      const reason = `only cases that need ${feature} cause it, and the server runs without it (--without ${feature})`;
      return { ...base, status: 'untestable' as const, reason };
    }
    const how = op.reserved
      ? 'the authentication cases did not see it'
      : 'no case observed a valid one: no operation declares it in x-parley-effects, or the server never sent it';
    return {
      ...base,
      status: 'failed' as const,
      failures: [
        {
          message: `"${op.event}" is not covered: ${how}. If no case can reach it, mark operation "${op.id}" with x-parley-untestable: <reason>`,
        },
      ],
    };
  });
}

function summarise(
  namespace: string,
  results: CaseResult[],
  coverage: NamespaceSummary['coverage'],
): NamespaceSummary {
  const count = (status: CaseResult['status']) => results.filter((r) => r.status === status).length;
  return {
    namespace,
    passed: count('passed'),
    failed: count('failed'),
    untestable: count('untestable'),
    coverage,
  };
}

/** The options name a namespace the spec lacks, or a feature the fixtures do not declare. */
export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

export { FixtureError } from './fixtures.js';
export { ResetUnavailableError } from './reset.js';
export type { CaseResult, Failure } from './runner.js';
