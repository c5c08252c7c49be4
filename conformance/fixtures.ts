/**
 * The conformance fixture file (`conformance/fixtures.yaml`, README "Conformance"): the data the server is
 * reset to before each case, and per namespace who acts, who watches, who must not hear, and per operation
 * or example what differs. Checked with zod and then against the spec; every problem names its path and line.
 */
import { readFile } from 'node:fs/promises';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { IRDocument, IRExample, IRMessage, IRNamespace, IROperation } from '../codegen/index.js';
import { samplePayload } from './sample.js';

// The seed document (the reset hook's body), as the reference server's seed loader reads it.

const SeedUser = z.strictObject({
  id: z.string().min(1).optional(),
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).optional(),
  avatar: z.string().nullable().optional(),
  role: z.enum(['member', 'admin']).optional(),
});

const SeedMember = z.union([
  z.string().min(1),
  z.strictObject({ user: z.string().min(1), role: z.enum(['member', 'admin', 'owner']).optional() }),
]);

const SeedRoom = z.strictObject({
  id: z.string().min(1).optional(),
  kind: z.enum(['channel', 'public', 'direct', 'group', 'thread']).optional(),
  name: z.string().min(1).max(80).optional(),
  description: z.string().optional(),
  topic: z.string().optional(),
  private: z.boolean().optional(),
  members: z.array(SeedMember).optional(),
});

