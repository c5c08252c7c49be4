/**
 * Runs cases against a server: reset it, connect the case's users, send, and check what comes back and who
 * hears what. Each case gets its own connections; everything they receive is validated against the spec.
 */
import type { IREffect, IRNamespace, IROperation } from '../codegen/index.js';
import type {
  Case,
  EventAuthCase,
  ExampleCase,
  FuzzCase,
  HandshakeCase,
  NamespacePlan,
  NegativeCase,
} from './cases.js';
import { compareDocumented, show } from './compare.js';
import { Connection, EventLog, type Received } from './connections.js';
import {
  type ErrorShape,
  errorCodeOf,
  errorShape,
  formatJsonPath,
  isErrorValue,
  parseJsonPath,
  valueAt,
} from './error-shape.js';
import {
  defaultAuthPayload,
  type FixtureFile,
  type JoinStep,
  mergeData,
  type Role,
  type SeedData,
  type Step,
} from './fixtures.js';
import { type ResetAnswer, ResetUnavailableError, resetServer } from './reset.js';
import { argsOf, type PayloadValidator, undeclaredArgs } from './validate.js';

export interface RunnerOptions {
  url: string;
  secret: string | undefined;
  /** How long to wait for an ack, an event, a connection. */
  timeoutMs: number;
  /** How long to watch for events that must not come. */
  quietMs: number;
  /** The longest pause after a step that has neither an ack nor `until` (shorter when the server acks it anyway). */
  settleMs: number;
  /** Set without the reset hook (`--no-reset`): the tokens users connect with, instead of resetting. */
  reset?: ResetAnswer | undefined;
}

export type CaseStatus = 'passed' | 'failed' | 'untestable';

export interface Failure {
  message: string;
  expected?: string;
  received?: string;
}

export interface CaseResult {
  id: string;
  namespace: string;
  title: string;
  kind: Case['kind'] | 'coverage' | 'fixtures';
  status: CaseStatus;
  durationMs: number;
  /** What the case sent: `send_message` with `{...}` as the actor. */
  sent?: { event: string; args: unknown[] };
  failures: Failure[];
  /** Why the case is untestable. */
  reason?: string;
  /** The server answered `NOT_IMPLEMENTED` somewhere in this case: it says it does not implement it yet. */
  notImplemented?: boolean;
}

/** Stops a case early; its message is the case's (last) failure. */
class Abort extends Error {}

const VALIDATION_FAILED = 'VALIDATION_FAILED';
const UNAUTHENTICATED = 'UNAUTHENTICATED';
const NOT_IMPLEMENTED = 'NOT_IMPLEMENTED';
/** The pause that lets events sent on connection arrive before a case starts counting. */
const SETTLE_MS = 20;
/** An event no spec names. */
export const UNKNOWN_EVENT = '__parley_unknown_event';

export class Runner {
  /** Per namespace: the server events some case received and validated. */
  readonly covered = new Map<string, Set<string>>();

  constructor(
    private readonly options: RunnerOptions,
    private readonly fixtures: FixtureFile,
    private readonly validator: PayloadValidator,
  ) {}

  async run(plan: NamespacePlan, c: Case): Promise<CaseResult> {
    const started = Date.now();
    if (c.skip !== undefined) {
      return {
        id: c.id,
        namespace: c.namespace.address,
        title: c.title,
        kind: c.kind,
        status: 'untestable',
        durationMs: 0,
        failures: [],
        reason: c.skip,
      };
    }
    const run = new CaseRun(this, plan, c);
    try {
      switch (c.kind) {
        case 'example':
          await run.example(c);
          break;
        case 'negative':
          await run.negative(c);
          break;
        case 'handshake':
          await run.handshake(c);
          break;
        case 'event-auth':
          await run.eventAuth(c);
          break;
        case 'lifecycle':
          await run.lifecycle();
          break;
        case 'unknown-event':
          await run.unknownEvent();
          break;
        case 'fuzz':
          await run.fuzz(c);
          break;
      }
    } catch (error) {
      if (error instanceof ResetUnavailableError) {
        run.close();
        throw error;
      }
      if (!(error instanceof Abort)) run.fail(`the harness failed: ${(error as Error).stack ?? error}`);
    } finally {
      run.close();
    }
    run.sweep();
    const notImplemented = run.sawCode(NOT_IMPLEMENTED);
    return {
      id: c.id,
      namespace: c.namespace.address,
      title: c.title,
      kind: c.kind,
      status: run.failures.length === 0 ? 'passed' : 'failed',
      durationMs: Date.now() - started,
      ...(run.sent ? { sent: run.sent } : {}),
      failures: run.failures,
      ...(notImplemented ? { notImplemented } : {}),
    };
  }

  /** @internal */
  get opts(): RunnerOptions {
    return this.options;
  }

  /** @internal */
  get fixtureFile(): FixtureFile {
    return this.fixtures;
  }

  /** @internal */
  get payloads(): PayloadValidator {
    return this.validator;
  }

  coveredIn(namespace: string): Set<string> {
    let set = this.covered.get(namespace);
    if (!set) {
      set = new Set();
      this.covered.set(namespace, set);
    }
    return set;
  }
}

const TAB = 'actor (2nd tab)';

class CaseRun {
  readonly failures: Failure[] = [];
  sent: { event: string; args: unknown[] } | undefined;
  /** Every ack and refusal the server gave, to look for codes in. */
  private readonly answers: unknown[] = [];
  private readonly log = new EventLog();
  private readonly connections = new Map<string, Connection>();
  private readonly ns: IRNamespace;
  private readonly options: RunnerOptions;
  private tokens: ResetAnswer = { tokens: {}, expiredTokens: {} };
  private room: string | undefined;
  private users: Record<Role, string>;
  /** Values set-up steps took from the server's answers (`capture`), for `{{name}}`. */
  private readonly captured = new Map<string, unknown>();

