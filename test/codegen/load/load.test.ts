/**
 * `loadSpec`: the parser's findings as our diagnostics (severity, `parser:` code, 1-based line and column in
 * the file that holds the problem), a `SpecError` when it returns no document, and the files read.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic as ParserDiagnostic } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { SpecError } from '../../../codegen/diagnostics.js';
import { fromParser, loadSpec } from '../../../codegen/load/index.js';
import { SourceMap } from '../../../codegen/load/source-map.js';

const out = path.resolve('test/codegen/load/__out__/load');
const file = (name: string) => path.join(out, name);

const header = `asyncapi: 3.0.0
info:
  title: T
  version: 1.0.0
`;

const specs: Record<string, string> = {
  'valid.yaml': `${header}channels:
  chat:
    address: /chat
    messages:
      hello:
        $ref: './messages.yaml#/Hello'
operations:
  hello:
    action: receive
    channel:
      $ref: '#/channels/chat'
    messages:
      - $ref: '#/channels/chat/messages/hello'
`,
  'messages.yaml': `Hello:
  name: hello
  payload:
    type: string
  examples:
    - payload: hi
Broken:
  name: broken
  bogus: 1
`,
  // line 13: `    bogus: true` (key at column 5)
  'root-error.yaml': `${header}channels:
  chat:
    address: /chat
operations:
  hello:
    action: receive
    channel:
      $ref: '#/channels/chat'
    bogus: true
`,
  'ref-error.yaml': `${header}channels:
  chat:
    address: /chat
    messages:
      broken:
        $ref: './messages.yaml#/Broken'
`,
};

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(specs)) writeFileSync(file(name), text);
});

async function loadError(name: string): Promise<SpecError> {
  const error = await loadSpec(file(name)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

const where = (d: Diagnostic) =>
  `${d.severity} ${d.code} ${path.relative(out, d.file ?? '?')}:${d.line}:${d.column} ${d.pointer}`;
type Diagnostic = SpecError['diagnostics'][number];

describe('loadSpec', () => {
  it('parses a valid spec, resolving a $ref into a second file; the latest-version hint is dropped', async () => {
    const loaded = await loadSpec(file('valid.yaml'));
    expect(loaded.diagnostics).toEqual([]);
    expect(
      loaded.document
        .messages()
        .all()
        .map((m) => m.name()),
    ).toEqual(['hello']);
    expect(loaded.files).toEqual([file('valid.yaml'), file('messages.yaml')]);
    expect(loaded.sources.locate('/channels/chat/messages/hello/examples/0')).toEqual({
      file: file('messages.yaml'),
      line: 6,
      column: 7,
    });
  });

  it('accepts a relative path', async () => {
    const loaded = await loadSpec(path.relative(process.cwd(), file('valid.yaml')));
    expect(loaded.files[0]).toBe(file('valid.yaml'));
  });

  const cases: [string, { given: string; want: string[] }][] = [
    [
      'an error in the root file',
      {
        given: 'root-error.yaml',
        want: ['error parser:asyncapi-document-resolved root-error.yaml:13:5 /operations/hello/bogus'],
      },
    ],
    [
      'an error in a referenced file: located in that file',
      {
        given: 'ref-error.yaml',
        want: [
          'error parser:asyncapi-document-resolved messages.yaml:9:3 /channels/chat/messages/broken/bogus',
        ],
      },
    ],
  ];

  it.each(cases)('%s: SpecError with the parser diagnostic', async (_name, { given, want }) => {
    const error = await loadError(given);
    expect(error.diagnostics.map(where)).toEqual(want);
    expect(error.diagnostics[0]?.message).toBe('Property "bogus" is not expected to be here');
  });

  it('sees edits to a referenced file between loads (the parser must not cache it)', async () => {
    const spec = specs['valid.yaml']!.replace('./messages.yaml', './edited.yaml');
    writeFileSync(file('watch.yaml'), spec);
    writeFileSync(file('edited.yaml'), specs['messages.yaml']!);
    expect((await loadSpec(file('watch.yaml'))).document.messages().all()[0]?.name()).toBe('hello');
    writeFileSync(file('edited.yaml'), specs['messages.yaml']!.replace('name: hello', 'name: hello2'));
    expect((await loadSpec(file('watch.yaml'))).document.messages().all()[0]?.name()).toBe('hello2');
  });

  it('a missing file: SpecError file-unreadable', async () => {
    const error = await loadError('nope.yaml');
    expect(error.diagnostics.map((d) => d.code)).toEqual(['file-unreadable']);
    expect(error.message).toContain('nope.yaml');
  });
});

describe('fromParser', () => {
  const sources = new SourceMap(file('valid.yaml'));
  const base: ParserDiagnostic = {
    code: 'some-rule',
    message: 'Something',
    path: ['channels', 'a/b', 0],
    severity: 0,
    range: { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } },
  };

  const cases: [string, { given: Partial<ParserDiagnostic>; want: Diagnostic[] }][] = [
    [
      'severity 0: an error, range made 1-based, path a JSON pointer',
      {
        given: {},
        want: [
          {
            code: 'parser:some-rule',
            severity: 'error',
            message: 'Something',
            pointer: '/channels/a~1b/0',
            file: file('valid.yaml'),
            line: 5,
            column: 3,
          },
        ],
      },
    ],
    [
      'severity 1: a warning in the file the parser names',
      {
        given: { severity: 1, source: file('messages.yaml') },
        want: [
          {
            code: 'parser:some-rule',
            severity: 'warning',
            message: 'Something',
            pointer: '/channels/a~1b/0',
            file: file('messages.yaml'),
            line: 5,
            column: 3,
          },
        ],
      },
    ],
    ['severity 2 (information) is dropped', { given: { severity: 2 }, want: [] }],
    ['severity 3 (hint) is dropped', { given: { severity: 3 }, want: [] }],
    [
      'asyncapi-latest-version is dropped, even as an error',
      { given: { code: 'asyncapi-latest-version' }, want: [] },
    ],
  ];

  it.each(cases)('%s', (_name, { given, want }) => {
    expect(fromParser({ ...base, ...given }, sources)).toEqual(want);
  });
});
