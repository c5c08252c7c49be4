/**
 * The cases of a namespace, derived from the IR and the fixtures: one per documented example of every client
 * operation, the invalid payloads of each, the authentication refusals, and one connect/disconnect case that
 * sees what the server sends unprompted.
 */
import type { IREffect, IRExample, IRNamespace, IROperation } from '../codegen/index.js';
import { errorShape, isErrorValue } from './error-shape.js';
import { exampleKey, examplesOf, type FixtureFile, type ResolvedCase, resolveCase } from './fixtures.js';
import { drawPayloads, type FuzzPayload } from './fuzz.js';
import { type InvalidPayload, invalidPayloads } from './negative.js';
import { argsOf, type PayloadValidator } from './validate.js';

interface CaseBase {
  /** `/messenger › send_message › example "seed"` */
  id: string;
  namespace: IRNamespace;
  /** `send_message › example "seed"` */
  title: string;
  /** Why the case does not run: the fixture says so, or the server lacks or has a feature the case needs. */
  skip?: string;
  /** The feature the server runs without that the case needs (the effects it would cause go uncovered). */
  missing?: string;
}

export interface ExampleCase extends CaseBase {
  kind: 'example';
  op: IROperation;
  example: IRExample;
  exampleIndex: number;
  fixture: ResolvedCase;
  /** The payload to send (placeholders not yet filled in). */
  payload: unknown;
  /** The reply example paired with this one by name, if the operation documents one. */
  reply: IRExample | undefined;
  expect: 'success' | 'failure';
  /** The effects this case must produce (`success`/`always`, or only `always` for a failure). */
  effects: IREffect[];
  /** The room of the case's `room` effects, when one can be told. */
  room: string | undefined;
}

export interface NegativeCase extends CaseBase {
  kind: 'negative';
  op: IROperation;
  invalid: InvalidPayload;
  fixture: ResolvedCase;
}

export interface HandshakeCase extends CaseBase {
  kind: 'handshake';
  variant: 'no token' | 'bad signature' | 'expired token';
}

export interface EventAuthCase extends CaseBase {
  kind: 'event-auth';
  variant: 'bad token' | 'expired token' | 'another event first';
  /** For `another event first`: the operation tried before authenticating, and its payload. */
  op?: IROperation;
  payload?: unknown;
}

export interface LifecycleCase extends CaseBase {
  kind: 'lifecycle';
}

export interface UnknownEventCase extends CaseBase {
  kind: 'unknown-event';
}

/** `--fuzz`: payloads drawn from an operation's schema, valid and one-fault invalid, sent one after the other. */
export interface FuzzCase extends CaseBase {
  kind: 'fuzz';
  op: IROperation;
  fixture: ResolvedCase;
  payloads: FuzzPayload[];
  seed: number;
}

export type Case =
  | FuzzCase
  | ExampleCase
  | NegativeCase
  | HandshakeCase
  | EventAuthCase
  | LifecycleCase
  | UnknownEventCase;

export interface FuzzOptions {
  /** Payloads per operation. */
  runs: number;
  /** The first operation's seed; the next ones count up from it. */
  seed: number;
}

export interface NamespacePlan {
  namespace: IRNamespace;
  cases: Case[];
  /** A plain case that proves the server still answers (re-run after each invalid payload). */
  probe: ExampleCase | undefined;
}

/**
 * The cases of `ns`. `without`: the fixtures' features the server runs without (`--without`); cases that need
 * one are skipped, and cases that need one absent run only then.
 */
