/**
 * Small IR builders for the rule tests: one namespace `/chat` (channel `chat`), messages under
 * `/channels/chat/messages/<key>`, operations under `/operations/<id>`. Each builder takes overrides.
 */

import { decideFailures } from '../../../codegen/ir/failure.js';
import type {
  IRDocument,
  IREffect,
  IRExample,
  IRMessage,
  IRNamespace,
  IROperation,
  IRPayload,
  JsonSchema,
} from '../../../codegen/ir/types.js';
import { pascalCase } from '../../../codegen/print/ts.js';
import { PayloadChecker } from '../../../codegen/validate/check.js';

export type ExampleInput = Omit<IRExample, 'pointer'> & Record<string, unknown>;

export interface MessageInput {
  name?: string;
  typeName?: string;
  payload?: IRPayload;
  /** Defaults to one example `basic` that matches the default payload. */
  examples?: ExampleInput[];
  pointer?: string;
}

export const textPayload: IRPayload = {
  kind: 'value',
  schema: {
    type: 'object',
    properties: { room: { type: 'string' }, text: { type: 'string', minLength: 1 } },
    required: ['room', 'text'],
    additionalProperties: false,
  },
};

export function value(schema: JsonSchema): IRPayload {
  return { kind: 'value', schema };
}

export function message(key: string, input: MessageInput = {}): IRMessage {
  const pointer = input.pointer ?? `/channels/chat/messages/${key}`;
  const examples = input.examples ?? [{ name: 'basic', payload: { room: 'r1', text: 'hi' } }];
  return {
    key,
    name: input.name ?? key,
    typeName: input.typeName ?? pascalCase(key),
    payload: input.payload ?? textPayload,
    examples: examples.map((e, i) => ({ ...e, pointer: `${pointer}/examples/${i}` })),
    pointer,
  };
}

export type EffectInput = Omit<IREffect, 'pointer' | 'when'> & Partial<Pick<IREffect, 'when'>>;

export interface OperationInput {
  reply?: IRMessage;
  effects?: EffectInput[];
  errorEvent?: string;
}

export function operation(
  id: string,
  action: 'receive' | 'send',
  msg: IRMessage,
  input: OperationInput = {},
): IROperation {
  const pointer = `/operations/${id}`;
  return {
    id,
    action,
    event: msg.name,
    message: msg,
    reply: input.reply,
    effects: (input.effects ?? []).map((e, i) => ({
      when: 'success',
      ...e,
      pointer: `${pointer}/x-parley-effects/${i}`,
    })),
    errorEvent: input.errorEvent,
    reserved: msg.name === 'connect_error',
    pointer,
  };
}

export const receive = (id: string, msg: IRMessage, input?: OperationInput) =>
  operation(id, 'receive', msg, input);
export const send = (id: string, msg: IRMessage, input?: OperationInput) => operation(id, 'send', msg, input);

export function namespace(
  ops: IROperation[],
  errors: IRNamespace['errors'] = {},
  address = '/chat',
  channelId = 'chat',
): IRNamespace {
  const ns: IRNamespace = {
    channelId,
    address,
    ident: channelId,
    auth: { handshake: [] },
    errors,
    receive: ops.filter((op) => op.action === 'receive'),
    send: ops.filter((op) => op.action === 'send'),
    pointer: `/channels/${channelId}`,
  };
  // As `buildIR` does: how each operation reports its failure is decided with the namespace.
  decideFailures(ns, (payload, v) => checker.check(payload, v).ok === true);
  return ns;
}

const checker = new PayloadChecker();

export function doc(...namespaces: IRNamespace[]): IRDocument {
  return { title: 'Test', version: '1.0.0', source: 'test.yaml', namespaces };
}

/** The error event of the fixtures, its ack, and a namespace error shape that matches both. */
export const errorPayload: IRPayload = value({
  type: 'object',
  properties: {
    code: { type: 'string', enum: ['VALIDATION_FAILED', 'FORBIDDEN', 'INTERNAL'] },
    message: { type: 'string' },
    event: { type: 'string' },
    issues: { type: 'array' },
  },
  required: ['code', 'message'],
  additionalProperties: false,
});

export const ackPayload: IRPayload = value({
  oneOf: [
    { type: 'object', properties: { ok: { const: true } }, required: ['ok'], additionalProperties: false },
    {
      type: 'object',
      properties: {
        ok: { const: false },
        error: {
          type: 'object',
          properties: { code: { type: 'string' }, message: { type: 'string' } },
          required: ['code', 'message'],
        },
      },
      required: ['ok', 'error'],
      additionalProperties: false,
    },
  ],
});

export const errorShape: IRNamespace['errors'] = {
  event: 'error',
  payload: { code: '{code}', message: '{message}', event: '{event}', issues: '{issues}' },
  ack: { ok: false, error: { code: '{code}', message: '{message}' } },
};

export const errorMessage = () =>
  message('error', { payload: errorPayload, examples: [{ payload: { code: 'FORBIDDEN', message: 'no' } }] });

export const ackMessage = (key = 'send_message_ack') =>
  message(key, { payload: ackPayload, examples: [{ name: 'basic', payload: { ok: true } }] });
