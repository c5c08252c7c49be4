/** Which components a namespace reaches, and the order they are defined in. */
import { describe, expect, it } from 'vitest';
import { planComponents } from '../../../codegen/emit/zod/components.js';
import type { JsonSchema } from '../../../codegen/ir/types.js';

type Json = Record<string, unknown>;
const component = (id: string, body: Json = {}): Json => ({
  'x-parser-schema-id': id,
  type: 'object',
  ...body,
});
const order = (roots: unknown[]) => planComponents(roots, ['z']).map((c) => c.name);

describe('planComponents', () => {
  it('defines a component after those it uses, each once', () => {
    const B = component('B');
    const A = component('A', { properties: { b: B, again: B } });
    expect(order([{ type: 'object', properties: { a: A, b: B } }, A])).toEqual(['B', 'A']);
  });

  it('keeps discovery order between independent components', () => {
    const [X, Y, Z] = ['X', 'Y', 'Z'].map((id) => component(id));
    expect(order([Y, { anyOf: [Z, X] }])).toEqual(['Y', 'Z', 'X']);
  });

  it('finds components under every schema keyword, and not inside `enum` values or `default`s', () => {
    const ids = ['P', 'AP', 'I', 'T', 'AI', 'PI', 'AO', 'OO', 'NO'];
    const [P, AP, I, T, AI, PI, AO, OO, NO] = ids.map((id) => component(id));
    const decoy = component('Decoy');
    const root = {
      properties: { p: P },
      additionalProperties: AP,
      items: I,
      anyOf: [{ items: [T], additionalItems: AI }, { prefixItems: [PI] }],
      allOf: [AO],
      oneOf: [OO, { not: NO }],
      enum: [decoy],
      default: decoy,
    };
    expect(order([root]).sort()).toEqual([...ids].sort());
  });

  it('marks a self-recursive component as its own group, pending while it is defined', () => {
    const Message = component('Message');
    Message.properties = { replyTo: Message };
    const [plan] = planComponents([Message], []);
    expect([...plan!.cycle]).toEqual(['Message']);
    expect([...plan!.pending]).toEqual(['Message']);
  });

  it('leaves a non-recursive component out of any group', () => {
    const [plan] = planComponents([component('Flat')], []);
    expect(plan!.cycle.size).toBe(0);
    expect([...plan!.pending]).toEqual(['Flat']);
  });

  it('orders a recursive group so that members read eagerly (union branches) come first', () => {
    const Expr = component('Expr', { type: undefined });
    const Add = component('Add');
    const Lit = component('Lit');
    Expr.oneOf = [Lit, Add];
    Add.properties = { left: Expr, right: Expr };
    const plan = planComponents([Expr], []);
    expect(plan.map((c) => c.name)).toEqual(['Lit', 'Add', 'Expr']);
    expect([...plan[1]!.pending]).toEqual(['Add', 'Expr']);
    expect([...plan[2]!.pending]).toEqual(['Expr']);
    expect([...plan[2]!.cycle].sort()).toEqual(['Add', 'Expr']);
  });

  it('keeps mutual recursion through properties in discovery order', () => {
    const User = component('User');
    const Room = component('Room', { properties: { owner: User } });
    User.properties = { rooms: { type: 'array', items: Room } };
    expect(order([User])).toEqual(['User', 'Room']);
    expect(order([Room])).toEqual(['Room', 'User']);
  });

  it('refuses a group that reads itself eagerly everywhere, listing the reads', () => {
    const A = component('A', { type: undefined });
    const B = component('B', { type: undefined });
    A.anyOf = [B, { type: 'string' }];
    B.allOf = [A];
    expect(() => planComponents([A], [])).toThrowError(
      /`A` reads `B` at \/anyOf\/0; `B` reads `A` at \/allOf\/0/,
    );
  });

  it('names consts after the component key, avoiding taken names, keywords and `z`', () => {
    const roots = ['Ok', 'Taken', 'Taken', 'delete', 'z', 'chat.room', '2fa'].map((id) => component(id));
    roots[2] = { ...roots[1]! }; // another object for the same id: the same component
    const plan = planComponents(roots as JsonSchema[], ['z', 'Taken', 'OkInput2']);
    expect(plan.map((c) => c.name)).toEqual(['Ok', 'Taken2', 'Delete', 'Z', 'ChatRoom', '_2fa']);
  });
});
