/** Invalid payloads derived from payload schemas: each wrong in one way, and each in fact invalid. */
import { describe, expect, it } from 'vitest';
import type { IRPayload } from '../../codegen/index.js';
import { invalidPayloads, UNKNOWN_PROPERTY } from '../../conformance/negative.js';
import { PayloadValidator } from '../../conformance/validate.js';

const validator = new PayloadValidator();
const derive = (payload: IRPayload, valid: unknown) =>
  invalidPayloads(payload, valid, (args) => validator.problems(payload, args).length === 0);

describe('invalidPayloads', () => {
  const sendMessage: IRPayload = {
    kind: 'value',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['conversationId', 'content', 'type'],
      properties: {
        conversationId: { type: 'string', minLength: 1 },
        content: { type: 'string', minLength: 1, maxLength: 5 },
        type: { type: 'string', enum: ['text', 'image'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  };
  const valid = { conversationId: 'conv_123', content: 'Hi', type: 'text' };

  it('derives one mutation of each kind from a valid payload', () => {
    expect(Object.fromEntries(derive(sendMessage, valid).map((p) => [p.name, p.args]))).toEqual({
      'wrong kind of payload (a number, not an object)': [12345],
      '"conversationId" missing': [{ content: 'Hi', type: 'text' }],
      '"content" missing': [{ conversationId: 'conv_123', type: 'text' }],
      '"type" missing': [{ conversationId: 'conv_123', content: 'Hi' }],
      '"conversationId" of the wrong type (a number)': [{ ...valid, conversationId: 12345 }],
      '"conversationId" under its minLength (0 characters)': [{ ...valid, conversationId: '' }],
      '"content" of the wrong type (a number)': [{ ...valid, content: 12345 }],
      '"content" over its maxLength (6 characters)': [{ ...valid, content: 'xxxxxx' }],
      '"content" under its minLength (0 characters)': [{ ...valid, content: '' }],
      '"type" of the wrong type (a number)': [{ ...valid, type: 12345 }],
      '"type" outside its enum': [{ ...valid, type: 'not-in-the-enum' }],
      '"tags" of the wrong type (a number)': [{ ...valid, tags: 12345 }],
      [`unknown property "${UNKNOWN_PROPERTY}"`]: [{ ...valid, [UNKNOWN_PROPERTY]: true }],
    });
  });

  it('mutates inside nested objects and the first item of lists of objects, two levels down', () => {
    const invite: IRPayload = {
      kind: 'value',
      schema: {
        type: 'object',
        required: ['offer', 'files'],
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 100 },
          offer: {
            type: 'object',
            additionalProperties: false,
            required: ['sdp'],
            properties: {
              sdp: { type: 'string', maxLength: 3 },
              deep: {
                type: 'object',
                properties: { deeper: { type: 'object', properties: { x: { type: 'string' } } } },
              },
            },
          },
          files: {
            type: 'array',
            items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          },
        },
      },
    };
    const base = {
      limit: 5,
      offer: { sdp: 'v=0', deep: { deeper: { x: 'y' } } },
      files: [{ id: 'f1' }, { id: 'f2' }],
    };
    const found = Object.fromEntries(derive(invite, base).map((p) => [p.name, p.args[0]]));
    expect(found['"limit" under its minimum (0)']).toEqual({ ...base, limit: 0 });
    expect(found['"limit" over its maximum (101)']).toEqual({ ...base, limit: 101 });
    expect(found['"offer.sdp" missing']).toEqual({ ...base, offer: { deep: base.offer.deep } });
    expect(found['"offer.sdp" over its maxLength (4 characters)']).toEqual({
      ...base,
      offer: { ...base.offer, sdp: 'xxxx' },
    });
    expect(found['unknown property "offer.__parley_unknown"']).toEqual({
      ...base,
      offer: { ...base.offer, [UNKNOWN_PROPERTY]: true },
    });
    expect(found['"files[0].id" missing']).toEqual({ ...base, files: [{}, { id: 'f2' }] });
    expect(found['"files[0]" of the wrong type (a number)']).toEqual({
      ...base,
      files: [12345, { id: 'f2' }],
    });
    // Two levels down and no further.
    expect(found['"offer.deep.deeper" of the wrong type (a number)']).toBeDefined();
    expect(Object.keys(found).some((name) => name.includes('deeper.x'))).toBe(false);
  });

  it('keeps only payloads the schema refuses', () => {
    // Everything is allowed here: no mutation is invalid, so none is kept.
    expect(derive({ kind: 'value', schema: {} }, { a: 1 })).toEqual([]);
    for (const invalid of derive(sendMessage, valid)) {
      expect(validator.problems(sendMessage, invalid.args), invalid.name).not.toEqual([]);
    }
  });

  it('picks a type no branch of a union allows', () => {
    const id: IRPayload = { kind: 'value', schema: { oneOf: [{ type: 'string' }, { type: 'integer' }] } };
    expect(derive(id, 1)).toEqual([
      { name: 'wrong kind of payload (a boolean, not a string or an integer)', args: [true] },
    ]);
  });

  it('mutates the items of a list payload', () => {
    const ids: IRPayload = {
      kind: 'value',
      schema: { type: 'array', items: { type: 'string', maxLength: 3 } },
    };
    expect(derive(ids, ['a', 'b']).map((p) => [p.name, p.args])).toEqual([
      ['wrong kind of payload (a number, not a list)', [12345]],
      ['an item of the wrong type (a number)', [[12345, 'b']]],
      ['an item over its maxLength (4 characters)', [['xxxx', 'b']]],
    ]);
  });

  const tuples: [string, { given: IRPayload; valid: unknown[]; want: [string, unknown[]][] }][] = [
    [
      'a closed tuple: an argument missing, each of the wrong type, one too many',
      {
        given: { kind: 'args', items: [{ type: 'string' }, { type: 'number' }], rest: false },
        valid: ['room', 3],
        want: [
          ['argument 2 missing', ['room']],
          ['argument 1 of the wrong type (a number)', [12345, 3]],
          ['argument 2 of the wrong type (a string)', ['room', 'not-the-right-type']],
          ['an argument too many (3)', ['room', 3, 'extra']],
        ],
      },
    ],
    [
      'an open tuple: any further argument is valid',
      {
        given: { kind: 'args', items: [{ type: 'string' }], rest: {} },
        valid: ['room'],
        want: [
          ['argument 1 missing', []],
          ['argument 1 of the wrong type (a number)', [12345]],
        ],
      },
    ],
    [
      'a rest tuple: a further argument of the wrong type',
      {
        given: { kind: 'args', items: [{ const: 'pong' }], rest: { type: 'string' } },
        valid: ['pong', 'echo'],
        want: [
          // ['pong'] alone is valid: the rest may be empty
          ['argument 1 of the wrong type (a number)', [12345, 'echo']],
          ['argument 2 of the wrong type (a number)', ['pong', 12345]],
        ],
      },
    ],
  ];
  it.each(tuples)('%s', (_name, { given, valid, want }) => {
    expect(derive(given, valid).map((p) => [p.name, p.args])).toEqual(want);
  });

  it('builds a sample when there is no example, and derives nothing without a payload', () => {
    const sampled = derive(
      {
        kind: 'value',
        schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 2 } } },
      },
      undefined,
    );
    expect(sampled.map((p) => p.args)).toContainEqual([{}]);
    expect(sampled.map((p) => p.args)).toContainEqual([{ n: 'not-the-right-type' }]);
    expect(derive({ kind: 'none' }, undefined)).toEqual([]);
  });
});
