/**
 * End to end: small AsyncAPI files → `loadSpec` → `buildIR` → `validate` → the source map, down to file and line.
 * The specs are written under `__out__/` (git-ignored); line numbers are noted in the YAML.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIR } from '../../../codegen/ir/build.js';
import { loadSpec } from '../../../codegen/load/index.js';
import { validate } from '../../../codegen/validate/index.js';

const out = path.resolve('test/codegen/validate/__out__/e2e');

const header = `asyncapi: 3.0.0
info:
  title: E2E
  version: 1.0.0
`;

/** A receive operation `sendMessage` with an ack and an effect, and two send operations. */
const channel = (messages: string, errors = ERRORS, effects = EFFECTS) => `${header}channels:
  chat:
    address: /chat
${errors}    messages:
${messages}operations:
  sendMessage:
    action: receive
    channel:
      $ref: '#/channels/chat'
    messages:
      - $ref: '#/channels/chat/messages/send_message'
    reply:
      channel:
        $ref: '#/channels/chat'
      messages:
        - $ref: '#/channels/chat/messages/send_message_ack'
${effects}  newMessage:
    action: send
    channel:
      $ref: '#/channels/chat'
    messages:
      - $ref: '#/channels/chat/messages/new_message'
`;

const ERRORS = `    x-parley-errors:
      event: new_message
      ack:
        ok: false
`;

const EFFECTS = `    x-parley-effects:
      - event: new_message
        to: room
        room: room
`;

const ACK = `      send_message_ack:
        name: send_message_ack
        payload:
          type: object
          properties:
            ok: { type: boolean }
          required: [ok]
        examples:
          - payload: { ok: true }
`;

const NEW_MESSAGE = `      new_message:
        name: new_message
        payload:
          type: object
          properties:
            room: { type: string }
        examples:
          - payload: { room: r1 }
`;

const SEND_MESSAGE = `      send_message:
        name: send_message
        payload:
          type: object
          properties:
            room: { type: string }
            text: { type: string }
        examples:
          - payload: { room: r1, text: hi }
`;

const files: Record<string, string> = {
  'valid.yaml': channel(SEND_MESSAGE + ACK + NEW_MESSAGE),
  // send_message lives in messages.yaml; its example is invalid at messages.yaml line 9 (`- name: basic`)
  'ref.yaml': channel(
    `      send_message:\n        $ref: './messages.yaml#/SendMessage'\n${ACK}${NEW_MESSAGE}`,
  ),
  'messages.yaml': `SendMessage:
  name: send_message
  payload:
    type: object
    properties:
      room: { type: string }
      text: { type: string }
  examples:
    - name: basic
      payload:
        room: r1
        text: 42
`,
  // line 13: `      send_message:` (no name); line 29: `      new_message:` (no examples)
  'root.yaml': channel(
    `      send_message:
        payload:
          type: object
          properties:
            room: { type: string }
        examples:
          - payload: { room: r1 }
${ACK}      new_message:
        name: new_message
        payload:
          type: object
          properties:
            room: { type: string }
`,
  ),
  // line 52: `      - event: gone`, line 54: `        room: chat`; line 10: `      ack:` (`ok: maybe`)
  'effects.yaml': channel(
    SEND_MESSAGE + ACK + NEW_MESSAGE,
    `    x-parley-errors:
      event: new_message
      ack:
        ok: maybe
`,
    `    x-parley-effects:
      - event: gone
        to: room
        room: chat
`,
  ),
};

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(out, name), text);
});

async function diagnose(name: string): Promise<string[]> {
  const loaded = await loadSpec(path.join(out, name));
  const { ir, diagnostics } = buildIR(loaded.document, path.join(out, name));
  return [...diagnostics, ...validate(ir)]
    .map((d) => loaded.sources.attach(d))
    .map((d) => `${d.code} ${path.relative(out, d.file ?? '?')}:${d.line}:${d.column}`);
}

const cases: [string, { given: string; want: string[] }][] = [
  ['a valid spec', { given: 'valid.yaml', want: [] }],
  [
    'an invalid example in a $ref-ed file is located in that file',
    { given: 'ref.yaml', want: ['example-invalid messages.yaml:9:7'] },
  ],
  [
    'a message without name, a payload without examples',
    { given: 'root.yaml', want: ['message-name-missing root.yaml:13:7', 'example-missing root.yaml:29:7'] },
  ],
  [
    'effects and the ack template',
    {
      given: 'effects.yaml',
      want: [
        'effect-unknown-event effects.yaml:52:9',
        'effect-field-unknown effects.yaml:54:9',
        // the ack cannot carry the error, so send_message falls back to the error event, which has no template
        'error-template-invalid effects.yaml:8:5',
        'error-template-invalid effects.yaml:10:7',
      ],
    },
  ],
];

describe('validate, end to end', () => {
  it.each(cases)('%s', async (_name, { given, want }) => {
    expect(await diagnose(given)).toEqual(want);
  });
});
