import { describe, expect, it } from 'vitest';
import { type Case, zodText } from './helpers.js';

const cases: Case[] = [
  [
    'strings → z.enum',
    { given: { type: 'string', enum: ['sent', 'read'] }, want: "z.enum(['sent', 'read'])" },
  ],
  ['duplicates collapse', { given: { enum: ['a', 'a', 'b'] }, want: "z.enum(['a', 'b'])" }],
  [
    'mixed → union of literals',
    { given: { enum: ['a', 1, false] }, want: "z.union([z.literal('a'), z.literal(1), z.literal(false)])" },
  ],
  ['a single number', { given: { enum: [42] }, want: 'z.literal(42)' }],
  ['with null → nullable', { given: { enum: ['a', null] }, want: "z.enum(['a']).nullable()" }],
  ['only null', { given: { enum: [null] }, want: 'z.null()' }],
  ['empty admits nothing', { given: { enum: [] }, want: 'z.never()' }],
  ['const string', { given: { const: 'join' }, want: "z.literal('join')" }],
  ['const wins over type', { given: { type: 'number', const: 3 }, want: 'z.literal(3)' }],
  ['const null', { given: { const: null }, want: 'z.literal(null)' }],
  [
    'enum with a default',
    { given: { enum: ['a', 'b'], default: 'b' }, want: "z.enum(['a', 'b']).default('b')" },
  ],
];

describe('enum and const', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(zodText(given)).toBe(want);
  });

  it('rejects an object const, saying zod literals are primitives', () => {
    expect(() => zodText({ const: { a: 1 } })).toThrowError(
      /at \/const: found `const: {"a":1}`.*Fix: zod literals are strings/,
    );
  });

  it('rejects an object enum value at its index', () => {
    expect(() => zodText({ enum: ['a', ['b']] })).toThrowError(/at \/enum\/1: found the enum value \["b"\]/);
  });
});