  constructor(
    private readonly runner: Runner,
    private readonly plan: NamespacePlan,
    c: Case,
  ) {
    this.ns = c.namespace;
    this.options = runner.opts;
    const fixture = runner.fixtureFile.namespaces[this.ns.address];
    if (!fixture) throw new Error(`no fixture for ${this.ns.address}`);
    this.users = { actor: fixture.actor, observer: fixture.observer, outsider: fixture.outsider };
  }

  fail(message: string, detail: { expected?: string; received?: unknown } = {}): void {
    if (this.failures.some((f) => f.message === message)) return;
    this.failures.push({
      message,
      ...(detail.expected !== undefined ? { expected: detail.expected } : {}),
      ...('received' in detail ? { received: show(detail.received, 2000) } : {}),
    });
  }

  abort(message: string, detail: { expected?: string; received?: unknown } = {}): never {
    this.fail(message, detail);
    throw new Abort(message);
  }

  // The case kinds.

  async example(c: ExampleCase): Promise<void> {
    const { op, fixture } = c;
    this.users = { actor: fixture.actor, observer: fixture.observer, outsider: fixture.outsider };
    this.room = c.room;
    await this.reset(fixture.data);
    const needsTab = op.effects.some(
      (e) => e.when !== 'failure' && (e.to === 'sender' || e.to === 'sender-user'),
    );
    const targets = new Set(c.effects.filter((e) => e.to === 'target-user').map((e) => this.targetOf(c, e)));
    await this.connect('outsider', this.users.outsider);
    await this.connect('observer', this.users.observer);
    for (const target of targets) {
      if (target !== undefined && !Object.values(this.users).includes(target)) {
        await this.connect(`target (${target})`, target);
      }
    }
    if (needsTab) await this.connect(TAB, this.users.actor, { authenticate: fixture.authenticate });
    const actor = await this.connect('actor', this.users.actor, { authenticate: fixture.authenticate });
    await this.joinRooms(fixture.joiners, fixture.joinWith);
    for (const step of fixture.before) await this.step(step);
    // Events sent on connection (presence, welcomes) and by the set-up arrive before the case's own are counted.
    await this.settle();

    const mark = this.log.mark();
    const args = argsOf(op.message.payload, this.fill(c.payload));
    this.sent = { event: op.event, args };
    const ackBased = op.failure?.via === 'ack';
    const ack = op.reply ? actor.emitWithAck(op.event, args, this.options.timeoutMs) : undefined;
    if (!ack) actor.emit(op.event, args);

    if (op.reply && (ackBased || c.expect === 'success')) {
      const reply = await ack;
      if (reply === undefined) {
        this.abort(`no acknowledgement for "${op.event}" within ${this.options.timeoutMs} ms`, {
          expected:
            c.reply !== undefined
              ? `an ack like the documented reply "${c.reply.name ?? 0}": ${show(c.reply.payload)}`
              : 'an ack matching the reply schema',
        });
      }
      this.checkReply(c, reply);
    }
    if (c.expect === 'failure' && !ackBased)
      await this.expectErrorEvent(op, mark, 'the documented failure', c.fixture.code);

    await this.expectEffects(c, c.effects, mark);
    await sleep(this.options.quietMs);
    this.checkNotReached(c, mark);
  }

  async negative(c: NegativeCase): Promise<void> {
    const { op } = c;
    this.users = { actor: c.fixture.actor, observer: c.fixture.observer, outsider: c.fixture.outsider };
    await this.reset(c.fixture.data);
    const actor = await this.connect('actor', this.users.actor, { authenticate: c.fixture.authenticate });
    const args = c.invalid.args.map((arg) => this.fill(arg));
    this.sent = { event: op.event, args };
    await this.expectRefusal(actor, op, args, VALIDATION_FAILED, `a payload with ${c.invalid.name}`);
    await this.probe(actor, op, args);
  }

  /**
   * The drawn payloads one after the other on one connection: an invalid one gets the documented refusal; a
   * valid one gets an ack that matches the reply schema (a success or a documented failure: the ids are
   * random) or, where failures go to an error event, that event. Then the server must still answer.
   */
  async fuzz(c: FuzzCase): Promise<void> {
    const { op } = c;
    this.users = { actor: c.fixture.actor, observer: c.fixture.observer, outsider: c.fixture.outsider };
    await this.reset(c.fixture.data);
    const open = () => this.connect('actor', this.users.actor, { authenticate: c.fixture.authenticate });
    let actor = await open();
    let lastInvalid: unknown[] | undefined;
    for (const [i, payload] of c.payloads.entries()) {
      // A valid request may end the session (a sign-out): the next payload gets a new one.
      if (!actor.connected) actor = await open();
      const { args } = payload;
      this.sent = { event: op.event, args };
      const what = `fuzz payload ${i + 1} of ${c.payloads.length} (seed ${c.seed}), ${payload.valid ? 'a valid one' : `one with ${payload.name}`}`;
      if (op.failure?.via === 'log') {
        // Its failures reach no client (only the server's log): nothing to wait for but the probe below.
        actor.emit(op.event, args);
      } else if (!payload.valid) {
        await this.expectRefusal(actor, op, args, VALIDATION_FAILED, what);
        lastInvalid = args;
      } else if (op.reply) {
        await this.expectAnswer(actor, op, args, what);
      } else {
        actor.emit(op.event, args);
      }
    }
    await this.probe(actor, op, lastInvalid ?? []);
  }