export function planNamespace(
  ns: IRNamespace,
  fixtures: FixtureFile,
  validator: PayloadValidator,
  without: ReadonlySet<string> = new Set(),
  fuzz?: FuzzOptions,
): NamespacePlan {
  const cases: Case[] = [];
  const make = (title: string) => ({ id: `${ns.address} › ${title}`, namespace: ns, title });
  const examples: ExampleCase[] = [];

  for (const op of ns.receive) {
    examplesOf(op).forEach((example, exampleIndex) => {
      const c = exampleCase(ns, op, example, exampleIndex, fixtures, make, without, validator);
      examples.push(c);
      cases.push(c);
    });
    for (const [name, extra] of Object.entries(
      fixtures.namespaces[ns.address]?.operations?.[op.event]?.extra ?? {},
    )) {
      const example: IRExample = { payload: extra.payload, pointer: op.message.pointer };
      cases.push(exampleCase(ns, op, example, -1, fixtures, make, without, validator, name));
    }
  }
  if (fuzz) {
    const all = [...examples];
    const fuzzCases = ns.receive
      .filter((op) => op.event !== ns.auth.event)
      .map((op, i): FuzzCase => {
        const base = all.find((c) => c.op === op && c.expect === 'success') ?? all.find((c) => c.op === op);
        const fixture = resolveCase(fixtures, ns, op, base ? { example: base.exampleIndex } : undefined);
        const seed = fuzz.seed + i;
        return {
          ...make(`${op.event} › fuzz (${fuzz.runs} payloads, seed ${seed})`),
          ...skipOf(fixture, without),
          kind: 'fuzz',
          op,
          fixture,
          seed,
          payloads: drawPayloads(op.message.payload, validator, fuzz.runs, seed),
        };
      });
    return { namespace: ns, cases: fuzzCases, probe: pickProbe(ns, fixtures, examples) };
  }

  for (const op of ns.receive) {
    // The base of the invalid payloads: the first example that succeeds, else the first, else a sample.
    const base =
      examples.find((c) => c.op === op && c.expect === 'success') ?? examples.find((c) => c.op === op);
    const fixture = resolveCase(fixtures, ns, op, base ? { example: base.exampleIndex } : undefined);
    const valid = base?.payload;
    const payload = op.message.payload;
    const invalids = invalidPayloads(
      payload,
      payload.kind === 'args' ? argsOf(payload, valid) : valid,
      (args) => validator.problems(payload, args).length === 0,
    );
    const [first] = invalids;
    if (op.failure?.via === 'log' && first) {
      // The server refuses them, but nothing on the wire says so: one case says why none can be checked.
      cases.push({
        ...make(`${op.event} › rejects invalid payloads`),
        skip: `a refusal of "${op.event}" reaches no client (${op.failure.reason}), so it cannot be observed`,
        kind: 'negative',
        op,
        invalid: first,
        fixture,
      });
      continue;
    }
    for (const invalid of invalids) {
      cases.push({
        ...make(`${op.event} › rejects ${invalid.name}`),
        ...skipOf(fixture, without),
        kind: 'negative',
        op,
        invalid,
        fixture,
      });
    }
  }
  if (ns.auth.handshake.length > 0) {
    const titles = {
      'no token': 'no token',
      'bad signature': 'a token with a bad signature',
      'expired token': 'an expired token',
    } as const;
    for (const variant of ['no token', 'bad signature', 'expired token'] as const) {
      cases.push({ ...make(`handshake › rejects ${titles[variant]}`), kind: 'handshake', variant });
    }
  }
  if (ns.auth.event !== undefined) {
    const event = ns.auth.event;
    cases.push({
      ...make(`${event} › rejects a token with a bad signature`),
      kind: 'event-auth',
      variant: 'bad token',
    });
    cases.push({
      ...make(`${event} › rejects an expired token`),
      kind: 'event-auth',
      variant: 'expired token',
    });
    const other = examples.find((c) => c.op.event !== event && c.skip === undefined);
    if (other) {
      cases.push({
        ...make(`${event} › refuses "${other.op.event}" before authenticating`),
        kind: 'event-auth',
        variant: 'another event first',
        op: other.op,
        payload: other.payload,
      });
    }
  }
  // Parley answers an event the spec does not name with the error event (README, the runtime's contract).
  if (ns.errors.event !== undefined)
    cases.push({ ...make('rejects an unknown event'), kind: 'unknown-event' });
  cases.push({ ...make('connect and disconnect'), kind: 'lifecycle' });

  return { namespace: ns, cases, probe: pickProbe(ns, fixtures, examples) };
}

