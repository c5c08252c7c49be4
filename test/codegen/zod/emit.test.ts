/**
 * `emitSchemas`: the file for a whole namespace. The golden file is type-checked by `tsc` (it is under
 * `test/`) and by `recursion.test-d.ts`; `vitest -u` rewrites it after a deliberate change.
 */
import { describe, expect, it } from 'vitest';
import { emitSchemas, payloadSchemaName } from '../../../codegen/emit/zod/index.js';
import type { IRMessage, IRNamespace, JsonSchema } from '../../../codegen/ir/types.js';
import { chatNamespace } from './fixtures/chat.js';

/** The exported consts of a generated file, in order. */
const consts = (contents: string) => [...contents.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);

function namespace(messages: { typeName: string; schema?: JsonSchema }[]): IRNamespace {
  return {
    ...chatNamespace,
    receive: messages.map(({ typeName, schema }) => ({
      ...chatNamespace.receive[0]!,
      reply: undefined,
      message: {
        ...chatNamespace.receive[0]!.message,
        typeName,
        payload: schema ? { kind: 'value', schema } : { kind: 'none' },
      },
    })),
    send: [],
  };
}

describe('emitSchemas', () => {
  const file = emitSchemas(chatNamespace);

  it('writes `<ident>/schemas.gen.ts`, equal to the reviewed golden file', async () => {
    expect(file.path).toBe('chat/schemas.gen.ts');
    await expect(file.contents).toMatchFileSnapshot('./fixtures/chat.schemas.gen.ts');
  });

  it('defines each component once, dependencies first, then one payload per message that has one', () => {
    expect(consts(file.contents)).toEqual([
      'Attachment',
      'Message',
      'Num',
      'Add', // `Expr` reads `Add` eagerly (a union branch), so `Add` is defined first and defers `Expr`
      'Expr',
      'User',
      'Room',
      'SendMessagePayload',
      'SendMessageAckPayload',
      'EvaluatePayload',
      'NewMessagePayload',
      'TypingPayload',
      'PresencePayload',
    ]);
  });

  it('follows each const with its output and input types', () => {
    expect(file.contents).toContain('export const Attachment = z.strictObject({');
    expect(file.contents).toContain('export type Attachment = z.output<typeof Attachment>;');
    expect(file.contents).toContain('export type AttachmentInput = z.input<typeof Attachment>;');
    expect(file.contents).toContain('export type TypingPayloadInput = z.input<typeof TypingPayload>;');
    expect(file.contents.startsWith('// This file is generated')).toBe(true);
    expect(file.contents).toContain("import { z } from 'zod';");
  });

  it('makes a payload that is a component an alias of its const', () => {
    expect(file.contents).toContain('export const NewMessagePayload = Message;');
    expect(file.contents).toContain('export const EvaluatePayload = Expr;');
  });

  it('writes several arguments as a tuple and skips a message without payload', () => {
    expect(file.contents).toMatch(
      /export const TypingPayload = z\.tuple\(\[z\.string\(\), z\.boolean\(\)\]\);/,
    );
    expect(file.contents).not.toContain('PingPayload');
  });

  it('puts descriptions and `@deprecated` in JSDoc, on consts and properties', () => {
    expect(file.contents).toContain('/** A chat message. */\nexport const Message =');
    expect(file.contents).toContain('/** A message was posted. */\nexport const NewMessagePayload');
    expect(file.contents).toMatch(
      /\/\*\*\n\s+\* The id before v2\.\n\s+\*\n\s+\* @deprecated\n\s+\*\/\n\s+legacyId:/,
    );
  });

  it('is deterministic', () => {
    expect(emitSchemas(chatNamespace).contents).toBe(file.contents);
  });

  it('emits a message shared by two operations once', () => {
    const shared = chatNamespace.receive[0]!.message;
    const ns = { ...chatNamespace, send: [{ ...chatNamespace.send[0]!, message: shared }] };
    expect(consts(emitSchemas(ns).contents).filter((c) => c === 'SendMessagePayload')).toHaveLength(1);
  });

  it('renames a component whose name a payload const (or its input type) already has', () => {
    const clash: JsonSchema = { 'x-parser-schema-id': 'PingPayload', type: 'string' };
    const input: JsonSchema = { 'x-parser-schema-id': 'PingPayloadInput', type: 'number' };
    const keyword: JsonSchema = { 'x-parser-schema-id': 'string', type: 'boolean' };
    const odd: JsonSchema = { 'x-parser-schema-id': 'chat-room.v2', type: 'null' };
    const ns = namespace([
      {
        typeName: 'Ping',
        schema: { type: 'object', properties: { a: clash, b: input, c: keyword, d: odd } },
      },
    ]);
    expect(consts(emitSchemas(ns).contents)).toEqual([
      'PingPayload2',
      'PingPayloadInput2',
      'String',
      'ChatRoomV2',
      'PingPayload',
    ]);
  });

  it('refuses recursion that no object property can defer, naming the path and the fix', () => {
    const tree: Record<string, unknown> = { 'x-parser-schema-id': 'Tree', type: 'array' };
    tree.items = tree;
    expect(() => emitSchemas(namespace([{ typeName: 'Grow', schema: tree }]))).toThrowError(
      /schema `Tree`: it recurses outside any object property \(`Tree` reads `Tree` at \/items\).*Fix: put the recursive reference inside an object property/,
    );
  });

  it('refuses a default on a recursive value outside a getter', () => {
    const node: Record<string, unknown> = { 'x-parser-schema-id': 'Node', type: 'object', default: {} };
    node.properties = { next: node };
    expect(() => emitSchemas(namespace([{ typeName: 'Walk', schema: node }]))).toThrowError(
      /schema `Node` at \/: found a `default` on a value whose type refers back to `Node`.*Fix: move the `default`/,
    );
  });

  it('names payload consts after the message', () => {
    const msg = { typeName: 'SendMessage' } as IRMessage;
    expect(payloadSchemaName(msg)).toBe('SendMessagePayload');
  });
});
