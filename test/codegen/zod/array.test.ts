import { describe, expect, it } from 'vitest';
import { type Case, zodText } from './helpers.js';

const arrays: Case[] = [
  ['items', { given: { type: 'array', items: { type: 'string' } }, want: 'z.array(z.string())' }],
  ['no items', { given: { type: 'array' }, want: 'z.array(z.unknown())' }],
  [
    '`items: false` admits only []',
    { given: { type: 'array', items: false } as never, want: 'z.array(z.never())' },
  ],
  [
    'bounds; uniqueItems is ignored',
    {
      given: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 9, uniqueItems: true },
      want: 'z.array(z.int()).min(1).max(9)',
    },
  ],
  ['array keywords imply the type', { given: { items: { type: 'boolean' } }, want: 'z.array(z.boolean())' }],
  [
    'arrays of arrays, nullable',
    {
      given: { type: ['array', 'null'], items: { type: 'array', items: { type: 'number' } } },
      want: 'z.array(z.array(z.number())).nullable()',
    },
  ],
];

const tuples: Case[] = [
  [
    'draft-07 tuple, `additionalItems: false` → plain z.tuple',
    {
      given: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
      want: 'z.tuple([z.string(), z.number()])',
    },
  ],
  [
    '`additionalItems` schema → .rest',
    {
      given: { type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'boolean' } },
      want: 'z.tuple([z.string()]).rest(z.boolean())',
    },
  ],
  [
    'absent `additionalItems` lets extra items through, as JSON Schema does',
    {
      given: { type: 'array', items: [{ type: 'string' }] },
      want: 'z.tuple([z.string()]).rest(z.unknown())',
    },
  ],
  [
    '`prefixItems` with `items: false`',
    {
      given: { type: 'array', prefixItems: [{ type: 'integer' }, { const: 'x' }], items: false },
      want: "z.tuple([z.int(), z.literal('x')])",
    },
  ],
  [
    '`prefixItems` with an `items` schema',
    {
      given: { type: 'array', prefixItems: [{ type: 'integer' }], items: { type: 'string' } },
      want: 'z.tuple([z.int()]).rest(z.string())',
    },
  ],
  ['an empty tuple', { given: { type: 'array', items: [], additionalItems: false }, want: 'z.tuple([])' }],
];

describe('arrays', () => {
  it.each(arrays)('%s', (_, { given, want }) => {
    expect(zodText(given)).toBe(want);
  });

  it('rejects `contains`', () => {
    expect(() => zodText({ type: 'array', contains: { type: 'string' } })).toThrowError(
      /found `contains`.*Fix: describe every item with `items` instead/,
    );
  });

  it('rejects a negative `minItems`', () => {
    expect(() => zodText({ type: 'array', minItems: -1 })).toThrowError(
      /at \/minItems: found `minItems: -1`/,
    );
  });
});

describe('tuples', () => {
  it.each(tuples)('%s', (_, { given, want }) => {
    expect(zodText(given)).toBe(want);
  });
});