  /** A valid request to an operation with a reply: its ack, or (where failures go there) the error event. */
  private async expectAnswer(
    conn: Connection,
    op: IROperation,
    args: unknown[],
    what: string,
  ): Promise<void> {
    const reply = op.reply as NonNullable<IROperation['reply']>;
    const errorEvent = errorEventOf(op);
    const mark = this.log.mark();
    const acked = conn.emitWithAck(op.event, args, this.options.timeoutMs).then((args) => ({ args }));
    const refused =
      errorEvent === undefined
        ? undefined
        : this.log
            .waitFor(mark, (e) => e.label === conn.label && e.event === errorEvent, this.options.timeoutMs)
            .then((event) => (event ? { event } : new Promise<never>(() => {})));
    const answer = await (refused ? Promise.race([acked, refused]) : acked);
    if ('event' in answer) return; // the sweep checks the error event against its schema
    if (answer.args === undefined) {
      this.abort(`no acknowledgement for "${op.event}" within ${this.options.timeoutMs} ms after ${what}`, {
        expected: errorEvent ? `an ack or the error event "${errorEvent}"` : 'an ack',
      });
    }
    this.answers.push(answer.args);
    const problems = this.runner.payloads.problems(reply.payload, answer.args);
    if (problems.length > 0) {
      this.abort(
        `the acknowledgement of "${op.event}" after ${what} does not match the reply schema: ${problems.join('; ')}`,
        {
          received: answer.args,
        },
      );
    }
  }

  async handshake(c: HandshakeCase): Promise<void> {
    await this.reset(this.namespaceData());
    const user = this.users.actor;
    const valid = this.tokenOf(user);
    const token =
      c.variant === 'no token'
        ? undefined
        : c.variant === 'bad signature'
          ? tamper(valid)
          : this.tokens.expiredTokens[user];
    if (c.variant === 'expired token' && token === undefined) {
      this.abort(`the reset hook gave no expired token for "${user}"`);
    }
    this.sent = { event: '(handshake)', args: [token === undefined ? {} : { token }] };
    const source = this.ns.auth.handshake[0] as string;
    const opened = await Connection.open({
      url: this.options.url,
      namespace: this.ns.address,
      label: 'stranger',
      user,
      ...(token !== undefined ? { token: { value: token, source } } : {}),
      log: this.log,
      timeoutMs: this.options.timeoutMs,
    });
    this.connections.set('stranger', opened.connection);
    const documented = this.ns.send.find((op) => op.reserved && op.event === 'connect_error');
    const reject = this.ns.auth.reject;
    const expected = reject
      ? `the connection accepted, the event "${reject.event}" (${show(reject.payload)}) with code ${UNAUTHENTICATED}, then a disconnect (x-parley-auth.reject)`
      : `connect_error with data.code "${UNAUTHENTICATED}"`;
    if (opened.refused) {
      const value = { message: opened.refused.message, data: opened.refused.data };
      this.answers.push(value);
      if (reject)
        this.fail(`the server refused the connection with connect_error`, { expected, received: value });
      if (documented) {
        const problems = this.runner.payloads.valueProblems(documented.message.payload, value);
        if (problems.length > 0) {
          this.fail(`the connect_error does not match its schema: ${problems.join('; ')}`, {
            received: value,
          });
        } else this.runner.coveredIn(this.ns.address).add('connect_error');
      }
      const code = (opened.refused.data as { code?: unknown } | undefined)?.code;
      if (code !== UNAUTHENTICATED) {
        this.fail(`the connect_error's data.code is ${show(code)}, not "${UNAUTHENTICATED}"`, {
          expected,
          received: value,
        });
      }
      return;
    }
    if (opened.timedOut) {
      this.abort(
        `the handshake with ${c.variant} was neither accepted nor refused within ${this.options.timeoutMs} ms`,
        {
          expected,
        },
      );
    }
    if (documented && !reject) this.abort(`the server accepted a handshake with ${c.variant}`, { expected });
    // Accepted: the server must say why with an event, then disconnect.
    const gone = await opened.connection.waitForDisconnect(this.options.timeoutMs);
    const received = this.log.since(0).map((e) => ({ event: e.event, args: e.args }));
    if (reject) {
      const told = this.log.since(0, (e) => e.event === reject.event)[0];
      if (!told) {
        this.fail(`the server accepted a handshake with ${c.variant} and did not send "${reject.event}"`, {
          expected,
          received,
        });
      } else {
        const shape = errorShape(reject.payload);
        if (isErrorValue(shape, told.args[0]) === false) {
          this.fail(`"${reject.event}" does not have the documented shape (x-parley-auth.reject)`, {
            expected,
            received: told.args[0],
          });
        }
        this.checkCode(shape, told.args[0], UNAUTHENTICATED, expected);
      }
    } else if (this.log.since(0, (e) => hasCode(e.args, UNAUTHENTICATED)).length === 0) {
      this.fail(
        `the server accepted a handshake with ${c.variant} and sent no event with code ${UNAUTHENTICATED}`,
        {
          expected,
          received,
        },
      );
    }
    if (!gone)
      this.fail(`the server kept a socket with ${c.variant} connected for ${this.options.timeoutMs} ms`, {
        expected,
      });
  }