const SeedMessage = z.strictObject({
  id: z.string().min(1).optional(),
  room: z.string().min(1),
  from: z.string().min(1),
  content: z.string(),
  type: z.enum(['text', 'image', 'file', 'gif', 'ticket_link', 'system']).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

const SeedUpload = z.strictObject({
  id: z.string().min(1),
  owner: z.string().min(1),
  filename: z.string().min(1).max(255),
  path: z.string().min(1).max(1024).optional(),
  mimeType: z.string().min(1).optional(),
  size: z.number().int().min(0).optional(),
});

export const SeedDataSchema = z.strictObject({
  users: z.array(SeedUser).optional(),
  rooms: z.array(SeedRoom).optional(),
  messages: z.array(SeedMessage).optional(),
  uploads: z.array(SeedUpload).optional(),
});

/** What the reset hook loads: users, rooms with their members, messages, uploads. */
export type SeedData = z.output<typeof SeedDataSchema>;

// The fixture file.

export const ROLES = ['actor', 'observer', 'outsider'] as const;
export type Role = (typeof ROLES)[number];

const Step = z.strictObject({
  /** Who emits it. */
  as: z.enum(ROLES).default('actor'),
  event: z.string().min(1),
  /** The payload (for a tuple, the list of arguments); absent for an event without one. */
  payload: z.unknown().optional(),
  /** Wait for this server event (on any connection of the case) instead of a fixed pause. */
  until: z.string().min(1).optional(),
  /** Send it this many times (each waiting as above): to use up a rate limit, say. */
  repeat: z.number().int().min(1).max(1000).optional(),
  /**
   * Values the server made up, for later payloads: `{ callId: data.call.id }` takes that path of the ack (or,
   * without an ack, of the `until` event's payload) and fills `{{callId}}` in what follows.
   */
  capture: z.record(z.string().regex(/^\w+$/), z.string().min(1)).optional(),
});
export type Step = z.output<typeof Step>;

const JoinStep = z.strictObject({
  event: z.string().min(1),
  payload: z.unknown().optional(),
  until: z.string().min(1).optional(),
});
export type JoinStep = z.output<typeof JoinStep>;

const overrides = {
  actor: z.string().min(1).optional(),
  observer: z.string().min(1).optional(),
  outsider: z.string().min(1).optional(),
  /** The room whose members must get the case's `room` effects (default: the payload's room field). */
  room: z.string().min(1).optional(),
  /** Replaces the example's payload; strings may hold placeholders (`{{token}}`, `{{room}}`, ...). */
  payload: z.unknown().optional(),
  /** Records loaded for this case on top of the namespace's data. */
  setup: SeedDataSchema.optional(),
  /** Events sent before the case's own, in order (to be typing before `stop`, say); an example's replace its operation's. */
  before: z.array(Step).optional(),
  /** Who joins the case's room first (with `join`). Default: actor and observer. */
  joiners: z.array(z.enum(ROLES)).optional(),
  /** How they join, when not with the namespace's `join` (another kind of room). */
  joinWith: JoinStep.optional(),
  /** The documented outcome. Default: from the paired reply example, else `success`. */
  expect: z.enum(['success', 'failure']).optional(),
  /** For `expect: failure`: the error code the server must give (where the error shape has a code). */
  code: z.string().min(1).optional(),
  /**
   * The effects this case must produce (event names); default: every success effect the operation declares
   * (none for a failure). A failure case may name `when: failure` effects (`rate_limit`).
   */
  effects: z.array(z.string().min(1)).optional(),
  /** Namespaces that authenticate by event: sign in the actor before the case. Default true (false for the auth event itself). */
  authenticate: z.boolean().optional(),
  /** `false`: the documented reply is only an illustration; check the ack against the schema only. */
  compare: z.boolean().optional(),
  /**
   * Paths of the documented reply this fixture cannot reproduce (`data.message.seq`, `*` for any list
   * index): checked by schema only, like generated values.
   */
  ignore: z.array(z.string().min(1)).optional(),
  /** Why this case cannot run against this set-up (it documents another server configuration, say). */
  skip: z.string().min(1).optional(),
  /**
   * Features (declared under `features:`) the case needs the server to have (`true`) or to lack (`false`): a
   * server run `--without` one skips the cases that need it and runs those that document its absence.
   */
  requires: z.record(z.string(), z.boolean()).optional(),
};

const CaseOverrides = z.strictObject(overrides);
export type CaseOverrides = z.output<typeof CaseOverrides>;

const OperationFixture = z.strictObject({
  ...overrides,
  /** Per example, by its `name` (`"#0"` for an unnamed first example). */
  examples: z.record(z.string(), CaseOverrides).optional(),
  /** Cases no example shows (a rate limit reached, say), by a name of your choice; each needs its `payload`. */
  extra: z.record(z.string(), CaseOverrides).optional(),
});
export type OperationFixture = z.output<typeof OperationFixture>;

const NamespaceFixture = z.strictObject({
  /** Loaded before every case of the namespace (after the file's shared `data`). */
  data: SeedDataSchema.optional(),
  /** Who emits the case's event. */
  actor: z.string().min(1),
  /** Another member of the case's room: gets what the room gets. */
  observer: z.string().min(1),
  /** A user in none of the case's rooms: must get none of the room's events. */
  outsider: z.string().min(1),
  /** The default room of a case whose payload names none. */
  room: z.string().min(1).optional(),
  /** A room of the outsider's own (so that "another room" is checked too). */
  outsiderRoom: z.string().min(1).optional(),
  /** How a socket enters a room, for namespaces where connecting is not enough (`{{room}}` is the room). */
  join: JoinStep.optional(),
  /** The payload of the authentication event (`x-parley-auth.event`), e.g. `"{{token}}"`. */
  authenticate: z.strictObject({ payload: z.unknown() }).optional(),
  /** Per operation, by event name. */
  operations: z.record(z.string(), OperationFixture).optional(),
});
export type NamespaceFixture = z.output<typeof NamespaceFixture>;

export const FixtureFileSchema = z.strictObject({
  /** Optional capabilities a server may be run without, by name, with what they are (for `--without`). */
  features: z
    .record(z.string().regex(/^[\w-]+$/, 'a feature name is letters, digits, _ or -'), z.string().min(1))
    .optional(),
  /** Loaded before every case of every namespace. */
  data: SeedDataSchema.optional(),
  /** Per namespace, by address (`/messenger`). */
  namespaces: z.record(z.string().regex(/^\//, 'a namespace address starts with "/"'), NamespaceFixture),
});
export type FixtureFile = z.output<typeof FixtureFileSchema>;

/** One problem in the fixture file. */
export interface FixtureProblem {
  /** `namespaces./messenger.operations.typing.examples.stop.before[0].event` */
  path: string;
  message: string;
  line?: number;
}

export class FixtureError extends Error {
  readonly file: string;
  readonly problems: FixtureProblem[];

  constructor(file: string, problems: FixtureProblem[]) {
    super(
      `${file}: the conformance fixtures are not valid:\n${problems
        .map((p) => `  ${p.path || '(file)'}: ${p.message}${p.line === undefined ? '' : ` (line ${p.line})`}`)
        .join('\n')}`,
    );
    this.name = 'FixtureError';
    this.file = file;
    this.problems = problems;
  }
}

type Path = readonly (string | number)[];

/** Reads, parses and checks a fixture file against the spec. Throws `FixtureError` listing every problem. */
export async function loadFixtures(file: string, ir: IRDocument): Promise<FixtureFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FixtureError(file, [{ path: '', message: `cannot read it: ${(error as Error).message}` }]);
  }
  return parseFixtures(text, ir, file);
}

/** `loadFixtures` for text already read. */
export function parseFixtures(text: string, ir: IRDocument, file = 'fixtures.yaml'): FixtureFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new FixtureError(
      file,
      doc.errors.map((error) => ({
        path: '',
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
        line: error.linePos?.[0].line,
      })),
    );
  }
  const lineOf = (path: Path) => findLine(doc, lines, path);
  const parsed = FixtureFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new FixtureError(
      file,
      parsed.error.issues.map((issue) => {
        const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
        return { path: formatPath(path), message: issue.message, line: lineOf(path) };
      }),
    );
  }
  const problems = checkAgainstSpec(parsed.data, ir).map(({ path, message }) => ({
    path: formatPath(path),
    message,
    line: lineOf(path),
  }));
  if (problems.length > 0) throw new FixtureError(file, problems);
  return parsed.data;
}

