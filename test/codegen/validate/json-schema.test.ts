/**
 * `toJsonSchema`: circular schema graphs (as the parser resolves recursive `$ref`s) to tree-shaped JSON Schema.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { payloadJsonSchema, toJsonSchema } from '../../../codegen/validate/json-schema.js';

type Obj = Record<string, unknown>;

/** A tree: JSON.stringify throws on a cycle. */
const isTree = (v: unknown) => {
  JSON.stringify(v);
  return true;
};

describe('toJsonSchema', () => {
  const cases: [string, { given: () => Obj; want: Obj }][] = [
    [
      'a schema without cycles is copied as it is',
      {
        given: () => ({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }),
        want: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      },
    ],
    [
      'a root that contains itself becomes `$ref: #`',
      {
        given: () => {
          const node: Obj = { type: 'object', 'x-parser-schema-id': 'Node' };
          node.properties = { next: node };
          return node;
        },
        want: { type: 'object', 'x-parser-schema-id': 'Node', properties: { next: { $ref: '#' } } },
      },
    ],
    [
      'an inner cycle goes to definitions, named after x-parser-schema-id',
      {
        given: () => {
          const tree: Obj = { type: 'object', 'x-parser-schema-id': 'Tree' };
          tree.properties = { children: { type: 'array', items: tree } };
          return { type: 'object', properties: { root: tree } };
        },
        want: {
          type: 'object',
          properties: { root: { $ref: '#/definitions/Tree' } },
          definitions: {
            Tree: {
              type: 'object',
              'x-parser-schema-id': 'Tree',
              properties: { children: { type: 'array', items: { $ref: '#/definitions/Tree' } } },
            },
          },
        },
      },
    ],
    [
      'anonymous schemas get numbered names that do not clash with existing definitions',
      {
        given: () => {
          const a: Obj = { 'x-parser-schema-id': '<anonymous-schema-1>' };
          a.anyOf = [{ type: 'null' }, a];
          return { definitions: { schema1: { type: 'string' } }, properties: { a } };
        },
        want: {
          definitions: {
            schema1: { type: 'string' },
            schema2: {
              'x-parser-schema-id': '<anonymous-schema-1>',
              anyOf: [{ type: 'null' }, { $ref: '#/definitions/schema2' }],
            },
          },
          properties: { a: { $ref: '#/definitions/schema2' } },
        },
      },
    ],
    [
      'an object shared without a cycle is copied, not referenced',
      {
        given: () => {
          const id = { type: 'string' };
          return { properties: { a: id, b: id } };
        },
        want: { properties: { a: { type: 'string' }, b: { type: 'string' } } },
      },
    ],
    [
      'two mutually recursive schemas',
      {
        given: () => {
          const a: Obj = { 'x-parser-schema-id': 'A' };
          const b: Obj = { 'x-parser-schema-id': 'B', properties: { a } };
          a.properties = { b };
          return { properties: { start: a } };
        },
        want: {
          properties: { start: { $ref: '#/definitions/A' } },
          definitions: {
            A: {
              'x-parser-schema-id': 'A',
              properties: {
                b: { 'x-parser-schema-id': 'B', properties: { a: { $ref: '#/definitions/A' } } },
              },
            },
          },
        },
      },
    ],
    [
      '$id and $schema are dropped',
      {
        given: () => ({
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          $id: 'x',
          properties: { a: { $id: 'y' } },
        }),
        want: { properties: { a: {} } },
      },
    ],
  ];

  it.each(cases)('%s', (_name, { given, want }) => {
    const input = given();
    const out = toJsonSchema(input);
    expect(isTree(out)).toBe(true);
    expect(out).toEqual(want);
  });

  it('does not modify its input', () => {
    const node: Obj = { type: 'object', $id: 'n' };
    node.properties = { next: node };
    toJsonSchema(node);
    expect(Object.keys(node)).toEqual(['type', '$id', 'properties']);
    expect((node.properties as Obj).next).toBe(node);
  });

  it('gives ajv a schema that validates recursive data', () => {
    const list: Obj = { type: 'object', required: ['value'], properties: { value: { type: 'number' } } };
    (list.properties as Obj).next = { oneOf: [{ type: 'null' }, list] };
    const validate = new Ajv({ strict: false }).compile(toJsonSchema({ type: 'array', items: list }));
    expect(validate([{ value: 1, next: { value: 2, next: null } }])).toBe(true);
    expect(validate([{ value: 1, next: { value: 'two', next: null } }])).toBe(false);
  });
});

describe('payloadJsonSchema', () => {
  it('is undefined without a payload', () => {
    expect(payloadJsonSchema({ kind: 'none' })).toBeUndefined();
  });

  it('is a closed tuple of exactly the arguments for several', () => {
    expect(payloadJsonSchema({ kind: 'args', items: [{ type: 'string' }, { type: 'number' }] })).toEqual({
      type: 'array',
      items: [{ type: 'string' }, { type: 'number' }],
      additionalItems: false,
      minItems: 2,
    });
  });
});
