/** Comparing acks with documented replies: which values count as server-generated, and what must be equal. */
import { describe, expect, it } from 'vitest';
import { compareDocumented, isGenerated, primitivesOf } from '../../conformance/compare.js';
import { errorCodeOf, errorShape, isErrorValue } from '../../conformance/error-shape.js';

const messageSchema = {
  type: 'object',
  properties: {
    _id: { type: 'string' },
    conversationId: { type: 'string' },
    content: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    seq: { type: 'integer', 'x-parley-generated': true },
    stamp: { type: 'string' },
    sender: {
      type: 'object',
      properties: { _id: { type: 'string' }, username: { type: 'string' } },
    },
    meta: { type: 'object', 'x-parley-generated': true },
  },
};
const ackSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['success', 'message'],
      properties: { success: { const: true }, message: messageSchema },
    },
    {
      type: 'object',
      required: ['success', 'message'],
      properties: { success: { const: false }, message: { type: 'string' } },
    },
  ],
};

describe('isGenerated', () => {
  const none = new Set<unknown>();
  it.each([
    ['x-parley-generated: true', { 'x-parley-generated': true }, 'count', 7],
    ['format: date-time', { type: 'string', format: 'date-time' }, 'when', '2024-01-15T10:30:00.000Z'],
    ['format: uuid', { type: 'string', format: 'uuid' }, 'ref', '5b0f7c1e-8d0a-4d55-9a43-1f2c3b4a5d6e'],
    ['a key named `id`', { type: 'string' }, 'id', 'msg_1'],
    ['a key named `_id`', { type: 'string' }, '_id', 'msg_1'],
    ['a key ending in `Id`', { type: 'string' }, 'messageId', 'msg_1'],
    ['a key ending in `_id`', { type: 'string' }, 'thread_id', 't1'],
    ['an ISO timestamp without a format', { type: 'string' }, 'editedAt', '2024-01-15T10:35:00.000Z'],
  ])('treats %s as generated', (_name, schema, key, value) => {
    expect(isGenerated(schema, key, value, none)).toBe(true);
  });

  it.each([
    ['an ordinary string', { type: 'string' }, 'content', 'Hello'],
    ['a key that merely contains "id"', { type: 'string' }, 'idle', 'yes'],
    ['a key ending in lowercase "id"', { type: 'string' }, 'paid', 'yes'],
    ['a number without annotation', { type: 'integer' }, 'count', 3],
  ])('compares %s', (_name, schema, key, value) => {
    expect(isGenerated(schema, key, value, none)).toBe(false);
  });

  it('compares an id or a timestamp the request carried', () => {
    const carried = primitivesOf({ conversationId: 'conv_123', at: '2024-01-15T10:30:00.000Z' });
    expect(isGenerated({ type: 'string' }, 'conversationId', 'conv_123', carried)).toBe(false);
    expect(isGenerated({ type: 'string' }, 'at', '2024-01-15T10:30:00.000Z', carried)).toBe(false);
    // The schema's word wins: a date-time is the server's even when the request had the same text.
    expect(isGenerated({ format: 'date-time' }, 'at', '2024-01-15T10:30:00.000Z', carried)).toBe(true);
  });
});