/** `namespaces./messenger.operations.send_message.before[0]` */
export function formatPath(path: Path): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

function findLine(doc: Document, lines: LineCounter, path: Path): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * The examples a case is made of: the message's; for an event without payload and without examples, one
 * unnamed example with no payload (so that it is sent at least once); for one with a payload but no examples,
 * one named `sampled`, its payload sampled from the schema.
 */
export function examplesOf(op: IROperation): IRExample[] {
  if (op.message.examples.length > 0) return op.message.examples;
  if (op.message.payload.kind === 'none') return [{ payload: undefined, pointer: op.message.pointer }];
  return [sampledExample(op.message)];
}

/** The key of the example sampled from the schema of a message that documents none (`examples.sampled:`). */
export const SAMPLED = 'sampled';

const sampled = new WeakMap<IRMessage, IRExample>();

/** One example per message without any, sampled once from its schema (`sample.ts`). */
function sampledExample(message: IRMessage): IRExample {
  let example = sampled.get(message);
  if (!example) {
    example = { name: SAMPLED, payload: samplePayload(message.payload), pointer: message.pointer };
    sampled.set(message, example);
  }
  return example;
}

/** The key an example has in `examples:` of the fixture: its name, or `#<index>` when it has none. */
export function exampleKey(example: IRExample, index: number): string {
  return example.name ?? `#${index}`;
}

/** The ids of the users in a seed document. */
export function userIdsOf(data: SeedData | undefined): string[] {
  return (data?.users ?? []).map((user) => user.id ?? user.username);
}

/** Concatenates seed documents, first to last. */
export function mergeData(...parts: (SeedData | undefined)[]): SeedData {
  const merged: Required<SeedData> = { users: [], rooms: [], messages: [], uploads: [] };
  for (const part of parts) {
    merged.users.push(...(part?.users ?? []));
    merged.rooms.push(...(part?.rooms ?? []));
    merged.messages.push(...(part?.messages ?? []));
    merged.uploads.push(...(part?.uploads ?? []));
  }
  const out: SeedData = {};
  for (const key of ['users', 'rooms', 'messages', 'uploads'] as const) {
    if (merged[key].length > 0) Object.assign(out, { [key]: merged[key] });
  }
  return out;
}

