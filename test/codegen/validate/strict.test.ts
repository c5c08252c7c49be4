/**
 * Strictness: the document's `x-parley-strict` setting, and how a strict run makes every warning an error.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../codegen/diagnostics.js';
import { applyStrict, strictSetting } from '../../../codegen/validate/strict.js';

const settings: [string, { given: unknown; want: string }][] = [
  ['no setting', { given: { asyncapi: '3.0.0' }, want: 'lenient' }],
  ['x-parley-strict: true', { given: { 'x-parley-strict': true }, want: 'strict' }],
  ['x-parley-strict: false', { given: { 'x-parley-strict': false }, want: 'lenient' }],
  [
    'a setting that is not a boolean: reported, and read as strict',
    { given: { 'x-parley-strict': 'yes' }, want: 'strict error strict-setting-invalid /x-parley-strict' },
  ],
];

describe('strictSetting', () => {
  it.each(settings)('%s', (_name, { given, want }) => {
    const { strict, diagnostics } = strictSetting(given);
    const got = [
      strict ? 'strict' : 'lenient',
      ...diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer}`),
    ];
    expect(got.join(' ')).toBe(want);
  });
});

const found: Diagnostic[] = [
  { code: 'example-missing', severity: 'warning', message: 'm', pointer: '/a' },
  { code: 'event-duplicate', severity: 'error', message: 'm', pointer: '/b' },
];

describe('applyStrict', () => {
  it('leaves warnings as warnings in a lenient run', () => {
    expect(applyStrict(found, false)).toBe(found);
  });
  it('makes every warning an error in a strict run, and keeps everything else', () => {
    expect(applyStrict(found, true)).toEqual([
      { code: 'example-missing', severity: 'error', message: 'm', pointer: '/a' },
      found[1],
    ]);
  });
});
