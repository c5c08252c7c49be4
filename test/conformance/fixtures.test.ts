/** The fixture file: its shape (zod) and its names (checked against the spec), each problem with path and line. */
import { describe, expect, it } from 'vitest';
import type { IRDocument, IRNamespace, IROperation } from '../../codegen/index.js';
import { FixtureError, parseFixtures, resolveCase } from '../../conformance/fixtures.js';

const op = (event: string, extra: Partial<IROperation> = {}): IROperation => ({
  id: `chat.${event}`,
  action: 'receive',
  event,
  message: {
    key: event,
    name: event,
    typeName: 'X',
    payload: { kind: 'value', schema: { type: 'object' } },
    examples: [
      { name: 'basic', payload: { room: 'r1' }, pointer: '' },
      { name: 'other', payload: { room: 'r2' }, pointer: '' },
    ],
    pointer: '',
  },
  effects: [{ event: 'said', to: 'room', room: 'room', when: 'success', pointer: '' }],
  reserved: false,
  pointer: '',
  ...extra,
});

const ns: IRNamespace = {
  channelId: 'chat',
  address: '/chat',
  ident: 'chat',
  auth: { handshake: ['auth.token'] },
  errors: { event: 'error' },
  receive: [op('say')],
  send: [{ ...op('said'), action: 'send', effects: [] }],
  pointer: '',
};
const ir: IRDocument = { title: 't', version: '1', source: 'spec.yaml', namespaces: [ns] };

const GOOD = `
namespaces:
  /chat:
    actor: ann
    observer: bob
    outsider: cid
    data:
      users:
        - { id: ann, username: ann }
        - { id: bob, username: bob }
        - { id: cid, username: cid }
      rooms:
        - { id: r1, members: [ann, bob], name: one }
    operations:
      say:
        before: [{ event: say, payload: { room: r1 }, until: said }]
        examples:
          other: { actor: bob, observer: ann, expect: failure, code: FORBIDDEN }
`;

function problems(text: string): string[] {
  try {
    parseFixtures(text, ir, 'fixtures.yaml');
  } catch (error) {
    if (error instanceof FixtureError)
      return error.problems.map((p) => `${p.path}: ${p.message} (line ${p.line})`);
    throw error;
  }
  return [];
}

describe('parseFixtures', () => {
  it('accepts a valid file and resolves a case with the namespace defaults', () => {
    const file = parseFixtures(GOOD, ir);
    const basic = resolveCase(file, ns, ns.receive[0]!, { example: 0 });
    expect(basic).toMatchObject({ actor: 'ann', observer: 'bob', outsider: 'cid', expect: undefined });
    expect(basic.before).toEqual([{ as: 'actor', event: 'say', payload: { room: 'r1' }, until: 'said' }]);
    const other = resolveCase(file, ns, ns.receive[0]!, { example: 1 });
    expect(other).toMatchObject({ actor: 'bob', observer: 'ann', expect: 'failure', code: 'FORBIDDEN' });
  });

  it('names a shape problem by path and line', () => {
    const text = GOOD.replace('actor: ann\n', 'actor: 42\n').replace('until: said', 'until: said, typo: 1');
    expect(problems(text)).toEqual([
      'namespaces./chat.actor: Invalid input: expected string, received number (line 4)',
      'namespaces./chat.operations.say.before[0]: Unrecognized key: "typo" (line 16)',
    ]);
  });

  it('names what the spec or the data does not have', () => {
    const text = GOOD.replace('observer: bob\n', 'observer: dan\n')
      .replace('until: said', 'until: shouted')
      .replace('other: {', 'missing: {')
      .replace('      say:\n', '      say:\n        effects: [nothing]\n');
    expect(problems(text)).toEqual([
      'namespaces./chat.observer: no user "dan" in the fixture data (users: ann, bob, cid) (line 5)',
      'namespaces./chat.operations.say.before[0].until: "shouted" is not a server event of /chat (it has: said) (line 17)',
      'namespaces./chat.operations.say.effects[0]: "nothing" is not an effect of "say" (x-parley-effects: said) (line 16)',
      'namespaces./chat.operations.say.examples.missing: "say" has no example "missing" (it has: basic, other) (line 19)',
    ]);
  });

  it('refuses a namespace or an operation the spec does not have, and duplicate ids', () => {
    const text =
      `${GOOD}      shout: {}\n  /other:\n    actor: a\n    observer: b\n    outsider: c\n`.replace(
        '        - { id: cid, username: cid }',
        '        - { id: cid, username: cid }\n        - { id: ann, username: ann2 }',
      );
    expect(problems(text)).toEqual([
      'namespaces./chat.data: user id "ann" appears twice (line 8)',
      'namespaces./chat.operations.shout: "shout" is not a client event of /chat (it has: say) (line 20)',
      'namespaces./other: the spec has no namespace "/other" (it has: /chat) (line 22)',
    ]);
  });

  it('wants three different users in every case', () => {
    expect(problems(GOOD.replace('other: { actor: bob, observer: ann,', 'other: { actor: bob,'))).toEqual([
      'namespaces./chat.operations.say.examples.other: actor, observer and outsider must be three different users (here: bob, bob, cid) (line 18)',
    ]);
  });

  it('says when the file is not YAML', () => {
    expect(problems('namespaces: [')[0]).toMatch(/^: not valid YAML/);
  });
});