function exampleCase(
  ns: IRNamespace,
  op: IROperation,
  example: IRExample,
  exampleIndex: number,
  fixtures: FixtureFile,
  make: (title: string) => CaseBase,
  without: ReadonlySet<string>,
  validator: PayloadValidator,
  extra?: string,
): ExampleCase {
  const fixture = resolveCase(fixtures, ns, op, extra !== undefined ? { extra } : { example: exampleIndex });
  const sampled =
    extra === undefined && op.message.examples.length === 0 && op.message.payload.kind !== 'none';
  const replies = extra !== undefined ? [] : (op.reply?.examples ?? []);
  const reply =
    (example.name !== undefined ? replies.find((r) => r.name === example.name) : undefined) ??
    (replies.length === 1 ? replies[0] : undefined);
  const documentedFailure =
    reply !== undefined &&
    op.failure?.via === 'ack' &&
    isErrorValue(errorShape(ns.errors.ack), reply.payload) === true;
  const expect = fixture.expect ?? (documentedFailure ? 'failure' : 'success');
  const payload = fixture.payload.given ? fixture.payload.value : example.payload;
  const fits = (effect: IREffect) =>
    expect === 'failure' ? effect.when !== 'success' : effect.when !== 'failure';
  const effects = op.effects.filter((effect) =>
    fixture.effects === undefined
      ? fits(effect) && (expect === 'success' || effect.when === 'always')
      : fits(effect) && fixture.effects.includes(effect.event),
  );
  const key = exampleKey(example, exampleIndex);
  const name =
    extra !== undefined
      ? `extra "${extra}"`
      : sampled
        ? 'payload sampled from the schema'
        : example.name !== undefined
          ? `example "${key}"`
          : op.message.examples.length === 0
            ? 'without payload'
            : `example ${key}`;
  return {
    ...make(`${op.event} › ${name}`),
    ...(sampled && !fixture.payload.given ? unusableSample(op, payload, validator) : {}),
    ...skipOf(fixture, without),
    kind: 'example',
    op,
    example,
    exampleIndex,
    fixture,
    payload,
    reply,
    expect,
    effects,
    room: roomOf(ns, op, payload, fixture, fixtures),
  };
}

/** A sampled payload that does not match its own schema (the sampler is best effort) cannot make a case. */
function unusableSample(
  op: IROperation,
  payload: unknown,
  validator: PayloadValidator,
): Pick<CaseBase, 'skip'> {
  const problems = validator.problems(op.message.payload, argsOf(op.message.payload, payload));
  if (problems.length === 0) return {};
  return {
    skip: `the message has no example, and the payload sampled from its schema does not match it (${problems[0]}): add an example, or a payload in the fixtures`,
  };
}

/** Why a case with this fixture does not run against a server without the features in `without`, if it does not. */
function skipOf(fixture: ResolvedCase, without: ReadonlySet<string>): Pick<CaseBase, 'skip' | 'missing'> {
  if (fixture.skip !== undefined) return { skip: `${fixture.skip} (fixtures)` };
  for (const [feature, needed] of Object.entries(fixture.requires)) {
    if (needed && without.has(feature)) {
      return {
        skip: `needs ${feature}, and the server runs without it (--without ${feature})`,
        missing: feature,
      };
    }
    if (!needed && !without.has(feature)) {
      return { skip: `documents a server without ${feature} (run with --without ${feature} against one)` };
    }
  }
  return {};
}

/**
 * The room of the case: the fixture's, else the request's field named by a `room` effect, else that field in
 * the effect event's first example, else the namespace's default room.
 */
function roomOf(
  ns: IRNamespace,
  op: IROperation,
  payload: unknown,
  fixture: ResolvedCase,
  fixtures: FixtureFile,
): string | undefined {
  if (fixture.room !== undefined) return fixture.room;
  for (const effect of op.effects) {
    if (effect.room === undefined) continue;
    const own = fieldOf(payload, effect.room);
    if (own !== undefined) return own;
    const emitted = ns.send.find((s) => s.event === effect.event);
    for (const example of emitted?.message.examples ?? []) {
      const value = fieldOf(example.payload, effect.room);
      if (value !== undefined) return value;
    }
  }
  return fixtures.namespaces[ns.address]?.room;
}

function fieldOf(value: unknown, field: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const item = (value as Record<string, unknown>)[field];
  return typeof item === 'string' || typeof item === 'number' ? String(item) : undefined;
}

/** A plain success case the actor can re-run on its connection: one with an ack, else one the actor hears. */
function pickProbe(ns: IRNamespace, fixtures: FixtureFile, examples: ExampleCase[]): ExampleCase | undefined {
  const plain = examples.filter(
    (c) => c.expect === 'success' && !c.fixture.customised && c.fixture.authenticate && c.skip === undefined,
  );
  const withAck =
    plain.find((c) => c.op.failure?.via === 'ack') ?? plain.find((c) => c.op.reply !== undefined);
  if (withAck) return withAck;
  const joins = fixtures.namespaces[ns.address]?.join !== undefined;
  return plain.find((c) =>
    c.effects.some(
      (e) =>
        e.to === 'sender' || e.to === 'sender-user' || e.to === 'everyone' || (e.to === 'room' && !joins),
    ),
  );
}
