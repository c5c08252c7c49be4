import { describe, expect, it } from 'vitest';
import { type Case, zodText } from './helpers.js';

const ab = { a: { type: 'string' }, b: { type: 'number' } };

const cases: Case[] = [
  [
    'required and optional properties; unknown keys stripped',
    {
      given: { type: 'object', properties: ab, required: ['a'] },
      want: `z.object({
    a: z.string(),
    b: z.number().optional()
})`,
    },
  ],
  [
    '`additionalProperties: false` → z.strictObject',
    {
      given: { type: 'object', properties: ab, required: ['a', 'b'], additionalProperties: false },
      want: `z.strictObject({
    a: z.string(),
    b: z.number()
})`,
    },
  ],
  [
    '`additionalProperties: true` → z.looseObject',
    {
      given: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true },
      want: `z.looseObject({
    a: z.string().optional()
})`,
    },
  ],
  [
    '`additionalProperties: {}` admits anything, like `true`',
    {
      given: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: {} },
      want: `z.looseObject({
    a: z.string().optional()
})`,
    },
  ],
  [
    '`additionalProperties` schema → .catchall',
    {
      given: {
        type: 'object',
        properties: { a: { type: 'string' } },
        required: ['a'],
        additionalProperties: { type: 'integer' },
      },
      want: `z.object({
    a: z.string()
}).catchall(z.int())`,
    },
  ],
  [
    'no properties + `additionalProperties` schema → z.record',
    {
      given: { type: 'object', additionalProperties: { type: 'boolean' } },
      want: 'z.record(z.string(), z.boolean())',
    },
  ],
  ['a bare object keeps its keys', { given: { type: 'object' }, want: 'z.record(z.string(), z.unknown())' }],
  [
    'no properties, no other keys',
    { given: { type: 'object', additionalProperties: false }, want: 'z.strictObject({})' },
  ],
  [
    'object keywords imply the type; min/maxProperties are ignored',
    {
      given: { properties: { a: { type: 'string' } }, minProperties: 1, maxProperties: 3 },
      want: `z.object({
    a: z.string().optional()
})`,
    },
  ],
  [
    'a defaulted property is not also optional',
    {
      given: { type: 'object', properties: { n: { type: 'integer', default: 1 } } },
      want: `z.object({
    n: z.int().default(1)
})`,
    },
  ],
  [
    'names that are not identifiers are quoted; `__proto__` is computed',
    {
      given: {
        type: 'object',
        properties: { 'chat:room': { type: 'string' }, ['__proto__']: { type: 'string' } },
        required: ['chat:room', '__proto__'],
      },
      want: `z.object({
    'chat:room': z.string(),
    ['__proto__']: z.string()
})`,
    },
  ],
  [
    'descriptions and `deprecated` become JSDoc; `x-` keys are ignored',
    {
      given: {
        type: 'object',
        'x-parser-schema-id': '<anonymous-schema-3>',
        'x-internal': true,
        properties: {
          a: { type: 'string', description: 'The a.' },
          b: { type: 'string', description: 'Old.\nUse a.', deprecated: true },
        },
        required: ['a', 'b'],
      },
      want: `z.object({
    /** The a. */
    a: z.string(),
    /**
     * Old.
     * Use a.
     *
     * @deprecated
     */
    b: z.string()
})`,
    },
  ],
  [
    'nested objects',
    {
      given: {
        type: 'object',
        properties: {
          meta: { type: 'object', properties: { at: { type: 'string', format: 'date' } }, required: ['at'] },
        },
        required: ['meta'],
      },
      want: `z.object({
    meta: z.object({
        at: z.iso.date()
    })
})`,
    },
  ],
  [
    'nullable object',
    {
      given: { type: ['object', 'null'], properties: { a: { type: 'string' } }, required: ['a'] },
      want: `z.object({
    a: z.string()
}).nullable()`,
    },
  ],
];

describe('objects', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(zodText(given)).toBe(want);
  });

  it('rejects `patternProperties`, saying what to write instead', () => {
    expect(() =>
      zodText({ type: 'object', patternProperties: { '^x': {} } }, { where: 'schema `Bag`' }),
    ).toThrowError(
      /schema `Bag` at \/: found `patternProperties`, which has no zod equivalent here\. Fix: declare the keys under `properties`/,
    );
  });

  it('rejects `properties` that is not a map', () => {
    expect(() => zodText({ type: 'object', properties: ['a'] })).toThrowError(
      /at \/properties: found `properties` that is not an object/,
    );
  });
});
