/**
 * `parley diff`, table-driven: for each rule a pair of small specs (YAML written to temp files, compiled as
 * a user's would be), with the change put in turn on what the client sends (a `receive` payload), on what the
 * server sends (a `send` payload) and on the server's ack, asserting the classification and the semver bump
 * in each direction. Then the event-level rules, the CLI (exit codes, formats, `git:` sides) and the self-diff
 * of the repository's `asyncapi.yaml`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DiffFlags, runDiff } from '../../cli/diff.js';
import { type Change, type DiffReport, diffDocuments, formatReport } from '../../codegen/diff/index.js';
import { compile, type IRDocument } from '../../codegen/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

interface Parts {
  /** Payload of `post`, which the client emits (`receive`), and its example. */
  client?: [string, string];
  /** Payload of `posted`, which the server emits (`send`), and its example. */
  server?: [string, string];
  /** Payload of `post`'s ack, and its example. */
  ack?: [string, string];
  /** Extra messages and operations (YAML, indented as in the template). */
  messages?: string;
  operations?: string;
  effects?: string;
}

const OBJECT: [string, string] = ['{ type: object, properties: { id: { type: string } } }', '{ id: m1 }'];

/** A small but valid spec: one namespace, one client event with an ack, one server event, an error event. */
function spec(parts: Parts): string {
  const [clientSchema, clientExample] = parts.client ?? OBJECT;
  const [serverSchema, serverExample] = parts.server ?? OBJECT;
  const [ackSchema, ackExample] = parts.ack ?? OBJECT;
  return `asyncapi: 3.0.0
info: { title: Diff, version: 1.2.3 }
channels:
  chat:
    address: /chat
    x-parley-errors: { event: failed, payload: { code: "{code}", message: "{message}" } }
    messages:
      post:
        name: post
        payload: ${clientSchema}
        examples: [{ name: basic, payload: ${clientExample} }]
      postAck:
        name: post ack
        payload: ${ackSchema}
        examples: [{ name: basic, payload: ${ackExample} }]
      posted:
        name: posted
        payload: ${serverSchema}
        examples: [{ name: basic, payload: ${serverExample} }]
      failed:
        name: failed
        payload: { type: object, properties: { code: { type: string }, message: { type: string } } }
        examples: [{ payload: { code: FORBIDDEN, message: No } }]
${parts.messages ?? ''}
operations:
  chat.post:
    action: receive
    channel: { $ref: "#/channels/chat" }
    messages: [{ $ref: "#/channels/chat/messages/post" }]
    reply:
      channel: { $ref: "#/channels/chat" }
      messages: [{ $ref: "#/channels/chat/messages/postAck" }]
    x-parley-error-event: failed
${parts.effects ?? ''}
  chat.posted:
    action: send
    channel: { $ref: "#/channels/chat" }
    messages: [{ $ref: "#/channels/chat/messages/posted" }]
  chat.failed:
    action: send
    channel: { $ref: "#/channels/chat" }
    messages: [{ $ref: "#/channels/chat/messages/failed" }]
${parts.operations ?? ''}`;
}

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-diff-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Compiling costs about half a second (the AsyncAPI parser), so each distinct spec is compiled once. */
const compiled = new Map<string, Promise<IRDocument>>();
function compileText(yaml: string): Promise<IRDocument> {
  let ir = compiled.get(yaml);
  if (!ir) {
    const file = path.join(dir, `spec-${++n}.yaml`);
    ir = writeFile(file, yaml).then(async () => (await compile(file)).ir);
    compiled.set(yaml, ir);
  }
  return ir;
}

/** The report both ways: base → head, and head → base (the inverse change). */
async function diffBothWays(base: string, head: string): Promise<[DiffReport, DiffReport]> {
  const b = await compileText(base);
  const h = await compileText(head);
  return [diffDocuments(b, h), diffDocuments(h, b)];
}

type Severity = Change['severity'];
type Places = Record<'client' | 'server' | 'ack', Severity>;
const BUMP = { breaking: 'major', minor: 'minor', patch: 'patch' } as const;

/**
 * One schema change, put at once on what the client sends, what the server sends and the server's ack.
 * `forward` is the rule and the severity in each place for base → head; `backward` for head → base.
 */