  async eventAuth(c: EventAuthCase): Promise<void> {
    await this.reset(this.namespaceData());
    const authEvent = this.ns.auth.event as string;
    const authOp = this.ns.receive.find((op) => op.event === authEvent);
    if (!authOp)
      this.abort(
        `${this.ns.address} authenticates with "${authEvent}", which is not one of its client events`,
      );
    const conn = await this.connect('actor', this.users.actor, { authenticate: false });
    if (c.variant === 'another event first') {
      const op = c.op as IROperation;
      const args = argsOf(op.message.payload, this.fill(c.payload));
      this.sent = { event: op.event, args };
      await this.expectRefusal(conn, op, args, UNAUTHENTICATED, `"${op.event}" before "${authEvent}"`);
      return;
    }
    const user = this.users.actor;
    const token = c.variant === 'bad token' ? tamper(this.tokenOf(user)) : this.tokens.expiredTokens[user];
    if (token === undefined) this.abort(`the reset hook gave no expired token for "${user}"`);
    const args = argsOf(authOp.message.payload, this.fill(this.authPayload(), { token }));
    this.sent = { event: authEvent, args };
    const mark = this.log.mark();
    await this.expectRefusal(
      conn,
      authOp,
      args,
      UNAUTHENTICATED,
      `a token with ${c.variant === 'bad token' ? 'a bad signature' : 'an expired date'}`,
    );
    await sleep(this.options.quietMs);
    for (const effect of authOp.effects.filter((e) => e.when === 'success')) {
      if (this.log.since(mark, (e) => e.event === effect.event && e.label === 'actor').length > 0) {
        this.fail(`"${authEvent}" with a bad token was answered with "${effect.event}", its success event`);
      }
    }
  }

  /** An event the namespace does not know, sent without an ack: the error event, `VALIDATION_FAILED`. */
  async unknownEvent(): Promise<void> {
    await this.reset(this.namespaceData());
    const actor = await this.connect('actor', this.users.actor);
    const mark = this.log.mark();
    this.sent = { event: UNKNOWN_EVENT, args: [{}] };
    actor.emit(UNKNOWN_EVENT, [{}]);
    // Not an operation: the namespace's error event reports it (the case exists only when there is one).
    const event = this.ns.errors.event;
    const failure =
      event === undefined ? undefined : ({ via: 'event', event, declaredBy: 'namespace' } as const);
    await this.expectErrorEvent(
      { event: UNKNOWN_EVENT, failure },
      mark,
      `the unknown event "${UNKNOWN_EVENT}"`,
      VALIDATION_FAILED,
    );
  }

  async lifecycle(): Promise<void> {
    await this.reset(this.namespaceData());
    await this.connect('observer', this.users.observer);
    await this.connect('outsider', this.users.outsider);
    await this.settle();
    const actor = await this.connect('actor', this.users.actor);
    await this.log.quiet(this.options.quietMs, this.options.timeoutMs);
    actor.close();
    this.connections.delete('actor');
    await this.log.quiet(this.options.quietMs, this.options.timeoutMs);
  }

  /** Waits until no event has come for a short while. */
  private settle(): Promise<void> {
    return this.log.quiet(SETTLE_MS, this.options.timeoutMs);
  }

  // Checks.

  private checkReply(c: ExampleCase, reply: unknown[]): void {
    this.answers.push(reply);
    const op = c.op;
    const replyMessage = op.reply!;
    const problems = this.runner.payloads.problems(replyMessage.payload, reply);
    const value = replyMessage.payload.kind === 'value' ? reply[0] : reply;
    if (problems.length > 0) {
      this.fail(
        `the acknowledgement of "${op.event}" does not match the reply schema: ${problems.join('; ')}`,
        {
          expected: `the reply schema of ${replyMessage.name}`,
          received: value,
        },
      );
    }
    const shape = errorShape(this.ns.errors.ack);
    const isError = isErrorValue(shape, value);
    if (c.expect === 'success' && isError === true) {
      this.abort(`"${op.event}" was refused: the server acknowledged an error`, {
        expected: c.reply
          ? `the documented reply "${c.reply.name ?? 0}": ${show(c.reply.payload)}`
          : 'success',
        received: value,
      });
    }
    if (c.expect === 'failure' && isError === false) {
      this.fail(`"${op.event}" was expected to fail, but the server acknowledged success`, {
        expected: c.reply ? `the documented reply: ${show(c.reply.payload)}` : 'the error ack',
        received: value,
      });
    }
    if (c.expect === 'failure' && c.fixture.code !== undefined && shape?.code.length) {
      const code = errorCodeOf(shape, value);
      if (code !== c.fixture.code)
        this.fail(`the error code is ${show(code)}, not "${c.fixture.code}"`, { received: value });
    }
    if (c.reply !== undefined && problems.length === 0 && c.fixture.compare) {
      const schema = replyMessage.payload.kind === 'value' ? replyMessage.payload.schema : undefined;
      const differences = compareDocumented({
        documented: c.reply.payload,
        actual: value,
        schema,
        request: c.payload,
        free: [...(isError === true ? (shape?.free ?? []) : []), ...c.fixture.ignore.map(parseJsonPath)],
      });
      for (const d of differences) {
        this.fail(
          `the acknowledgement differs from the documented reply "${c.reply.name ?? 0}" at ${d.path}: ${d.message}`,
          { expected: show(c.reply.payload), received: value },
        );
      }
    }
  }

