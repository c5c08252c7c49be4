import { describe, expect, it } from 'vitest';
import { type Case, zodText } from './helpers.js';

const cases: Case[] = [
  ['number', { given: { type: 'number' }, want: 'z.number()' }],
  ['integer', { given: { type: 'integer' }, want: 'z.int()' }],
  [
    'inclusive bounds',
    { given: { type: 'number', minimum: 0, maximum: 1 }, want: 'z.number().min(0).max(1)' },
  ],
  [
    'exclusive bounds (draft-07 numbers)',
    { given: { type: 'integer', exclusiveMinimum: -1, exclusiveMaximum: 10 }, want: 'z.int().gt(-1).lt(10)' },
  ],
  ['multipleOf', { given: { type: 'number', multipleOf: 0.5 }, want: 'z.number().multipleOf(0.5)' }],
  ['numeric keywords imply the type', { given: { minimum: 1 }, want: 'z.number().min(1)' }],
  ['integer or number is a number', { given: { type: ['integer', 'number'] }, want: 'z.number()' }],
  [
    'nullable with a default',
    { given: { type: ['integer', 'null'], default: null }, want: 'z.int().nullable().default(null)' },
  ],
  ['negative default', { given: { type: 'number', default: -2.5 }, want: 'z.number().default(-2.5)' }],
  ['number formats are ignored', { given: { type: 'integer', format: 'int64' }, want: 'z.int()' }],
];

describe('numbers', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(zodText(given)).toBe(want);
  });

  it('rejects the draft-04 boolean `exclusiveMinimum`, with the draft-07 form as fix', () => {
    expect(() => zodText({ type: 'number', minimum: 0, exclusiveMinimum: true })).toThrowError(
      /at \/exclusiveMinimum: found the draft-04 form `exclusiveMinimum: true`.*Fix: write the bound itself: `exclusiveMinimum: <number>` \(and drop `minimum`\)/,
    );
  });

  it('rejects a bound that is not a number', () => {
    expect(() => zodText({ type: 'number', maximum: '9' })).toThrowError(
      /at \/maximum: found `maximum: "9"`/,
    );
  });
});
