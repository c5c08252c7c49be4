import { describe, expect, it } from 'vitest';
import { type Case, zodText } from './helpers.js';

const Base = {
  'x-parser-schema-id': 'Base',
  type: 'object',
  properties: { id: { type: 'string' } },
  required: ['id'],
};

const cases: Case[] = [
  [
    'plain anonymous objects merge into one (required from any part)',
    {
      given: {
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'] },
          { properties: { b: { type: 'number' }, c: { type: 'boolean' } } },
        ],
      },
      want: `z.object({
    a: z.string(),
    b: z.number(),
    c: z.boolean().optional()
})`,
    },
  ],
  [
    'a component part → z.intersection with its const',
    {
      given: {
        allOf: [Base, { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }],
      },
      want: `z.intersection(Base, z.object({
    name: z.string()
}))`,
    },
  ],
  [
    'three parts fold left',
    {
      given: { allOf: [{ type: 'string' }, { minLength: 1 }, { maxLength: 3 }] },
      want: 'z.intersection(z.intersection(z.string(), z.string().min(1)), z.string().max(3))',
    },
  ],
  [
    'a key declared twice is intersected, not merged',
    {
      given: { allOf: [{ properties: { a: { type: 'string' } } }, { properties: { a: { minLength: 2 } } }] },
      want: `z.intersection(z.object({
    a: z.string().optional()
}), z.object({
    a: z.string().min(2).optional()
}))`,
    },
  ],
  [
    'a strict part is not merged (its `additionalProperties` would change meaning)',
    {
      given: {
        allOf: [
          { properties: { a: { type: 'string' } }, additionalProperties: false },
          { properties: { b: { type: 'string' } } },
        ],
      },
      want: `z.intersection(z.strictObject({
    a: z.string().optional()
}), z.object({
    b: z.string().optional()
}))`,
    },
  ],
  ['a single part is itself', { given: { allOf: [{ type: 'integer' }] }, want: 'z.int()' }],
  ['no parts admit anything', { given: { allOf: [] }, want: 'z.unknown()' }],
];

describe('allOf', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(zodText(given, { components: { Base } })).toBe(want);
  });
});
