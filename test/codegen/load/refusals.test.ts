/**
 * Invalid documents are refused without the parser's Spectral rulesets: one document per family of problem,
 * each refused with the file and line of the problem. The families the quick load does not check (the rules
 * beyond the AsyncAPI schema) are refused by the full rulesets that `--check` adds.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Diagnostic, SpecError } from '../../../codegen/diagnostics.js';
import { loadSpec } from '../../../codegen/load/index.js';

const out = path.resolve('test/codegen/load/__out__/refusals');

/** A valid document with one namespace; each case changes one thing. */
const valid = `asyncapi: 3.0.0
info:
  title: T
  version: 1.0.0
channels:
  chat:
    address: /chat
    messages:
      say:
        name: say
        payload:
          type: object
          properties:
            text: { type: string }
      other:
        name: other
  elsewhere:
    address: /elsewhere
    messages:
      far:
        name: far
operations:
  say:
    action: receive
    channel:
      $ref: '#/channels/chat'
    messages:
      - $ref: '#/channels/chat/messages/say'
components:
  schemas:
    Text: { type: string }
`;

const where = (d: Diagnostic) => `${d.severity} ${d.code} ${path.basename(d.file ?? '?')}:${d.line}`;

const quick: [string, { given: string; want: string[] }][] = [
  [
    'YAML that does not parse',
    {
      given: valid.replace('  version: 1.0.0', '  version: [1.0.0'),
      want: ['error parser:parser spec.yaml:5', 'error parser:parser spec.yaml:32'],
    },
  ],
  [
    'an AsyncAPI version the parser does not know',
    { given: valid.replace('3.0.0', '9.0.0'), want: ['error parser:asyncapi-is-asyncapi spec.yaml:1'] },
  ],
  [
    'a property the AsyncAPI schema does not allow',
    {
      given: valid.replace('    action: receive', '    action: receive\n    bogus: 1'),
      want: ['error parser:asyncapi-document-resolved spec.yaml:25'],
    },
  ],
  [
    'a value of the wrong type',
    {
      given: valid.replace('    address: /chat', '    address: 42'),
      want: ['error parser:asyncapi-document-resolved spec.yaml:7'],
    },
  ],
  [
    'an operation action that is neither send nor receive',
    {
      given: valid.replace('action: receive', 'action: emit'),
      want: ['error parser:asyncapi-document-resolved spec.yaml:24'],
    },
  ],
  [
    'a $ref to a component that does not exist',
    {
      given: valid.replace("'#/channels/chat'", "'#/channels/nope'"),
      want: ['error parser:invalid-ref spec.yaml:26'],
    },
  ],
  [
    'a $ref to a file that does not exist',
    {
      given: valid.replace("'#/channels/chat'", "'./nope.yaml'"),
      want: ['error parser:invalid-ref spec.yaml:26'],
    },
  ],
  [
    'a $ref where the AsyncAPI schema allows none',
    {
      given: valid.replace('  title: T', "  $ref: '#/components/schemas/Text'\n  title: T"),
      want: ['error parser:asyncapi-document-unresolved spec.yaml:3'],
    },
  ],
  [
    'an invalid payload schema',
    {
      given: valid.replace('text: { type: string }', 'text: { type: string, minLength: -1 }'),
      want: ['error parser:asyncapi-document-resolved spec.yaml:14'],
    },
  ],
  [
    'a key written twice',
    {
      given: valid.replace('    address: /chat', '    address: /chat\n    address: /chat2'),
      want: ['error parser:parser spec.yaml:8'],
    },
  ],
];

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // A cache of this run's own: the compiled schema validator and the rulesets' verdicts start empty.
  process.env.PARLEY_CACHE_DIR = path.join(out, 'cache');
});
afterAll(() => {
  delete process.env.PARLEY_CACHE_DIR;
});

let n = 0;
async function refusal(text: string): Promise<SpecError> {
  const dir = path.join(out, String(n++));
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'spec.yaml'), text);
  const error = await loadSpec(path.join(dir, 'spec.yaml')).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

describe('the quick load refuses', () => {
  it('nothing in the valid document', async () => {
    const dir = path.join(out, 'valid');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'spec.yaml'), valid);
    expect((await loadSpec(path.join(dir, 'spec.yaml'))).diagnostics).toEqual([]);
  });

  it.each(quick)('%s', async (_name, { given, want }) => {
    const error = await refusal(given);
    expect(error.diagnostics.map(where)).toEqual(want);
  });
});

describe('the full rulesets (--check) also refuse', () => {
  const full: [string, { given: string; want: string[] }][] = [
    [
      'an operation whose message is not one of its channel',
      {
        given: valid.replace(
          "      - $ref: '#/channels/chat/messages/say'",
          "      - $ref: '#/channels/elsewhere/messages/far'",
        ),
        want: ['error parser:asyncapi3-operation-messages-from-referred-channel spec.yaml:28'],
      },
    ],
    [
      "an operation whose channel is not one of the document's channels",
      {
        given: `${valid.replace("      $ref: '#/channels/chat'", "      $ref: '#/components/channels/spare'")}  channels:
    spare:
      address: /spare
`,
        want: [
          'error parser:asyncapi3-required-operation-channel-unambiguity spec.yaml:26',
          'error parser:asyncapi3-operation-messages-from-referred-channel spec.yaml:28',
        ],
      },
    ],
  ];

  it.each(full)('%s (the quick load lets it through)', async (_name, { given, want }) => {
    const dir = path.join(out, String(n++));
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'spec.yaml'), given);
    const loaded = await loadSpec(path.join(dir, 'spec.yaml'));
    expect(loaded.diagnostics).toEqual([]);
    expect((await loaded.fullRulesets()).map(where)).toEqual(want);
  });

  it('keeps their verdict by the content of every file read: reused while unchanged, not after an edit', async () => {
    const dir = path.join(out, 'cached');
    mkdirSync(dir);
    const spec = path.join(dir, 'spec.yaml');
    writeFileSync(
      spec,
      valid.replace('payload:\n          type: object', "payload:\n          $ref: './payload.yaml'"),
    );
    writeFileSync(path.join(dir, 'payload.yaml'), 'type: object\n');
    const loaded = await loadSpec(spec);
    expect(loaded.files).toEqual([spec, path.join(dir, 'payload.yaml')]);
    expect(await loaded.fullRulesets()).toEqual([]);
    // Plant a finding in the verdict just stored: a second run that reads it has not checked again.
    const verdicts = path.join(out, 'cache', 'rulesets');
    const stored = readdirSync(verdicts).map((name) => path.join(verdicts, name));
    const planted = { code: 'planted', message: 'from the cache', path: [], severity: 1 };
    for (const file of stored) writeFileSync(file, JSON.stringify([planted]));
    expect((await (await loadSpec(spec)).fullRulesets()).map((d) => d.code)).toEqual(['parser:planted']);
    // An edit to the referenced file is a new verdict.
    writeFileSync(path.join(dir, 'payload.yaml'), 'type: object\nrequired: [text]\n');
    expect(await (await loadSpec(spec)).fullRulesets()).toEqual([]);
    expect(readdirSync(verdicts)).toHaveLength(stored.length + 1);
    expect(JSON.parse(readFileSync(stored[0]!, 'utf8'))).toEqual([planted]);
  });
});