describe('compareDocumented', () => {
  const request = { conversationId: 'conv_123', content: 'Hello' };
  const documented = {
    success: true,
    message: {
      _id: 'msg_123',
      conversationId: 'conv_123',
      content: 'Hello',
      createdAt: '2024-01-15T10:30:00.000Z',
      seq: 124,
      stamp: '2024-01-15T10:30:00Z',
      sender: { _id: 'user_123', username: 'alice' },
      meta: { anything: 1 },
    },
  };

  it('accepts an ack that differs only in generated values', () => {
    const actual = {
      success: true,
      message: {
        _id: 'msg_0mwr9bsmn12p',
        conversationId: 'conv_123',
        content: 'Hello',
        createdAt: '2026-11-22T03:08:18.479Z',
        seq: 6,
        stamp: '2026-11-22T03:08:18Z',
        sender: { _id: 'u-1', username: 'alice' },
        meta: { other: true },
        extra: 'allowed: the schema decides about extra fields',
      },
    };
    expect(compareDocumented({ documented, actual, schema: ackSchema, request })).toEqual([]);
  });

  it('reports every other difference with its path', () => {
    const actual = {
      success: true,
      message: { ...documented.message, conversationId: 'conv_999', content: 'Bye', sender: { _id: 'x' } },
    };
    expect(compareDocumented({ documented, actual, schema: ackSchema, request })).toEqual([
      { path: 'message.conversationId', message: 'expected "conv_123", got "conv_999"' },
      { path: 'message.content', message: 'expected "Hello", got "Bye"' },
      { path: 'message.sender.username', message: 'missing; the documented reply has "alice"' },
    ]);
  });

  it('requires a generated field to be present', () => {
    const { createdAt: _dropped, ...message } = documented.message;
    expect(
      compareDocumented({ documented, actual: { success: true, message }, schema: ackSchema, request }),
    ).toEqual([
      { path: 'message.createdAt', message: 'missing; the documented reply has "2024-01-15T10:30:00.000Z"' },
    ]);
  });

  it('compares lists item by item, and their lengths', () => {
    const schema = { type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } } } };
    expect(
      compareDocumented({ documented: { ids: ['a', 'b'] }, actual: { ids: ['a'] }, schema, request: {} }),
    ).toEqual([{ path: 'ids', message: 'expected 2 item(s) (["a","b"]), got 1 (["a"])' }]);
    expect(
      compareDocumented({
        documented: { ids: ['a', 'b'] },
        actual: { ids: ['a', 'c'] },
        schema,
        request: {},
      }),
    ).toEqual([{ path: 'ids[1]', message: 'expected "b", got "c"' }]);
  });

  it("leaves the error template's free fields to the schema", () => {
    const shape = errorShape({ success: false, message: '{message}' });
    const failure = { success: false, message: 'Unauthorized' };
    const actual = { success: false, message: 'conversation conv_999 does not exist' };
    expect(
      compareDocumented({ documented: failure, actual, schema: ackSchema, request, free: shape?.free }),
    ).toEqual([]);
    expect(compareDocumented({ documented: failure, actual, schema: ackSchema, request })).toHaveLength(1);
  });

  it('ignores the paths a fixture lists, with * for any index', () => {
    const schema = { type: 'object' };
    const documented = { data: { messages: [{ seq: 1, text: 'a' }] } };
    const actual = { data: { messages: [{ seq: 9, text: 'a' }] } };
    expect(
      compareDocumented({
        documented,
        actual,
        schema,
        request: {},
        free: [['data', 'messages', '*', 'seq']],
      }),
    ).toEqual([]);
  });
});

describe('error templates', () => {
  const shape = errorShape({
    ok: false,
    error: { code: '{code}', message: '{message}', details: '{issues}' },
  });

  it('know their constant fields, their code and their free fields', () => {
    expect(shape).toEqual({
      constants: [{ path: ['ok'], value: false }],
      code: [['error', 'code']],
      free: [
        ['error', 'message'],
        ['error', 'details'],
      ],
    });
  });

  it('tell errors from other values by their constant fields', () => {
    expect(isErrorValue(shape, { ok: false, error: { code: 'NOT_FOUND' } })).toBe(true);
    expect(isErrorValue(shape, { ok: true, message: {} })).toBe(false);
    expect(errorCodeOf(shape, { ok: false, error: { code: 'NOT_FOUND' } })).toBe('NOT_FOUND');
    // A template with no constant field (a bare "{message}" string) cannot tell.
    expect(isErrorValue(errorShape('{message}'), 'Unauthorized')).toBeUndefined();
  });
});
