/** Unsupported keywords throw, saying where, what was found and how to fix it. */
import { describe, expect, it } from 'vitest';
import { zodText } from './helpers.js';

const unsupported: [string, Record<string, unknown>, RegExp][] = [
  ['not', { not: { type: 'string' } }, /Fix: remove `not`; list the allowed values with `enum`/],
  ['if', { if: { type: 'string' } }, /Fix: replace `if`\/`then`\/`else` with `oneOf` branches/],
  ['else', { else: { type: 'string' } }, /Fix: replace `if`\/`then`\/`else`/],
  [
    'propertyNames',
    { type: 'object', propertyNames: { pattern: '^a' } },
    /Fix: declare the keys under `properties`/,
  ],
  [
    'dependentRequired',
    { type: 'object', dependentRequired: { a: ['b'] } },
    /Fix: split the object into `oneOf` branches/,
  ],
  [
    'dependencies',
    { type: 'object', dependencies: { a: ['b'] } },
    /Fix: split the object into `oneOf` branches/,
  ],
  [
    'unevaluatedProperties',
    { type: 'object', unevaluatedProperties: false },
    /Fix: use `additionalProperties` instead/,
  ],
  [
    '$ref',
    { $ref: '#/components/schemas/Missing' },
    /Fix: the parser leaves no `\$ref` behind when the target exists/,
  ],
];

describe('unsupported keywords', () => {
  it.each(unsupported)('`%s`', (keyword, given, fix) => {
    const where = `schema \`Thing\` at /properties/a: found \`${keyword}\`, which has no zod equivalent here.`;
    const run = () => zodText({ type: 'object', properties: { a: given } }, { where: 'schema `Thing`' });
    expect(run).toThrowError(where);
    expect(run).toThrowError(fix);
  });

  it('gives the path through arrays, unions and escaped keys', () => {
    const given = {
      oneOf: [{ type: 'string' }, { type: 'array', items: { properties: { 'a/b': { not: {} } } } }],
    };
    expect(() => zodText(given)).toThrowError('at /oneOf/1/items/properties/a~1b: found `not`');
  });

  it('throws an Error', () => {
    expect(() => zodText({ not: {} })).toThrowError(Error);
  });
});