/** Checks what zod cannot: names that must exist in the spec, users that must exist in the data. */
function checkAgainstSpec(file: FixtureFile, ir: IRDocument): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  const addresses = ir.namespaces.map((ns) => ns.address);
  const features = Object.keys(file.features ?? {});
  for (const [address, fixture] of Object.entries(file.namespaces)) {
    const base: Path = ['namespaces', address];
    const ns = ir.namespaces.find((n) => n.address === address);
    if (!ns) {
      out.push({
        path: base,
        message: `the spec has no namespace "${address}" (it has: ${list(addresses)})`,
      });
      continue;
    }
    const nsData = mergeData(file.data, fixture.data);
    const receive = new Map(ns.receive.map((op) => [op.event, op]));
    const sendEvents = new Set(ns.send.filter((op) => !op.reserved).map((op) => op.event));
    const checkUsers = (path: Path, roles: Partial<Record<Role, string | undefined>>, data: SeedData) => {
      const known = new Set(userIdsOf(data));
      for (const role of ROLES) {
        const user = roles[role];
        if (user !== undefined && !known.has(user)) {
          out.push({
            path: [...path, role],
            message: `no user "${user}" in the fixture data (users: ${list([...known])})`,
          });
        }
      }
    };
    const checkStep = (path: Path, step: { event: string; until?: string | undefined }) => {
      if (!receive.has(step.event)) {
        out.push({
          path: [...path, 'event'],
          message: `"${step.event}" is not a client event of ${address} (it has: ${list([...receive.keys()])})`,
        });
      }
      if (step.until !== undefined && !sendEvents.has(step.until)) {
        out.push({
          path: [...path, 'until'],
          message: `"${step.until}" is not a server event of ${address} (it has: ${list([...sendEvents])})`,
        });
      }
    };
    checkUsers(base, fixture, nsData);
    if (new Set(ROLES.map((role) => fixture[role])).size !== ROLES.length) {
      out.push({ path: base, message: 'actor, observer and outsider must be three different users' });
    }
    out.push(...duplicates(nsData).map((message) => ({ path: [...base, 'data'], message })));
    if (fixture.join) checkStep([...base, 'join'], fixture.join);
    if (ns.auth.event !== undefined && fixture.authenticate === undefined && !defaultAuthPayload(ns)) {
      out.push({
        path: base,
        message: `${address} authenticates with "${ns.auth.event}": give its payload as authenticate: { payload: ... } with "{{token}}" where the token goes`,
      });
    }
    for (const [event, opFixture] of Object.entries(fixture.operations ?? {})) {
      const opPath: Path = [...base, 'operations', event];
      const op = receive.get(event);
      if (!op) {
        out.push({
          path: opPath,
          message: `"${event}" is not a client event of ${address} (it has: ${list([...receive.keys()])})`,
        });
        continue;
      }
      const checkCase = (path: Path, o: CaseOverrides, inherited: CaseOverrides) => {
        const data = mergeData(nsData, inherited.setup, o.setup);
        if (o.setup) {
          out.push(
            ...duplicates(data).map((message) => ({
              path: [...path, 'setup'],
              message: `with the namespace's data: ${message}`,
            })),
          );
        }
        // Users set here must exist; the three of the case must differ, wherever each was set.
        checkUsers(path, { actor: o.actor, observer: o.observer, outsider: o.outsider }, data);
        const chosen = ROLES.map((role) => o[role] ?? inherited[role] ?? fixture[role]);
        if (ROLES.some((role) => o[role] !== undefined) && new Set(chosen).size !== chosen.length) {
          out.push({
            path,
            message: `actor, observer and outsider must be three different users (here: ${chosen.join(', ')})`,
          });
        }
        (o.before ?? []).forEach((step, i) => {
          checkStep([...path, 'before', i], step);
        });
        if (o.joinWith) checkStep([...path, 'joinWith'], o.joinWith);
        const effectEvents = new Set(op.effects.map((e) => e.event));
        (o.effects ?? []).forEach((name, i) => {
          if (!effectEvents.has(name)) {
            out.push({
              path: [...path, 'effects', i],
              message: `"${name}" is not an effect of "${event}" (x-parley-effects: ${list([...effectEvents])})`,
            });
          }
        });
        for (const feature of Object.keys(o.requires ?? {})) {
          if (!features.includes(feature)) {
            out.push({
              path: [...path, 'requires', feature],
              message: `no feature "${feature}" is declared under features: (declared: ${list(features)})`,
            });
          }
        }
        if (o.code !== undefined && (o.expect ?? inherited.expect) !== 'failure') {
          out.push({ path: [...path, 'code'], message: 'code only applies with expect: failure' });
        }
      };
      checkCase(opPath, opFixture, {});
      const keys = examplesOf(op).map(exampleKey);
      for (const [key, exFixture] of Object.entries(opFixture.examples ?? {})) {
        if (!keys.includes(key)) {
          out.push({
            path: [...opPath, 'examples', key],
            message: `"${event}" has no example "${key}" (it has: ${list(keys)})`,
          });
          continue;
        }
        checkCase([...opPath, 'examples', key], exFixture, opFixture);
      }
      for (const [name, extra] of Object.entries(opFixture.extra ?? {})) {
        const path: Path = [...opPath, 'extra', name];
        if (!('payload' in extra) && op.message.payload.kind !== 'none') {
          out.push({ path, message: `an extra case needs its payload ("${event}" has one)` });
        }
        checkCase(path, extra, opFixture);
      }
    }
  }
  return out;
}

