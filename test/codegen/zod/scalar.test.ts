/** The small kinds: boolean, null, unknown, never; defaults; what is ignored. */
import { describe, expect, it } from 'vitest';
import { type Case, zodText } from './helpers.js';

const cases: Case[] = [
  ['boolean', { given: { type: 'boolean' }, want: 'z.boolean()' }],
  ['null', { given: { type: 'null' }, want: 'z.null()' }],
  ['null in a list', { given: { type: ['null'] }, want: 'z.null()' }],
  ['{} admits anything', { given: {}, want: 'z.unknown()' }],
  [
    'annotations and `x-` keys admit anything',
    { given: { title: 'T', examples: [1], 'x-parley-name': 'n' }, want: 'z.unknown()' },
  ],
  ['boolean with default', { given: { type: 'boolean', default: true }, want: 'z.boolean().default(true)' }],
  [
    'an object default is printed as a literal',
    {
      given: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x' } },
      want: `z.object({
    a: z.string().optional()
}).default({
    a: 'x'
})`,
    },
  ],
  ['a default on anything', { given: { default: [1, 'a'] }, want: "z.unknown().default([1, 'a'])" }],
];

describe('boolean, null, unknown, defaults', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(zodText(given)).toBe(want);
  });

  it('`true` admits anything and `false` nothing', () => {
    expect(zodText(true)).toBe('z.unknown()');
    expect(zodText(false)).toBe('z.never()');
  });

  it('rejects an unknown `type`, listing the valid ones', () => {
    expect(() => zodText({ type: 'file' }, { where: 'schema `Upload`' })).toThrowError(
      /schema `Upload` at \/: found `type: "file"`\. Fix: use one of string, number, integer, boolean, null, object, array/,
    );
  });

  it('rejects something that is not a schema', () => {
    expect(() => zodText(42)).toThrowError(/found 42 where a schema was expected/);
  });
});
