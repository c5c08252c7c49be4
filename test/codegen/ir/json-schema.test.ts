/**
 * `toDefinitions`: the parser's circular schema graphs (recursive `$ref`s inlined) to one JSON Schema
 * definitions table, as Modelina and ajv need.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { toDefinitions } from '../../../codegen/ir/json-schema.js';
import { payloadJsonSchema } from '../../../codegen/validate/json-schema.js';

type Obj = Record<string, unknown>;

/** A tree: JSON.stringify throws on a cycle. */
const isTree = (v: unknown) => {
  JSON.stringify(v);
  return true;
};

describe('toDefinitions', () => {
  const cases: [string, { given: () => Record<string, Obj>; want: Obj }][] = [
    [
      'a schema without cycles is copied under its name',
      {
        given: () => ({ Root: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } }),
        want: { Root: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } },
      },
    ],
    [
      'a root that contains itself refers to its own definition',
      {
        given: () => {
          const node: Obj = { type: 'object', 'x-parser-schema-id': '<anonymous-schema-1>' };
          node.properties = { next: node };
          return { Node: node };
        },
        want: { Node: { type: 'object', properties: { next: { $ref: '#/definitions/Node' } } } },
      },
    ],
    [
      'a component is a definition of its own, referenced wherever it is used',
      {
        given: () => {
          const user: Obj = { 'x-parser-schema-id': 'User', type: 'object' };
          return { A: { properties: { from: user, to: user } } };
        },
        want: {
          A: { properties: { from: { $ref: '#/definitions/User' }, to: { $ref: '#/definitions/User' } } },
          User: { type: 'object' },
        },
      },
    ],
    [
      'a root that is a component is an alias of it',
      {
        given: () => ({ MessagePayload: { 'x-parser-schema-id': 'Message', type: 'object' } }),
        want: { Message: { type: 'object' }, MessagePayload: { $ref: '#/definitions/Message' } },
      },
    ],
    [
      'an anonymous schema that recurs gets a name',
      {
        given: () => {
          const a: Obj = { 'x-parser-schema-id': '<anonymous-schema-2>' };
          a.anyOf = [{ type: 'null' }, a];
          return { Root: { properties: { a } } };
        },
        want: {
          Root: { properties: { a: { $ref: '#/definitions/Recursive1' } } },
          Recursive1: { anyOf: [{ type: 'null' }, { $ref: '#/definitions/Recursive1' }] },
        },
      },
    ],
    [
      'two mutually recursive components',
      {
        given: () => {
          const a: Obj = { 'x-parser-schema-id': 'A' };
          const b: Obj = { 'x-parser-schema-id': 'B', properties: { a } };
          a.properties = { b };
          return { Start: { properties: { start: a } } };
        },
        want: {
          Start: { properties: { start: { $ref: '#/definitions/A' } } },
          A: { properties: { b: { $ref: '#/definitions/B' } } },
          B: { properties: { a: { $ref: '#/definitions/A' } } },
        },
      },
    ],
    [
      'x-parser-*, $id and $schema are dropped; enum, const and default values are kept as they are',
      {
        given: () => ({
          Root: {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            $id: 'x',
            'x-parser-schema-id': '<anonymous-schema-3>',
            properties: { a: { $id: 'y', enum: [{ type: 'string' }], default: { properties: 1 } } },
          },
        }),
        want: { Root: { properties: { a: { enum: [{ type: 'string' }], default: { properties: 1 } } } } },
      },
    ],
  ];

  it.each(cases)('%s', (_name, { given, want }) => {
    const { definitions } = toDefinitions(given());
    expect(isTree(definitions)).toBe(true);
    expect(definitions).toEqual(want);
  });

  it('does not modify its input', () => {
    const node: Obj = { type: 'object', $id: 'n', 'x-parser-schema-id': 'N' };
    node.properties = { next: node };
    toDefinitions({ N: node });
    expect(Object.keys(node)).toEqual(['type', '$id', 'x-parser-schema-id', 'properties']);
    expect((node.properties as Obj).next).toBe(node);
  });
});

describe('payloadJsonSchema', () => {
  it('is undefined without a payload', () => {
    expect(payloadJsonSchema({ kind: 'none' })).toBeUndefined();
  });

  it('is a closed tuple of exactly the arguments for several', () => {
    expect(
      payloadJsonSchema({ kind: 'args', items: [{ type: 'string' }, { type: 'number' }], rest: false }),
    ).toEqual({
      $ref: '#/definitions/__payload',
      definitions: {
        __payload: {
          type: 'array',
          items: [{ type: 'string' }, { type: 'number' }],
          additionalItems: false,
          minItems: 2,
        },
      },
    });
  });

  it('gives ajv a schema that validates recursive data', () => {
    const list: Obj = { type: 'object', required: ['value'], properties: { value: { type: 'number' } } };
    (list.properties as Obj).next = { oneOf: [{ type: 'null' }, list] };
    const schema = payloadJsonSchema({ kind: 'value', schema: { type: 'array', items: list } });
    const validate = new Ajv({ strict: false }).compile(schema ?? {});
    expect(validate([{ value: 1, next: { value: 2, next: null } }])).toBe(true);
    expect(validate([{ value: 1, next: { value: 'two', next: null } }])).toBe(false);
  });
});