/** Ids (and usernames) that appear twice in a seed document: the reset hook would refuse it. */
function duplicates(data: SeedData): string[] {
  const out: string[] = [];
  const check = (what: string, values: (string | undefined)[]) => {
    const seen = new Set<string>();
    for (const value of values) {
      if (value === undefined) continue;
      if (seen.has(value)) out.push(`${what} "${value}" appears twice`);
      seen.add(value);
    }
  };
  check(
    'user id',
    (data.users ?? []).map((u) => u.id ?? u.username),
  );
  check(
    'username',
    (data.users ?? []).map((u) => u.username),
  );
  check(
    'room id',
    (data.rooms ?? []).map((r) => r.id ?? r.name),
  );
  check(
    'message id',
    (data.messages ?? []).map((m) => m.id),
  );
  check(
    'upload id',
    (data.uploads ?? []).map((u) => u.id),
  );
  return out;
}

/**
 * The authentication event's payload when the fixture gives none: the token itself for a string payload,
 * `{ token }` for an object with a `token` property; `undefined` when neither fits.
 */
export function defaultAuthPayload(ns: IRNamespace): unknown {
  const op = ns.receive.find((o) => o.event === ns.auth.event);
  if (op?.message.payload.kind !== 'value') return undefined;
  const schema = op.message.payload.schema;
  if (schema.type === 'string') return '{{token}}';
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (properties && 'token' in properties) return { token: '{{token}}' };
  return undefined;
}

/** The fixture of one operation and example, with the namespace's defaults filled in. */
export interface ResolvedCase {
  actor: string;
  observer: string;
  outsider: string;
  room: string | undefined;
  payload: { given: boolean; value: unknown };
  data: SeedData;
  before: Step[];
  joiners: Role[];
  joinWith: JoinStep | undefined;
  compare: boolean;
  ignore: string[];
  skip: string | undefined;
  /** The features the case needs (`true`) or needs absent (`false`), the example's over the operation's. */
  requires: Record<string, boolean>;
  expect: 'success' | 'failure' | undefined;
  code: string | undefined;
  effects: string[] | undefined;
  authenticate: boolean;
  /** True when the fixture changes who acts, the data or the steps (the case cannot stand in for a plain one). */
  customised: boolean;
}

/**
 * The fixture of a case: of an example (by index), of an extra case (by name), or of the operation alone
 * (`undefined`), with what the operation and the namespace set filled in.
 */
export function resolveCase(
  file: FixtureFile,
  ns: IRNamespace,
  op: IROperation,
  which: { example: number } | { extra: string } | undefined,
): ResolvedCase {
  const fixture = file.namespaces[ns.address];
  if (!fixture) throw new Error(`no fixture for ${ns.address}`);
  const opFixture = fixture.operations?.[op.event] ?? {};
  let exFixture: CaseOverrides = {};
  if (which !== undefined && 'extra' in which) exFixture = opFixture.extra?.[which.extra] ?? {};
  else if (which !== undefined) {
    const example = examplesOf(op)[which.example];
    if (example) exFixture = opFixture.examples?.[exampleKey(example, which.example)] ?? {};
  }
  const pick = <K extends keyof CaseOverrides>(key: K): CaseOverrides[K] => exFixture[key] ?? opFixture[key];
  const payloadGiven = 'payload' in exFixture || 'payload' in opFixture;
  const customised = [opFixture, exFixture].some((o) =>
    (['actor', 'setup', 'before', 'expect'] as const).some((key) => o[key] !== undefined),
  );
  return {
    actor: pick('actor') ?? fixture.actor,
    observer: pick('observer') ?? fixture.observer,
    outsider: pick('outsider') ?? fixture.outsider,
    room: pick('room'),
    payload: {
      given: payloadGiven,
      value: 'payload' in exFixture ? exFixture.payload : opFixture.payload,
    },
    data: mergeData(file.data, fixture.data, opFixture.setup, exFixture.setup),
    before: exFixture.before ?? opFixture.before ?? [],
    joiners: pick('joiners') ?? ['actor', 'observer'],
    joinWith: pick('joinWith') ?? fixture.join,
    compare: pick('compare') ?? true,
    ignore: [...(opFixture.ignore ?? []), ...(exFixture.ignore ?? [])],
    skip: pick('skip'),
    requires: { ...opFixture.requires, ...exFixture.requires },
    expect: pick('expect'),
    code: pick('code'),
    effects: pick('effects'),
    authenticate: pick('authenticate') ?? op.event !== ns.auth.event,
    customised,
  };
}

function list(items: readonly string[]): string {
  return items.length === 0 ? '(none)' : items.join(', ');
}
