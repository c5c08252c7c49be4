/**
 * AsyncAPI 2.x: a Socket.IO document in the shape older tooling writes is converted to 3.0 and compiled; the
 * generated files are snapshots inside the tsconfig, so `npm run typecheck` compiles them. Diagnostics point into
 * the 2.x file as written, and the converter's own warnings are shown.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Diagnostic, SpecError } from '../../../codegen/diagnostics.js';
import { compile, generate } from '../../../codegen/index.js';
import { loadSpec } from '../../../codegen/load/index.js';

const spec = 'test/fixtures/socketio-v2.yaml';
const text = readFileSync(spec, 'utf8');
const out = path.resolve('test/codegen/load/__out__/convert');
const where = (d: Diagnostic) => `${d.severity} ${d.code} ${path.basename(d.file ?? '?')}:${d.line}`;

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
});

function write(name: string, contents: string): string {
  writeFileSync(path.join(out, name), contents);
  return path.join(out, name);
}

async function refusal(file: string): Promise<string[]> {
  const error = await compile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return (error as SpecError).diagnostics.filter((d) => d.severity === 'error').map(where);
}

describe('an AsyncAPI 2.6 Socket.IO document', () => {
  it('compiles: a namespace per channel, an event per oneOf message, publish as what clients emit', async () => {
    const outDir = path.resolve('test/fixtures/__snapshots__/socketio-v2');
    const result = await generate(spec, { outDir, runtime: '.' });
    expect(result.convertedFrom).toBe('2.6.0');
    // Socket.IO 2.x documents say nothing of errors: a warning per namespace, as for any document without one.
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer} line ${d.line}`)).toEqual([
      'warning error-event-missing /channels/root line 18',
      'warning error-event-missing /channels/admin line 44',
    ]);
    const events = result.ir.namespaces.map(
      (ns) =>
        `${ns.address} ${ns.ident} receive: ${ns.receive.map((op) => op.event).join(', ')}; send: ${ns.send.map((op) => op.event).join(', ')}`,
    );
    expect(events).toEqual([
      '/ root receive: say, typing; send: said, joined',
      '/admin admin receive: kick; send: ',
    ]);
    for (const file of result.files)
      await expect(file.contents).toMatchFileSnapshot(path.join(outDir, file.path));
  });

  const located: [string, { given: string; want: string[] }][] = [
    [
      'an example of an inline oneOf message: its line in the 2.x file',
      {
        given: text.replace('- payload: { user: ada }', '- payload: { user: 42 }'),
        want: ['error example-invalid v2.yaml:43'],
      },
    ],
    [
      'an example of a component message an operation refers to',
      {
        given: text.replace('- payload: { text: hello }', '- payload: { text: "" }'),
        want: ['error example-invalid v2.yaml:71'],
      },
    ],
    [
      'a single publish message',
      {
        given: text.replace('- payload: { user: ada, reason: spam }', '- payload: { user: ada }'),
        want: ['error example-invalid v2.yaml:58'],
      },
    ],
    [
      'a property AsyncAPI 2.6 does not have, on an operation',
      {
        given: text.replace('      operationId: kick', '      operationId: kick\n      bogus: 1'),
        want: ['error parser:asyncapi-document-resolved v2.yaml:48'],
      },
    ],
  ];

  it.each(located)('locates a problem in %s', async (_name, { given, want }) => {
    expect(await refusal(write('v2.yaml', given))).toEqual(want);
  });

  it("shows the converter's warnings as warnings", async () => {
    const file = write(
      'params.yaml',
      text
        .replace(
          '  /admin:\n',
          "  /admin/{room}:\n    parameters:\n      room:\n        schema: { $ref: '#/components/schemas/Room' }\n",
        )
        .replace('  schemas:\n', '  schemas:\n    Room: { type: string }\n'),
    );
    const loaded = await loadSpec(file);
    expect(loaded.diagnostics.map(where)).toEqual(['warning converter params.yaml:17']);
    expect(loaded.diagnostics[0]?.message).toMatch(
      /^@asyncapi\/converter \(AsyncAPI 2\.6\.0 to 3\.0\.0\): Could not convert parameter object because the `\.schema` property was a reference/,
    );
  });
});