  /** The error an operation's refusal comes as: the error ack, or the error event. */
  private async expectRefusal(
    conn: Connection,
    op: IROperation,
    args: unknown[],
    code: string,
    what: string,
  ): Promise<void> {
    const ackBased = op.failure?.via === 'ack';
    const mark = this.log.mark();
    if (ackBased) {
      const shape = errorShape(this.ns.errors.ack);
      const expected =
        this.ns.errors.ack !== undefined
          ? `the documented error ack (x-parley-errors.ack: ${show(this.ns.errors.ack)}) with code ${code}`
          : 'an error ack';
      const reply = await conn.emitWithAck(op.event, args, this.options.timeoutMs);
      if (reply === undefined) {
        this.abort(`no acknowledgement for "${op.event}" within ${this.options.timeoutMs} ms after ${what}`, {
          expected,
        });
      }
      this.answers.push(reply);
      const value = op.reply!.payload.kind === 'value' ? reply[0] : reply;
      const problems = this.runner.payloads.problems(op.reply!.payload, reply);
      if (problems.length > 0) {
        this.fail(
          `the acknowledgement of "${op.event}" does not match the reply schema: ${problems.join('; ')}`,
          {
            expected,
            received: value,
          },
        );
      }
      if (isErrorValue(shape, value) === false) {
        this.abort(`the server accepted ${what}: "${op.event}" was acknowledged as a success`, {
          expected,
          received: value,
        });
      }
      this.checkCode(shape, value, code, expected);
      return;
    }
    if (op.reply) void conn.emitWithAck(op.event, args, this.options.timeoutMs);
    else conn.emit(op.event, args);
    await this.expectErrorEvent(op, mark, what, code);
  }

  private async expectErrorEvent(
    op: Pick<IROperation, 'event' | 'failure'>,
    mark: number,
    what: string,
    code: string | undefined,
  ): Promise<void> {
    const event = errorEventOf(op);
    if (event === undefined) {
      this.abort(
        `${this.ns.address} documents no error event (x-parley-errors.event) for "${op.event}", so its refusal cannot be checked`,
      );
    }
    const shape = errorShape(this.ns.errors.payload);
    const expected = `the error event "${event}"${this.ns.errors.payload !== undefined ? ` (${show(this.ns.errors.payload)})` : ''}${code ? ` with code ${code}` : ''} to the sender`;
    const got = await this.log.waitFor(
      mark,
      (e) => e.label === 'actor' && e.event === event,
      this.options.timeoutMs,
    );
    if (!got) {
      this.abort(`no "${event}" within ${this.options.timeoutMs} ms after ${what}`, {
        expected,
        received: this.log
          .since(mark, (e) => e.label === 'actor')
          .map((e) => ({ event: e.event, args: e.args })),
      });
    }
    const value = got.args[0];
    if (isErrorValue(shape, value) === false) {
      this.fail(`the "${event}" event does not have the documented error shape`, {
        expected,
        received: value,
      });
    }
    if (code !== undefined) this.checkCode(shape, value, code, expected);
  }

  private checkCode(shape: ErrorShape | undefined, value: unknown, code: string, expected: string): void {
    if (!shape || shape.code.length === 0) return;
    const got = errorCodeOf(shape, value);
    if (got !== code) {
      this.fail(`the error's code (${formatJsonPath(shape.code[0]!)}) is ${show(got)}, not "${code}"`, {
        expected,
        received: value,
      });
    }
  }

  /** After an invalid payload, the server must still answer on the same connection. */
  private async probe(actor: Connection, op: IROperation, invalidArgs: unknown[]): Promise<void> {
    if (!actor.connected) this.abort(`the server closed the connection after an invalid "${op.event}"`);
    // A socket not signed in (the authentication event's own cases) cannot run the plain case.
    const signedIn = this.ns.auth.event === undefined || op.event !== this.ns.auth.event;
    const probe = signedIn ? this.plan.probe : undefined;
    const after = `after an invalid "${op.event}"`;
    if (!probe) {
      await this.expectRefusal(
        actor,
        op,
        invalidArgs,
        VALIDATION_FAILED,
        `the same invalid payload again (${after})`,
      );
      return;
    }
    const args = argsOf(probe.op.message.payload, this.fill(probe.payload));
    if (probe.op.reply) {
      const reply = await actor.emitWithAck(probe.op.event, args, this.options.timeoutMs);
      if (reply === undefined) {
        this.fail(
          `the server stopped answering ${after}: no acknowledgement for "${probe.op.event}" (${probe.title}) within ${this.options.timeoutMs} ms`,
        );
      }
      return;
    }
    const mark = this.log.mark();
    actor.emit(probe.op.event, args);
    const events = new Set(probe.effects.map((e) => e.event));
    const got = await this.log.waitFor(
      mark,
      (e) => e.label === 'actor' && events.has(e.event),
      this.options.timeoutMs,
    );
    if (!got) {
      this.fail(
        `the server stopped answering ${after}: "${probe.op.event}" (${probe.title}) got no ${[...events].join(' or ')} within ${this.options.timeoutMs} ms`,
      );
    }
  }