const schemaCases: [
  string,
  { base: string; head: string; example: string; forward: [string, Places]; backward: [string, Places] },
][] = [
  [
    'new required field / removed required field',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, required: [b], properties: { a: { type: string }, b: { type: string } } }',
      example: '{ a: x, b: y }',
      forward: ['field-added', { client: 'breaking', server: 'minor', ack: 'minor' }],
      backward: ['field-removed', { client: 'patch', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'new optional field / removed optional field',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, properties: { a: { type: string }, b: { type: string } } }',
      example: '{ a: x }',
      forward: ['field-added', { client: 'minor', server: 'minor', ack: 'minor' }],
      backward: ['field-removed', { client: 'patch', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'new / removed optional field in an object that admits no other fields',
    {
      base: '{ type: object, additionalProperties: false, properties: { a: { type: string } } }',
      head: '{ type: object, additionalProperties: false, properties: { a: { type: string }, b: { type: string } } }',
      example: '{ a: x }',
      forward: ['field-added', { client: 'minor', server: 'breaking', ack: 'breaking' }],
      backward: ['field-removed', { client: 'breaking', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'field made required / made optional',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, required: [a], properties: { a: { type: string } } }',
      example: '{ a: x }',
      forward: ['field-required', { client: 'breaking', server: 'patch', ack: 'patch' }],
      backward: ['field-optional', { client: 'patch', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'field made nullable (type list) / not nullable',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, properties: { a: { type: [string, "null"] } } }',
      example: '{ a: x }',
      forward: ['nullable-added', { client: 'patch', server: 'breaking', ack: 'breaking' }],
      backward: ['nullable-removed', { client: 'breaking', server: 'patch', ack: 'patch' }],
    },
  ],
  [
    'field made nullable (oneOf with null) / not nullable',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, properties: { a: { oneOf: [{ type: string }, { type: "null" }] } } }',
      example: '{ a: x }',
      forward: ['nullable-added', { client: 'patch', server: 'breaking', ack: 'breaking' }],
      backward: ['nullable-removed', { client: 'breaking', server: 'patch', ack: 'patch' }],
    },
  ],
  [
    'type widened (added to a union) / narrowed (removed from it)',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, properties: { a: { type: [string, number] } } }',
      example: '{ a: x }',
      forward: ['type-added', { client: 'minor', server: 'breaking', ack: 'breaking' }],
      backward: ['type-removed', { client: 'breaking', server: 'patch', ack: 'patch' }],
    },
  ],
  [
    'type changed',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, properties: { a: { type: boolean } } }',
      example: '{}',
      forward: ['type-changed', { client: 'breaking', server: 'breaking', ack: 'breaking' }],
      backward: ['type-changed', { client: 'breaking', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'enum value added / removed',
    {
      base: '{ type: object, properties: { a: { type: string, enum: [x, y] } } }',
      head: '{ type: object, properties: { a: { type: string, enum: [x, y, z] } } }',
      example: '{ a: x }',
      forward: ['enum-added', { client: 'minor', server: 'breaking', ack: 'breaking' }],
      backward: ['enum-removed', { client: 'breaking', server: 'patch', ack: 'patch' }],
    },
  ],
  [
    'maxLength tightened / loosened',
    {
      base: '{ type: object, properties: { a: { type: string, maxLength: 10 } } }',
      head: '{ type: object, properties: { a: { type: string, maxLength: 5 } } }',
      example: '{ a: abc }',
      forward: ['constraint-tightened', { client: 'breaking', server: 'patch', ack: 'patch' }],
      backward: ['constraint-loosened', { client: 'patch', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'minimum raised / lowered',
    {
      base: '{ type: object, properties: { n: { type: integer, minimum: 0 } } }',
      head: '{ type: object, properties: { n: { type: integer, minimum: 1 } } }',
      example: '{ n: 5 }',
      forward: ['constraint-tightened', { client: 'breaking', server: 'patch', ack: 'patch' }],
      backward: ['constraint-loosened', { client: 'patch', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'maxItems added / removed',
    {
      base: '{ type: object, properties: { l: { type: array, items: { type: string } } } }',
      head: '{ type: object, properties: { l: { type: array, maxItems: 3, items: { type: string } } } }',
      example: '{ l: [a] }',
      forward: ['constraint-tightened', { client: 'breaking', server: 'patch', ack: 'patch' }],
      backward: ['constraint-loosened', { client: 'patch', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'pattern added / removed',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, properties: { a: { type: string, pattern: "^[a-z]+$" } } }',
      example: '{ a: abc }',
      forward: ['constraint-tightened', { client: 'breaking', server: 'patch', ack: 'patch' }],
      backward: ['constraint-loosened', { client: 'patch', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'pattern changed',
    {
      base: '{ type: object, properties: { a: { type: string, pattern: "^[a-z]+$" } } }',
      head: '{ type: object, properties: { a: { type: string, pattern: "^[a-c]+$" } } }',
      example: '{ a: abc }',
      forward: ['constraint-changed', { client: 'breaking', server: 'breaking', ack: 'breaking' }],
      backward: ['constraint-changed', { client: 'breaking', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'additionalProperties closed / opened',
    {
      base: '{ type: object, properties: { a: { type: string } } }',
      head: '{ type: object, additionalProperties: false, properties: { a: { type: string } } }',
      example: '{ a: x }',
      forward: ['additional-closed', { client: 'breaking', server: 'patch', ack: 'patch' }],
      backward: ['additional-opened', { client: 'patch', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'enum value of a field inside a list removed / added',
    {
      base: '{ type: object, properties: { l: { type: array, items: { type: object, properties: { s: { type: string, enum: [on, off] } } } } } }',
      head: '{ type: object, properties: { l: { type: array, items: { type: object, properties: { s: { type: string, enum: [on] } } } } } }',
      example: '{ l: [{ s: on }] }',
      forward: ['enum-removed', { client: 'breaking', server: 'patch', ack: 'patch' }],
      backward: ['enum-added', { client: 'minor', server: 'breaking', ack: 'breaking' }],
    },
  ],
  [
    'oneOf alternative added / removed',
    {
      base: '{ oneOf: [{ type: object, required: [ok], properties: { ok: { const: true } } }] }',
      head: '{ oneOf: [{ type: object, required: [ok], properties: { ok: { const: true } } }, { type: object, required: [ok, error], properties: { ok: { const: false }, error: { type: string } } }] }',
      example: '{ ok: true }',
      forward: ['alternative-added', { client: 'minor', server: 'breaking', ack: 'breaking' }],
      backward: ['alternative-removed', { client: 'breaking', server: 'patch', ack: 'patch' }],
    },
  ],
  [
    'description changed',
    {
      base: '{ type: object, properties: { a: { type: string, description: Old. } } }',
      head: '{ type: object, properties: { a: { type: string, description: New. } } }',
      example: '{ a: x }',
      forward: ['docs', { client: 'patch', server: 'patch', ack: 'patch' }],
      backward: ['docs', { client: 'patch', server: 'patch', ack: 'patch' }],
    },
  ],
];

const PLACES = [
  ['client', { event: 'post', part: 'payload', direction: 'client → server' }],
  ['server', { event: 'posted', part: 'payload', direction: 'server → client' }],
  ['ack', { event: 'post', part: 'ack', direction: 'client → server' }],
] as const;

/** The worst severity of a set of places: what the bump of one report follows. */
const worst = (places: Places): Severity =>
  Object.values(places).includes('breaking')
    ? 'breaking'
    : Object.values(places).includes('minor')
      ? 'minor'
      : 'patch';

describe('parley diff: schema changes, classified by who writes the payload', () => {
  it.each(schemaCases)('%s', async (_name, { base, head, example, forward, backward }) => {
    const at = (schema: string): Parts => ({
      client: [schema, example],
      server: [schema, example],
      ack: [schema, example],
    });
    const reports = await diffBothWays(spec(at(base)), spec(at(head)));
    for (const [report, [rule, want]] of [
      [reports[0], forward],
      [reports[1], backward],
    ] as const) {
      for (const [place, where] of PLACES) {
        const change = report.changes.find(
          (c) => c.rule === rule && c.event === where.event && c.part === where.part,
        );
        expect(change, `${rule} on ${place} in ${JSON.stringify(report.changes, null, 1)}`).toBeDefined();
        expect([place, change?.direction, change?.severity]).toEqual([place, where.direction, want[place]]);
        expect(change?.reason).toMatch(/\w/);
      }
      expect(report.bump).toBe(BUMP[worst(want)]);
    }
  });
});

const typing = {
  messages: `      typing:
        name: typing
        payload: { type: object, properties: { on: { type: boolean } } }
        examples: [{ payload: { on: true } }]
`,
  receive: `  chat.typing:
    action: receive
    channel: { $ref: "#/channels/chat" }
    messages: [{ $ref: "#/channels/chat/messages/typing" }]
`,
  send: `  chat.typing:
    action: send
    channel: { $ref: "#/channels/chat" }
    messages: [{ $ref: "#/channels/chat/messages/typing" }]
`,
};
const effect = (to: string): string => `    x-parley-effects:\n      - { event: posted, to: ${to} }\n`;

/** Event-level changes, base → head and head → base: [name, { base, head, forward, backward }] as [rule, severity, bump]. */
const eventCases: [
  string,
  { base: Parts; head: Parts; forward: [string, Severity, string]; backward: [string, Severity, string] },
][] = [
  [
    'a client event added / removed',
    {
      base: {},
      head: { messages: typing.messages, operations: typing.receive },
      forward: ['event-added', 'minor', 'minor'],
      backward: ['event-removed', 'breaking', 'major'],
    },
  ],
  [
    'a server event added / removed',
    {
      base: {},
      head: { messages: typing.messages, operations: typing.send },
      forward: ['event-added', 'minor', 'minor'],
      backward: ['event-removed', 'breaking', 'major'],
    },
  ],
  [
    'an effect added / removed',
    {
      base: {},
      head: { effects: effect('everyone') },
      forward: ['effect-added', 'minor', 'minor'],
      backward: ['effect-removed', 'breaking', 'major'],
    },
  ],
  [
    'an effect sent to other sockets',
    {
      base: { effects: effect('everyone') },
      head: { effects: effect('others') },
      forward: ['effect-audience-changed', 'breaking', 'major'],
      backward: ['effect-audience-changed', 'breaking', 'major'],
    },
  ],
];

describe('parley diff: events, acks and effects', () => {
  it.each(eventCases)('%s', async (_name, { base, head, forward, backward }) => {
    const [there, back] = await diffBothWays(spec(base), spec(head));
    expect(there.changes.map((c) => [c.rule, c.severity])).toEqual([forward.slice(0, 2)]);
    expect(there.bump).toBe(forward[2]);
    expect(back.changes.map((c) => [c.rule, c.severity])).toEqual([backward.slice(0, 2)]);
    expect(back.bump).toBe(backward[2]);
  });

  it('an ack added is minor, an ack removed breaks old clients', async () => {
    const withAck = spec({});
    const without = withAck.replace(/ {4}reply:\n(?: {6}.*\n){2}/, '');
    expect(without).not.toContain('reply:');
    const [added, removed] = await diffBothWays(without, withAck);
    expect(added.changes.find((c) => c.rule === 'ack-added')?.severity).toBe('minor');
    expect(added.bump).toBe('minor');
    expect(removed.changes.find((c) => c.rule === 'ack-removed')?.severity).toBe('breaking');
    expect(removed.bump).toBe('major');
  });

  it('compares recursive schemas once per pair, and finds a change inside one', async () => {
    const make = (max: number): string =>
      `${spec({ server: ['{ $ref: "#/components/schemas/Node" }', '{ label: a, children: [{ label: b, children: [] }] }'] })}components:
  schemas:
    Node:
      type: object
      properties:
        label: { type: string, maxLength: ${max} }
        children: { type: array, items: { $ref: "#/components/schemas/Node" } }
`;
    const [report] = await diffBothWays(make(10), make(5));
    expect(report.changes.map((c) => [c.path, c.rule, c.severity])).toEqual([
      ['label', 'constraint-tightened', 'patch'],
    ]);
  });

  it('gives no change, and bump none, for a spec against itself', async () => {
    const [report] = await diffBothWays(spec({}), spec({}));
    expect(report.changes).toEqual([]);
    expect(report.bump).toBe('none');
  });
});

describe('parley diff: the repository spec', () => {
  it('asyncapi.yaml against itself gives no change', async () => {
    const spec = path.join(root, 'asyncapi.yaml');
    const [a, b] = await Promise.all([compile(spec), compile(spec)]);
    const report = diffDocuments(a.ir, b.ir);
    expect(report.changes).toEqual([]);
    expect(report.bump).toBe('none');
  });
});

/** The CLI as a user runs it, through tsx (the `parley` bin would prefer a stale `dist/`). */
const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
async function parley(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const cli = path.join(root, 'cli/main.ts');
    const { stdout, stderr } = await exec(process.execPath, ['--import', tsx, cli, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `runDiff` in this process (spawning the CLI costs seconds), with its output captured. */
async function inProcess(
  cwd: string,
  base: string,
  head: string,
  flags: Partial<DiffFlags> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    stderr += `${args.join(' ')}\n`;
  });
  try {
    const code = await runDiff(base, head, { format: 'text', cwd, ...flags });
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('parley diff (the command)', () => {
  const base = spec({ messages: typing.messages, operations: typing.receive });
  const head = spec({
    client: ['{ type: object, required: [id], properties: { id: { type: string } } }', '{ id: m1 }'],
  });

  beforeAll(async () => {
    await writeFile(path.join(dir, 'cli-base.yaml'), base);
    await writeFile(path.join(dir, 'cli-head.yaml'), head);
  });

  it('exits 1 on a breaking change and names each change per namespace and event', async () => {
    const text = await parley(dir, 'diff', 'cli-base.yaml', 'cli-head.yaml');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'cli-base.yaml (1.2.3) → cli-head.yaml (1.2.3)\n\n/chat\n  post (client → server)\n',
    );
    expect(text.stdout).toMatch(
      / {4}BREAKING {2}payload `id` is now required — values old clients send may now be rejected/,
    );
    expect(text.stdout).toMatch(/typing \(client → server\)\n {4}BREAKING {2}event: event removed/);
    expect(text.stdout).toContain('2 breaking, 0 minor, 0 patch: semver bump major (1.2.3 → 2.0.0).');
    expect(text.stderr).toContain('--allow-breaking');
  });

  it('--allow-breaking exits 0; --format json is the whole report', async () => {
    const json = await inProcess(dir, 'cli-base.yaml', 'cli-head.yaml', {
      format: 'json',
      allowBreaking: true,
    });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as DiffReport;
    expect([report.bump, report.suggestedVersion, report.counts]).toEqual([
      'major',
      '2.0.0',
      { breaking: 2, minor: 0, patch: 0 },
    ]);
  });

  it('writes Markdown for a pull-request comment', async () => {
    const [report] = await diffBothWays(base, head);
    const md = formatReport(report, 'markdown');
    expect(md).toContain('### ❌ Protocol diff: breaking changes');
    expect(md).toContain(
      '| **breaking** | `/chat` | `typing` client → server | event | event removed (operation chat.typing) |',
    );
    expect(md).toContain(
      '| **breaking** | `/chat` | `post` client → server | payload `id` | `id` is now required |',
    );
    expect(formatReport((await diffBothWays(base, base))[0], 'markdown')).toContain(
      'No change: semver bump none.',
    );
  });

  it('reads git:<ref>:<path>, with the $refs of that ref', async () => {
    const repo = path.join(dir, 'repo');
    await mkdir(path.join(repo, 'schemas'), { recursive: true });
    const git = (...args: string[]) =>
      exec('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      });
    const withRef = spec({ server: ['{ $ref: "schemas/posted.yaml" }', '{ id: m1 }'] });
    const posted = (enumValues: string) =>
      `type: object\nproperties:\n  id: { type: string }\n  kind: { type: string, enum: [${enumValues}] }\n`;
    await writeFile(path.join(repo, 'asyncapi.yaml'), withRef);
    await writeFile(path.join(repo, 'schemas/posted.yaml'), posted('text'));
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-q', '-m', 'base');
    // Only the $ref'd file changes in the work tree: the server may now send a new enum value.
    await writeFile(path.join(repo, 'schemas/posted.yaml'), posted('text, image'));
    const result = await inProcess(repo, 'git:HEAD:asyncapi.yaml', 'asyncapi.yaml');
    expect(result.stdout).toMatch(/BREAKING {2}payload `kind` now allows "image"/);
    expect(result.stdout).toContain('git:HEAD:asyncapi.yaml (1.2.3) → asyncapi.yaml (1.2.3)');
    expect(result.code).toBe(1);
    const missing = await inProcess(repo, 'git:no-such-branch:asyncapi.yaml', 'asyncapi.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('there is no ref no-such-branch');
  });
});
