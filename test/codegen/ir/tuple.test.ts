/**
 * Tuples as several arguments: every form the parser accepts is read by `tupleOf` (closed, open, with a rest),
 * and the example checker holds each example to what its tuple says. The zod-sockets ack
 * `["pong", "something"]` against `items: [{ const: pong }]` with `additionalItems: { format: any }` is a rest
 * tuple, not a closed one.
 */
import { describe, expect, it } from 'vitest';
import { tupleOf } from '../../../codegen/ir/json-schema.js';
import type { IRPayload, JsonSchema } from '../../../codegen/ir/types.js';
import { PayloadChecker } from '../../../codegen/validate/check.js';

const checker = new PayloadChecker();

/** The schema as the IR reads it, then the checker's verdict on `value`: `ok`, or each issue as `path message`. */
function verdict(schema: JsonSchema, value: unknown): string[] | 'not a tuple' {
  const tuple = tupleOf(schema);
  if (!tuple) return 'not a tuple';
  const payload: IRPayload = { kind: 'args', items: tuple.items, rest: tuple.rest };
  const result = checker.check(payload, value);
  if (result.ok === true) return ['ok'];
  if (result.ok === 'uncompilable') return [`uncompilable ${result.reason}`];
  return result.issues.map((i) => `${i.path} ${i.message} (${i.expected})`);
}

const pong = {
  type: 'array',
  items: [{ type: 'string', const: 'pong' }],
  additionalItems: { format: 'any' },
};

const cases: [string, { given: JsonSchema; value: unknown; want: string[] | 'not a tuple' }][] = [
  [
    'a rest tuple takes further items (the zod-sockets ack)',
    { given: pong, value: ['pong', 'something'], want: ['ok'] },
  ],
  ['a rest tuple takes none', { given: pong, value: ['pong'], want: ['ok'] }],
  [
    'a rest tuple still needs its listed items',
    { given: pong, value: [], want: ['payload must NOT have fewer than 1 items (minItems: 1)'] },
  ],
  [
    'a typed rest checks each further item',
    {
      given: { type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'number' } },
      value: ['a', 'b'],
      want: ['payload/1 must be number (type: "number")'],
    },
  ],
  [
    'a closed tuple refuses one more',
    {
      given: { type: 'array', items: [{ type: 'string' }], additionalItems: false },
      value: ['a', 'b'],
      want: ['payload must NOT have more than 1 items (additionalItems: false)'],
    },
  ],
  [
    'an open tuple takes anything after',
    { given: { type: 'array', items: [{ type: 'string' }] }, value: ['a', 1, null], want: ['ok'] },
  ],
  [
    '2020-12 prefixItems with items: false is closed',
    {
      given: { type: 'array', prefixItems: [{ type: 'string' }], items: false },
      value: ['a', 'b'],
      want: ['payload must NOT have more than 1 items (additionalItems: false)'],
    },
  ],
  [
    '2020-12 prefixItems with an items schema is a rest',
    {
      given: { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' } },
      value: ['a', 2, 3],
      want: ['ok'],
    },
  ],
  [
    'only additionalItems (zod-sockets: z.tuple([]).rest(x)): every item is the rest',
    {
      given: { type: 'array', additionalItems: { type: 'string' } },
      value: ['a', 7],
      want: ['payload/1 must be string (type: "string")'],
    },
  ],
  [
    'a list (items: one schema) is one argument, not a tuple',
    { given: { type: 'array', items: { type: 'string' } }, value: [], want: 'not a tuple' },
  ],
];

describe('tuples', () => {
  it.each(cases)('%s', (_name, { given, value, want }) => {
    expect(verdict(given, value)).toEqual(want);
  });
});