  /** Waits for each effect at everyone who must get it. */
  private async expectEffects(c: ExampleCase, effects: IREffect[], mark: number): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const effect of effects) {
      const { must, text } = this.audience(c, effect);
      for (const label of must) {
        waits.push(
          this.log
            .waitFor(mark, (e) => e.label === label && e.event === effect.event, this.options.timeoutMs)
            .then((got) => {
              if (got) return this.checkCarried(c, effect, got);
              const conn = this.connections.get(label);
              this.fail(
                `${label} (${conn?.user ?? '?'}) did not receive "${effect.event}" within ${this.options.timeoutMs} ms`,
                {
                  expected: `"${effect.event}" ${text}`,
                  received: this.log.since(mark, (e) => e.label === label).map((e) => e.event),
                },
              );
            }),
        );
      }
    }
    await Promise.all(waits);
  }

  /**
   * What the effect repeats of the request (`carries`) must be what was sent: the content of a message, the
   * room it went to. Ids may come back as strings where they were sent as numbers. A path the request left
   * out is not checked.
   */
  private checkCarried(c: ExampleCase, effect: IREffect, got: Received): void {
    if (!effect.carries || !this.sent) return;
    const request = c.op.message.payload.kind === 'args' ? this.sent.args : this.sent.args[0];
    const emitted = this.ns.send.find((s) => s.event === effect.event);
    const payload = emitted?.message.payload.kind === 'args' ? got.args : got.args[0];
    for (const [to, from] of Object.entries(effect.carries)) {
      const sent = valueAt(request, parseJsonPath(from));
      if (!sent.found) continue;
      const carried = valueAt(payload, parseJsonPath(to));
      if (carried.found && sameValue(carried.value, sent.value)) continue;
      this.fail(
        `${got.label} (${got.user}) received "${effect.event}" with ${to} ${carried.found ? show(carried.value) : 'missing'}, not the request's ${from} (x-parley-effects carries)`,
        { expected: `${to}: ${show(sent.value)}`, received: payload },
      );
    }
  }

  /** Effects that reached someone they must not reach; errors after a success; success events after a failure. */
  private checkNotReached(c: ExampleCase, mark: number): void {
    if (c.expect === 'success') {
      for (const effect of c.effects) {
        const { mustNot, text } = this.audience(c, effect);
        // The same event may go to others through another effect (the caller's target and the sender's tabs).
        const elsewhere = new Set(
          c.effects
            .filter((e) => e !== effect && e.event === effect.event)
            .flatMap((e) => this.audience(c, e).must),
        );
        for (const label of mustNot.filter((l) => !elsewhere.has(l))) {
          const got = this.log.since(mark, (e) => e.label === label && e.event === effect.event)[0];
          if (got) {
            this.fail(
              `${label} (${got.user}${this.whyNot(label, effect)}) received "${effect.event}", which goes ${text}`,
              {
                received: got.args,
              },
            );
          }
        }
      }
      const errorEvent = errorEventOf(c.op);
      const error = this.log.since(mark, (e) => e.label === 'actor' && e.event === errorEvent)[0];
      if (error) {
        this.fail(`"${c.op.event}" was expected to succeed, but the server sent "${errorEvent}"`, {
          received: error.args,
        });
      }
      return;
    }
    for (const effect of c.op.effects.filter((e) => e.when === 'success')) {
      const got = this.log.since(mark, (e) => e.event === effect.event && e.label !== 'stranger')[0];
      if (got && !c.effects.some((e) => e.event === effect.event)) {
        this.fail(
          `"${c.op.event}" failed as documented, yet "${effect.event}" reached ${got.label} (${got.user})`,
          {
            received: got.args,
          },
        );
      }
    }
  }

  /** Who must and who must not get an effect, by connection label. */
  private audience(c: ExampleCase, effect: IREffect): { must: string[]; mustNot: string[]; text: string } {
    const labels = [...this.connections.keys()];
    const userOf = (label: string) => this.connections.get(label)?.user;
    const actor = this.users.actor;
    const room = this.room ?? (effect.room ? `named by "${effect.room}"` : '?');
    switch (effect.to) {
      case 'sender':
        return {
          must: ['actor'],
          mustNot: labels.filter((l) => l !== 'actor'),
          text: 'to the sending socket only (to: sender)',
        };
      case 'sender-user':
        return {
          must: labels.filter((l) => userOf(l) === actor),
          mustNot: labels.filter((l) => userOf(l) !== actor),
          text: `to every socket of ${actor} (to: sender-user)`,
        };
      case 'room':
        return {
          must: ['actor', 'observer'],
          mustNot: ['outsider'],
          text: `to the members of room ${room} (to: room)`,
        };
      case 'room-others':
        return {
          must: ['observer'],
          mustNot: ['actor', 'outsider'],
          text: `to the members of room ${room} but the sender (to: room-others)`,
        };
      case 'target-user': {
        const target = this.targetOf(c, effect);
        if (target === undefined) {
          this.fail(
            `cannot tell the target of "${effect.event}": neither the request nor the event's examples have "${effect.target}"`,
          );
          return { must: [], mustNot: [], text: 'to the target user (to: target-user)' };
        }
        return {
          must: labels.filter((l) => userOf(l) === target),
          mustNot: labels.filter((l) => userOf(l) !== target),
          text: `to every socket of the target ${target ?? '?'} (to: target-user)`,
        };
      }
      case 'everyone':
        return { must: labels, mustNot: [], text: 'to every socket of the namespace (to: everyone)' };
      case 'others':
        return {
          must: labels.filter((l) => l !== 'actor' && l !== TAB),
          mustNot: ['actor'],
          text: 'to every socket but the sender (to: others)',
        };
    }
  }

  private whyNot(label: string, effect: IREffect): string {
    if (label === 'outsider' && (effect.to === 'room' || effect.to === 'room-others')) {
      return `, not a member of ${this.room ?? 'the room'}`;
    }
    if (label === 'actor') return ', the sender';
    return '';
  }

  /** The user a `target-user` effect goes to: the request's field, else that field in the event's first example. */
  private targetOf(c: ExampleCase, effect: IREffect): string | undefined {
    const field = effect.target;
    if (field === undefined) return undefined;
    const fromRequest = idField(c.payload, field);
    if (fromRequest !== undefined) return fromRequest;
    const emitted = this.ns.send.find((op) => op.event === effect.event);
    for (const example of emitted?.message.examples ?? []) {
      const value = idField(example.payload, field);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Whether some ack, refusal or received event carried this error code. */
  sawCode(code: string): boolean {
    return [...this.answers, ...this.log.entries.map((e) => e.args)].some((value) => hasCode(value, code));
  }

  /** Validates everything received; what validates counts as covered. */
  sweep(): void {
    const send = new Map(this.ns.send.filter((op) => !op.reserved).map((op) => [op.event, op]));
    const covered = this.runner.coveredIn(this.ns.address);
    for (const entry of this.log.entries) {
      const op = send.get(entry.event);
      if (!op) {
        this.fail(
          `${entry.label} (${entry.user}) received "${entry.event}", which is not a server event of ${this.ns.address}`,
          {
            received: entry.args,
          },
        );
        continue;
      }
      const extra = undeclaredArgs(op.message.payload, entry.args);
      if (extra.length > 0) {
        this.fail(
          `${entry.label} (${entry.user}) received "${entry.event}" with ${entry.args.length} arguments, ` +
            `${extra.length} more than the spec declares: ${extra.map((arg) => JSON.stringify(arg)).join(', ')} ` +
            '(a client with one parameter per documented argument cannot take it)',
          { received: entry.raw },
        );
        continue;
      }
      let problems = this.runner.payloads.problems(op.message.payload, entry.args);
      // A volatile event carries no recovery offset: its last string argument is its own.
      if (problems.length > 0 && entry.raw !== entry.args) {
        if (this.runner.payloads.problems(op.message.payload, entry.raw).length === 0) problems = [];
      }
      if (problems.length > 0) {
        this.fail(
          `${entry.label} (${entry.user}) received "${entry.event}" that does not match its schema: ${problems.join('; ')}`,
          {
            received: entry.args.length === 1 ? entry.args[0] : entry.args,
          },
        );
      } else covered.add(entry.event);
    }
  }

  // Set-up.

  private namespaceData(): SeedData {
    const file = this.runner.fixtureFile;
    return mergeData(file.data, file.namespaces[this.ns.address]?.data);
  }

  private async reset(data: SeedData): Promise<void> {
    if (this.options.reset !== undefined) {
      this.tokens = this.options.reset;
      return;
    }
    try {
      this.tokens = await resetServer(this.options.url, this.options.secret, data, this.options.timeoutMs);
    } catch (error) {
      if (error instanceof ResetUnavailableError) throw error;
      this.abort(`the reset hook failed: ${(error as Error).message}`);
    }
  }

  private tokenOf(user: string): string {
    const token = this.tokens.tokens[user];
    if (token === undefined) this.abort(`the reset hook gave no token for "${user}"`);
    return token;
  }

  private async connect(
    label: string,
    user: string,
    options: { authenticate?: boolean } = {},
  ): Promise<Connection> {
    const source = this.ns.auth.handshake[0];
    const opened = await Connection.open({
      url: this.options.url,
      namespace: this.ns.address,
      label,
      user,
      ...(source !== undefined ? { token: { value: this.tokenOf(user), source } } : {}),
      log: this.log,
      timeoutMs: this.options.timeoutMs,
    });
    this.connections.set(label, opened.connection);
    if (opened.refused) {
      this.answers.push(opened.refused.data);
      this.abort(`${label} (${user}) could not connect to ${this.ns.address}: ${opened.refused.message}`, {
        received: opened.refused,
      });
    }
    if (opened.timedOut)
      this.abort(
        `${label} (${user}) could not connect to ${this.ns.address} within ${this.options.timeoutMs} ms`,
      );
    if (this.ns.auth.event !== undefined && options.authenticate !== false) {
      await this.authenticate(opened.connection);
    }
    return opened.connection;
  }

  private authPayload(): unknown {
    return (
      this.runner.fixtureFile.namespaces[this.ns.address]?.authenticate?.payload ??
      defaultAuthPayload(this.ns)
    );
  }

  /** Signs a connection in with the authentication event; aborts the case when that fails. */
  private async authenticate(conn: Connection): Promise<void> {
    const event = this.ns.auth.event as string;
    const op = this.ns.receive.find((o) => o.event === event);
    if (!op)
      this.abort(`${this.ns.address} authenticates with "${event}", which is not one of its client events`);
    const args = argsOf(
      op.message.payload,
      this.fill(this.authPayload(), { token: this.tokenOf(conn.user) }),
    );
    const what = `${conn.label} (${conn.user}) could not authenticate with "${event}"`;
    if (op.failure?.via === 'ack') {
      const reply = await conn.emitWithAck(event, args, this.options.timeoutMs);
      if (reply === undefined) this.abort(`${what}: no acknowledgement within ${this.options.timeoutMs} ms`);
      this.answers.push(reply);
      if (isErrorValue(errorShape(this.ns.errors.ack), reply[0]) === true)
        this.abort(`${what}: refused`, { received: reply[0] });
      return;
    }
    const mark = this.log.mark();
    conn.emit(event, args);
    const success = new Set(
      op.effects
        .filter((e) => e.when === 'success' && e.to !== 'room' && e.to !== 'room-others')
        .map((e) => e.event),
    );
    const failure = errorEventOf(op);
    const got = await this.log.waitFor(
      mark,
      (e) => e.label === conn.label && (success.has(e.event) || e.event === failure),
      this.options.timeoutMs,
    );
    if (!got)
      this.abort(
        `${what}: neither ${[...success].join(' or ') || 'a success event'} nor "${failure}" within ${this.options.timeoutMs} ms`,
      );
    if (!success.has(got.event))
      this.abort(`${what}: the server answered "${got.event}"`, { received: got.args });
  }

  /** Runs the `join` step for each role, into the case's room (the outsider into its own). */
  private async joinRooms(roles: Role[], join: JoinStep | undefined): Promise<void> {
    const fixture = this.runner.fixtureFile.namespaces[this.ns.address];
    if (!join || !fixture) return;
    for (const role of roles) {
      if (this.room === undefined) this.abort('the case has no room to join: set `room` in the fixtures');
      await this.step({ as: role, event: join.event, payload: join.payload, until: join.until }, this.room);
    }
    const own = fixture.join;
    if (fixture.outsiderRoom !== undefined && own) {
      // Nobody else is in that room: only the outsider's own connection can hear its `until`, and an event
      // of the joins above that arrives late must not stand in for it.
      await this.step(
        { as: 'outsider', event: own.event, payload: own.payload, until: own.until },
        fixture.outsiderRoom,
        'outsider',
      );
    }
  }

  /** Sends a set-up event (`repeat` times) and waits for its ack, its `until` event, or a short pause. */
  private async step(step: Step, room = this.room, untilOn?: string): Promise<void> {
    for (let i = 0; i < (step.repeat ?? 1); i++) await this.stepOnce(step, room, untilOn);
  }

  /** `untilOn`: the connection (label) the `until` event must arrive on; default any. */
  private async stepOnce(step: Step, room: string | undefined, untilOn: string | undefined): Promise<void> {
    const conn = this.connections.get(step.as);
    if (!conn)
      this.abort(`the step "${step.event}" is sent as ${step.as}, who is not connected in this case`);
    const op = this.ns.receive.find((o) => o.event === step.event);
    if (!op) this.abort(`the step "${step.event}" is not a client event of ${this.ns.address}`);
    const args = argsOf(op.message.payload, this.fill(step.payload, { room }));
    const mark = this.log.mark();
    let answer: unknown;
    if (op.reply) {
      const reply = await conn.emitWithAck(step.event, args, this.options.timeoutMs);
      if (reply === undefined)
        this.abort(`the set-up step "${step.event}" (${step.as}) got no acknowledgement`);
      this.answers.push(reply);
      answer = reply[0];
      if (isErrorValue(errorShape(this.ns.errors.ack), reply[0]) === true) {
        this.abort(`the set-up step "${step.event}" (${step.as}) was refused`, { received: reply[0] });
      }
    } else if (step.until !== undefined) conn.emit(step.event, args);
    // Nothing confirms it: a pause, cut short if the server acknowledges the event anyway.
    else await conn.emitWithAck(step.event, args, this.options.settleMs);
    const errorEvent = errorEventOf(op);
    const refusal = (e: Received) => e.label === step.as && e.event === errorEvent && e.event !== step.until;
    if (step.until !== undefined) {
      const got = await this.log.waitFor(
        mark,
        (e) => (e.event === step.until && (untilOn === undefined || e.label === untilOn)) || refusal(e),
        this.options.timeoutMs,
      );
      if (!got)
        this.abort(
          `the set-up step "${step.event}" (${step.as}) was not followed by "${step.until}" within ${this.options.timeoutMs} ms`,
        );
      if (!op.reply && !refusal(got)) answer = got.args[0];
    }
    const error = this.log.since(mark, refusal)[0];
    if (error)
      this.abort(`the set-up step "${step.event}" (${step.as}) was refused with "${errorEvent}"`, {
        received: error.args,
      });
    for (const [name, path] of Object.entries(step.capture ?? {})) {
      const at = valueAt(answer, parseJsonPath(path));
      if (!at.found) {
        this.abort(
          `the set-up step "${step.event}" (${step.as}) answered without "${path}" to capture as ${name}`,
          {
            received: answer,
          },
        );
      }
      this.captured.set(name, at.value);
    }
  }

  /** Fills in `{{token}}`, `{{token:<user>}}`, `{{expiredToken}}`, `{{actor}}`, `{{observer}}`, `{{outsider}}`, `{{room}}`. */
  private fill(value: unknown, extra: { token?: string; room?: string | undefined } = {}): unknown {
    const replace = (text: string): string =>
      text.replace(/\{\{(\w+)(?::([^}]+))?\}\}/g, (whole, name: string, arg: string | undefined) => {
        switch (name) {
          case 'token':
            return arg === undefined && extra.token !== undefined
              ? extra.token
              : this.tokenOf(arg ?? this.users.actor);
          case 'expiredToken':
            return this.tokens.expiredTokens[arg ?? this.users.actor] ?? whole;
          case 'actor':
          case 'observer':
          case 'outsider':
            return this.users[name];
          case 'room': {
            const room = 'room' in extra ? extra.room : this.room;
            return room ?? whole;
          }
          default:
            return this.captured.has(name) ? String(this.captured.get(name)) : whole;
        }
      });
    const walk = (v: unknown): unknown => {
      const whole = typeof v === 'string' ? /^\{\{(\w+)\}\}$/.exec(v) : null;
      if (whole && this.captured.has(whole[1] as string)) return this.captured.get(whole[1] as string);
      if (typeof v === 'string') return replace(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object')
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value);
  }

  close(): void {
    for (const conn of this.connections.values()) conn.close();
    this.connections.clear();
  }
}

/** The token with its signature changed (the last part of a JWT), so that it no longer verifies. */
export function tamper(token: string): string {
  const parts = token.split('.');
  const signature = parts.at(-1) ?? '';
  const changed = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  return parts.length === 3
    ? [...parts.slice(0, 2), changed].join('.')
    : `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
}

/** A string or number field of an object, as a string. */
function idField(value: unknown, field: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const item = (value as Record<string, unknown>)[field];
  return typeof item === 'string' || typeof item === 'number' ? String(item) : undefined;
}

/** Whether some `code` property in the arguments is `code`. */
function hasCode(value: unknown, code: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasCode(v, code));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => (k === 'code' && v === code) || hasCode(v, code));
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type { Received };

/** Equal as JSON, a number and its decimal string counting as the same (ids cross dialects as either). */
function sameValue(a: unknown, b: unknown): boolean {
  const scalar = (v: unknown) => typeof v === 'number' || typeof v === 'string';
  if (scalar(a) && scalar(b)) return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The event a failure of `op` comes as, if it comes as one (`IROperation.failure`). */
function errorEventOf(op: Pick<IROperation, 'failure'>): string | undefined {
  return op.failure?.via === 'event' ? op.failure.event : undefined;
}
