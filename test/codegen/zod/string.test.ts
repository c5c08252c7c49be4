import { describe, expect, it } from 'vitest';
import { type Case, zodText } from './helpers.js';

const cases: Case[] = [
  ['plain', { given: { type: 'string' }, want: 'z.string()' }],
  ['lengths', { given: { type: 'string', minLength: 1, maxLength: 80 }, want: 'z.string().min(1).max(80)' }],
  [
    'pattern, through a string literal (a `/` needs no escaping)',
    { given: { type: 'string', pattern: '^a/b\\d+$' }, want: "z.string().regex(new RegExp('^a/b\\\\d+$'))" },
  ],
  [
    'date-time needs an offset',
    { given: { type: 'string', format: 'date-time' }, want: 'z.iso.datetime({ offset: true })' },
  ],
  ['date', { given: { type: 'string', format: 'date' }, want: 'z.iso.date()' }],
  ['uri', { given: { type: 'string', format: 'uri' }, want: 'z.url()' }],
  [
    'email with a length',
    { given: { type: 'string', format: 'email', maxLength: 254 }, want: 'z.email().max(254)' },
  ],
  ['uuid', { given: { type: 'string', format: 'uuid' }, want: 'z.uuid()' }],
  [
    'an unknown format is a plain string',
    { given: { type: 'string', format: 'hostname' }, want: 'z.string()' },
  ],
  ['`toString` is no format', { given: { type: 'string', format: 'toString' }, want: 'z.string()' }],
  ['string keywords imply the type', { given: { minLength: 2 }, want: 'z.string().min(2)' }],
  ['a known format implies the type', { given: { format: 'email' }, want: 'z.email()' }],
  ['nullable', { given: { type: ['string', 'null'], maxLength: 3 }, want: 'z.string().max(3).nullable()' }],
  ['default', { given: { type: 'string', default: "it's" }, want: "z.string().default('it\\'s')" }],
];

describe('strings', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(zodText(given)).toBe(want);
  });

  it('rejects a pattern that is not a regular expression, saying where', () => {
    expect(() => zodText({ type: 'string', pattern: '(' }, { where: 'schema `Name`' })).toThrowError(
      /schema `Name` at \/pattern: `\(` is not a valid regular expression .*Fix: write an ECMA-262 regular expression/,
    );
  });

  it('rejects a length that is not a count', () => {
    expect(() => zodText({ type: 'string', minLength: -1 })).toThrowError(
      /at \/minLength: found `minLength: -1`/,
    );
    expect(() => zodText({ type: 'string', maxLength: '3' })).toThrowError(
      /found `maxLength: "3"`.*give `maxLength` a number/,
    );
  });
});
