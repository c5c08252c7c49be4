/**
 * `SourceMap`: JSON pointers into the root document → file, line and column, following `$ref`s into the file
 * that really holds the node. The spec files are written under `__out__/` (git-ignored).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pointerSegments, SourceMap, toPointer } from '../../../codegen/load/source-map.js';

const out = path.resolve('test/codegen/load/__out__/source-map');
const file = (name: string) => path.join(out, name);

// Line numbers are in the comments; the cases below depend on them.
const root = `asyncapi: 3.0.0
info:
  title: T
  version: 1.0.0
channels:
  messenger:
    address: /messenger
    messages:
      send_message:
        $ref: './messages.yaml#/SendMessage'
      local:
        $ref: '#/components/messages/Local'
      'a/b':
        name: slash
components:
  messages:
    Local:
      name: local
      payload:
        $ref: '#/components/schemas/Node'
      examples:
        - name: one
          payload: { a: 1 }
  schemas:
    Node:
      type: object
      properties:
        next:
          $ref: '#/components/schemas/Node'
    Loop:
      $ref: '#/components/schemas/Loop'
    Anchored: &anchor
      type: string
    Aliased: *anchor
`;

const messages = `SendMessage:
  name: chat:send_message
  payload:
    $ref: './schemas/text.yaml'
  examples:
    - name: basic
      payload:
        text: hi
`;

const text = `type: object
properties:
  text:
    type: string
`;

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'schemas'), { recursive: true });
  writeFileSync(file('root.yaml'), root);
  writeFileSync(file('messages.yaml'), messages);
  writeFileSync(file('schemas/text.yaml'), text);
});

const cases: [string, { given: string; want: [string, number, number] }][] = [
  ['the empty pointer is the document', { given: '', want: ['root.yaml', 1, 1] }],
  ['a mapping key in the root', { given: '/channels/messenger', want: ['root.yaml', 6, 3] }],
  [
    'a scalar value: the line of its key',
    { given: '/channels/messenger/address', want: ['root.yaml', 7, 5] },
  ],
  [
    'a node that is a $ref into another file lands in that file',
    { given: '/channels/messenger/messages/send_message', want: ['messages.yaml', 1, 1] },
  ],
  [
    'an example behind a file $ref: the sequence item',
    { given: '/channels/messenger/messages/send_message/examples/0', want: ['messages.yaml', 6, 7] },
  ],
  [
    'deep inside an example behind a file $ref',
    {
      given: '/channels/messenger/messages/send_message/examples/0/payload/text',
      want: ['messages.yaml', 8, 9],
    },
  ],
  [
    'a ref to a whole file, relative to the file that holds the ref',
    {
      given: '/channels/messenger/messages/send_message/payload/properties/text',
      want: ['schemas/text.yaml', 3, 3],
    },
  ],
  [
    'local $refs, followed through a recursive schema',
    {
      given: '/channels/messenger/messages/local/payload/properties/next/properties/next/type',
      want: ['root.yaml', 26, 7],
    },
  ],
  [
    'a local $ref at the end of the pointer',
    { given: '/channels/messenger/messages/local', want: ['root.yaml', 17, 5] },
  ],
  [
    'a missing segment: the deepest node found',
    { given: '/channels/messenger/messages/send_message/examples/5/payload', want: ['messages.yaml', 5, 3] },
  ],
  ['a missing key at the top', { given: '/channels/nope/address', want: ['root.yaml', 5, 1] }],
  [
    'an escaped / in a key (~1)',
    { given: '/channels/messenger/messages/a~1b/name', want: ['root.yaml', 14, 9] },
  ],
  ['a $ref to itself does not loop', { given: '/components/schemas/Loop/type', want: ['root.yaml', 30, 5] }],
  [
    'a YAML alias is followed to its anchor',
    { given: '/components/schemas/Aliased/type', want: ['root.yaml', 33, 7] },
  ],
];

describe('SourceMap.locate', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    const map = new SourceMap(file('root.yaml'));
    const [name, line, column] = want;
    expect(map.locate(given)).toEqual({ file: file(name), line, column });
  });

  it('parses each file once', () => {
    const reads: string[] = [];
    const map = new SourceMap(file('root.yaml'), (f) => {
      reads.push(path.relative(out, f));
      return readFileSync(f, 'utf8');
    });
    for (const [, { given }] of cases) map.locate(given);
    expect(reads.sort()).toEqual(['messages.yaml', 'root.yaml', 'schemas/text.yaml']);
  });

  it('a root file that cannot be read: line 1 of it', () => {
    const map = new SourceMap(file('missing.yaml'));
    expect(map.locate('/channels')).toEqual({ file: file('missing.yaml'), line: 1, column: 1 });
  });
});

describe('SourceMap.translate', () => {
  it('locates pointers into a converted document where their node is written in the original', () => {
    const map = new SourceMap(file('root.yaml'));
    map.translate = (pointer) => pointer.replace('/moved', '/channels');
    expect(map.locate('/moved')).toEqual(map.locate('/channels'));
    expect(map.locate('/moved')).not.toEqual(map.locate(''));
  });
});

describe('SourceMap.attach', () => {
  it('fills file, line and column from the pointer', () => {
    const map = new SourceMap(file('root.yaml'));
    const d = {
      code: 'x',
      severity: 'error' as const,
      message: 'm',
      pointer: '/channels/messenger/messages/send_message/examples/0',
    };
    expect(map.attach(d)).toEqual({ ...d, file: file('messages.yaml'), line: 6, column: 7 });
  });

  it('keeps a location that is already there', () => {
    const map = new SourceMap(file('root.yaml'));
    const d = {
      code: 'x',
      severity: 'error' as const,
      message: 'm',
      pointer: '/info',
      file: 'other.yaml',
      line: 3,
      column: 2,
    };
    expect(map.attach(d)).toBe(d);
  });
});

describe('pointers', () => {
  it('round-trip through toPointer and pointerSegments, escapes included', () => {
    const segments = ['channels', 'a/b', 'c~d', '0', ''];
    expect(toPointer(segments)).toBe('/channels/a~1b/c~0d/0/');
    expect(pointerSegments(toPointer(segments))).toEqual(segments);
    expect(pointerSegments('#/components/schemas')).toEqual(['components', 'schemas']);
    expect(pointerSegments('')).toEqual([]);
  });
});
