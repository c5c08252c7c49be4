/** Component references: never duplicated; getters where the const is not initialised yet. */
import { describe, expect, it } from 'vitest';
import { createZodContext, schemaToZod } from '../../../codegen/emit/zod/index.js';
import type { JsonSchema } from '../../../codegen/ir/types.js';
import { printNode } from '../../../codegen/print/ts.js';
import { type Case, zodText } from './helpers.js';

const Message: Record<string, unknown> = {
  'x-parser-schema-id': 'Message',
  type: 'object',
  properties: { text: { type: 'string' } },
};
const Tag = { 'x-parser-schema-id': 'Tag', type: 'string', description: 'A tag.' };
const components = { Message: Message as JsonSchema, Tag };

const cases: Case[] = [
  ['the component itself (by identity) is its const', { given: Message, want: 'Message' }],
  [
    'a copy carrying its `x-parser-schema-id` is the const too',
    { given: { ...Message, properties: {} }, want: 'Message' },
  ],
  [
    'nested uses are references, without the component description',
    {
      given: {
        type: 'object',
        properties: { tags: { type: 'array', items: Tag }, main: Tag },
        required: ['main'],
      },
      want: `z.object({
    tags: z.array(Tag).optional(),
    main: Tag
})`,
    },
  ],
  [
    'an anonymous id is no component',
    { given: { 'x-parser-schema-id': '<anonymous-schema-7>', type: 'string' }, want: 'z.string()' },
  ],
  [
    'an unknown component id is inlined',
    { given: { 'x-parser-schema-id': 'Other', type: 'number' }, want: 'z.number()' },
  ],
];

describe('component references', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(zodText(given, { components })).toBe(want);
  });
});

describe('references to components not defined yet (recursion)', () => {
  const recursing = { components, cycle: ['Message'], pending: ['Message'] };
  const lazy: Case[] = [
    [
      'a property that reads it is a getter',
      {
        given: {
          type: 'object',
          properties: { replyTo: { oneOf: [Message, { type: 'null' }] }, text: { type: 'string' } },
          required: ['replyTo', 'text'],
        },
        want: `z.object({
    get replyTo() {
        return Message.nullable();
    },
    text: z.string()
})`,
      },
    ],
    [
      'the getter is on the innermost property',
      {
        given: {
          type: 'object',
          properties: {
            thread: { type: 'array', items: { type: 'object', properties: { parent: Message } } },
          },
        },
        want: `z.object({
    thread: z.array(z.object({
        get parent() {
            return Message.optional();
        }
    })).optional()
})`,
      },
    ],
    [
      'a record of it',
      {
        given: { type: 'object', properties: { byId: { type: 'object', additionalProperties: Message } } },
        want: `z.object({
    get byId() {
        return z.record(z.string(), Message).optional();
    }
})`,
      },
    ],
  ];

  it.each(lazy)('%s', (_, { given, want }) => {
    expect(zodText(given, recursing)).toBe(want);
  });

  it('a defined member of the group is read directly, but a default over it needs a getter', () => {
    const given = {
      type: 'object',
      properties: { last: Message, first: { ...{ type: 'array', items: Message }, default: [] } },
    };
    expect(zodText(given, { components, cycle: ['Message'], pending: [] })).toBe(`z.object({
    last: Message.optional(),
    get first() {
        return z.array(Message).default([]);
    }
})`);
  });

  it('outside any property, the reference is reported to the caller (emitSchemas refuses it)', () => {
    const ctx = createZodContext(recursing);
    expect(printNode(schemaToZod({ type: 'array', items: Message }, ctx))).toBe('z.array(Message)');
    expect(ctx.scope.defer).toBe(true);
    const defined = createZodContext({ components });
    schemaToZod({ type: 'array', items: Message }, defined);
    expect(defined.scope.defer).toBe(false);
  });

  it('refuses an anonymous schema that contains itself', () => {
    const loop: Record<string, unknown> = { type: 'object' };
    loop.properties = { self: loop };
    expect(() => zodText(loop, { where: 'the payload of message `x`' })).toThrowError(
      /the payload of message `x` at \/properties\/self: found a schema that contains itself but is not a component\. Fix: move it under `components\/schemas`/,
    );
  });
});
