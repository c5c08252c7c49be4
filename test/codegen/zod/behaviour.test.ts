/**
 * Behaviour: the generated file, written under `__out__/` and imported, accepts and rejects what JSON Schema
 * does. ajv validates the same samples against the schemas as written (with `$ref`s) and must agree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { emitSchemas } from '../../../codegen/emit/zod/index.js';
import { chatNamespace, definitions, payloads } from './fixtures/chat.js';

const OUT = path.join(import.meta.dirname, '__out__');

type Schemas = Record<string, z.ZodType>;
let schemas: Schemas;

beforeAll(async () => {
  const file = emitSchemas(chatNamespace);
  const target = path.join(OUT, file.path);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, file.contents);
  schemas = (await import(pathToFileURL(target).href)) as Schemas;
});

const ajv = new Ajv({ strict: false });
addFormats.default(ajv);
const jsonSchemaAccepts = (schema: object, value: unknown) => ajv.validate({ ...schema, definitions }, value);

const uuid = '3f2b8c1e-9d4a-4f6b-8e2a-1c5d7e9f0a1b';
const message = (over: Record<string, unknown> = {}) => ({
  id: uuid,
  text: 'hello',
  sentAt: '2025-01-02T03:04:05Z',
  replyTo: null,
  ...over,
});
const num = (value: number) => ({ kind: 'num', value });

/** [what, const, JSON Schema as written, value, accepted] */
const samples: [string, string, object, unknown, boolean][] = [
  ['a message', 'Message', definitions.Message!, message(), true],
  [
    'a reply to a reply',
    'Message',
    definitions.Message!,
    message({ replyTo: message({ replyTo: message() }) }),
    true,
  ],
  [
    'a reply nested two deep with empty text',
    'Message',
    definitions.Message!,
    message({ replyTo: message({ replyTo: message({ text: '' }) }) }),
    false,
  ],
  [
    'a message without `replyTo`',
    'Message',
    definitions.Message!,
    { id: uuid, text: 'hi', sentAt: '2025-01-02T03:04:05Z' },
    false,
  ],
  [
    'a time with an offset',
    'Message',
    definitions.Message!,
    message({ sentAt: '2025-01-02T03:04:05+02:00' }),
    true,
  ],
  [
    'a time without an offset',
    'Message',
    definitions.Message!,
    message({ sentAt: '2025-01-02T03:04:05' }),
    false,
  ],
  ['a malformed uuid', 'Message', definitions.Message!, message({ id: 'not-a-uuid' }), false],
  [
    'an attachment',
    'Message',
    definitions.Message!,
    message({ attachments: [{ url: 'https://x.test/a.png', bytes: 3 }] }),
    true,
  ],
  [
    'an attachment with an unknown key',
    'Message',
    definitions.Message!,
    message({ attachments: [{ url: 'https://x.test/a', x: 1 }] }),
    false,
  ],
  [
    'five attachments',
    'Message',
    definitions.Message!,
    message({ attachments: Array(5).fill({ url: 'https://x.test/a' }) }),
    false,
  ],
  ['a fractional legacy id', 'Message', definitions.Message!, message({ legacyId: 1.5 }), false],
  [
    'a nested sum',
    'Expr',
    definitions.Expr!,
    { kind: 'add', left: num(1), right: { kind: 'add', left: num(2), right: num(3) } },
    true,
  ],
  [
    'a sum missing an operand deep down',
    'Expr',
    definitions.Expr!,
    { kind: 'add', left: num(1), right: { kind: 'add', left: num(2) } },
    false,
  ],
  ['an unknown kind', 'Expr', definitions.Expr!, { kind: 'mul', left: num(1), right: num(2) }, false],
  [
    'a user in a room they own',
    'User',
    definitions.User!,
    { name: 'ann', rooms: [{ title: 'r', owner: { name: 'ann' } }] },
    true,
  ],
  ['a room whose owner has no name', 'Room', definitions.Room!, { title: 'r', owner: { rooms: [] } }, false],
  [
    'a room with a numeric label',
    'Room',
    definitions.Room!,
    { title: 'r', owner: { name: 'a' }, labels: { a: 1 } },
    false,
  ],
  ['a message to post', 'SendMessagePayload', payloads.SendMessage, { room: 'general-1', text: 'hi' }, true],
  [
    'a room name with spaces',
    'SendMessagePayload',
    payloads.SendMessage,
    { room: 'the room', text: 'hi' },
    false,
  ],
  [
    'a post with an unknown key',
    'SendMessagePayload',
    payloads.SendMessage,
    { room: 'a', text: 'hi', x: 1 },
    false,
  ],
  [
    'a post replying to a message',
    'SendMessagePayload',
    payloads.SendMessage,
    { room: 'a', text: 'hi', replyTo: message() },
    true,
  ],
  ['a failed ack', 'SendMessageAckPayload', payloads.SendMessageAck, { ok: false, error: 'nope' }, true],
  ['a failed ack without an error', 'SendMessageAckPayload', payloads.SendMessageAck, { ok: false }, false],
  [
    'a successful ack',
    'SendMessageAckPayload',
    payloads.SendMessageAck,
    { ok: true, message: message() },
    true,
  ],
  ['typing arguments', 'TypingPayload', payloads.Typing, ['general', true], true],
  ['one typing argument', 'TypingPayload', payloads.Typing, ['general'], false],
  ['three typing arguments', 'TypingPayload', payloads.Typing, ['general', true, 1], false],
];

describe('generated schemas, imported', () => {
  it.each(samples)('%s (%s): zod and ajv agree', (_, name, jsonSchema, value, accepted) => {
    expect(jsonSchemaAccepts(jsonSchema, value)).toBe(accepted);
    expect(schemas[name]!.safeParse(value).success).toBe(accepted);
  });

  it('applies defaults and strips unknown keys of a plain object', () => {
    const parsed = schemas.Message!.parse({ ...message(), extra: 1 });
    expect(parsed).toEqual({ ...message(), pinned: false });
  });

  it('makes a payload that is a component the very same schema', () => {
    expect(schemas.NewMessagePayload).toBe(schemas.Message);
    expect(schemas.EvaluatePayload).toBe(schemas.Expr);
  });
});
