import { describe, expect, it } from 'vitest';
import { type Case, zodText } from './helpers.js';

const tagged = (tag: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: { kind: { const: tag }, ...extra },
  required: ['kind'],
});

const cases: Case[] = [
  [
    'oneOf → z.union',
    { given: { oneOf: [{ type: 'string' }, { type: 'number' }] }, want: 'z.union([z.string(), z.number()])' },
  ],
  [
    'anyOf → z.union',
    { given: { anyOf: [{ type: 'boolean' }, { type: 'integer' }] }, want: 'z.union([z.boolean(), z.int()])' },
  ],
  [
    'a null branch → .nullable()',
    { given: { oneOf: [{ type: 'string' }, { type: 'null' }] }, want: 'z.string().nullable()' },
  ],
  [
    'a null branch among several',
    {
      given: { anyOf: [{ type: 'string' }, { type: 'null' }, { type: 'number' }] },
      want: 'z.union([z.string(), z.number()]).nullable()',
    },
  ],
  [
    'multiple types → union, keywords applied to each',
    {
      given: { type: ['string', 'integer'], minLength: 1, minimum: 0 },
      want: 'z.union([z.string().min(1), z.int().min(0)])',
    },
  ],
  [
    'multiple types and null',
    { given: { type: ['string', 'boolean', 'null'] }, want: 'z.union([z.string(), z.boolean()]).nullable()' },
  ],
  [
    'a const property with a different value in each branch → z.discriminatedUnion',
    {
      given: { oneOf: [tagged('a'), tagged('b', { n: { type: 'number' } })] },
      want: `z.discriminatedUnion('kind', [z.object({
        kind: z.literal('a')
    }), z.object({
        kind: z.literal('b'),
        n: z.number().optional()
    })])`,
    },
  ],
  [
    'a one-value enum discriminates too, and null stays nullable',
    {
      given: {
        oneOf: [
          { type: 'object', properties: { t: { enum: [1] } }, required: ['t'] },
          { type: 'object', properties: { t: { enum: [2] } }, required: ['t'] },
          { type: 'null' },
        ],
      },
      want: `z.discriminatedUnion('t', [z.object({
        t: z.literal(1)
    }), z.object({
        t: z.literal(2)
    })]).nullable()`,
    },
  ],
  [
    'the same value twice is no discriminator',
    {
      given: { oneOf: [tagged('a'), tagged('a', { n: { type: 'number' } })] },
      want: `z.union([z.object({
        kind: z.literal('a')
    }), z.object({
        kind: z.literal('a'),
        n: z.number().optional()
    })])`,
    },
  ],
  [
    'an optional tag is no discriminator',
    {
      given: { anyOf: [{ type: 'object', properties: { kind: { const: 'a' } } }, tagged('b')] },
      want: `z.union([z.object({
        kind: z.literal('a').optional()
    }), z.object({
        kind: z.literal('b')
    })])`,
    },
  ],
  [
    'AsyncAPI `discriminator` is preferred when it discriminates',
    {
      given: {
        discriminator: 'v',
        oneOf: [
          { type: 'object', properties: { kind: { const: 'x' }, v: { const: 1 } }, required: ['kind', 'v'] },
          { type: 'object', properties: { kind: { const: 'y' }, v: { const: 2 } }, required: ['kind', 'v'] },
        ],
      },
      want: `z.discriminatedUnion('v', [z.object({
        kind: z.literal('x'),
        v: z.literal(1)
    }), z.object({
        kind: z.literal('y'),
        v: z.literal(2)
    })])`,
    },
  ],
  [
    'a bare `type` beside the branches adds nothing',
    {
      given: { type: 'object', oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }] },
      want: `z.object({
    a: z.string().optional()
})`,
    },
  ],
  [
    'properties beside the branches are intersected with them',
    {
      given: {
        type: 'object',
        properties: { id: { type: 'string' } },
        required: ['id'],
        anyOf: [
          { required: ['a'], properties: { a: { type: 'string' } } },
          { type: 'object', additionalProperties: { type: 'number' } },
        ],
      },
      want: `z.intersection(z.object({
    id: z.string()
}), z.union([z.object({
        a: z.string()
    }), z.record(z.string(), z.number())]))`,
    },
  ],
];

describe('oneOf / anyOf', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(zodText(given)).toBe(want);
  });

  it('rejects an empty `oneOf`', () => {
    expect(() => zodText({ oneOf: [] })).toThrowError(
      /at \/oneOf: found `oneOf` that is not a non-empty list/,
    );
  });
});
