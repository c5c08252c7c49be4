/** The fixture file: its shape (zod) and its names (checked against the spec), each problem with path and line. */
import { describe, expect, it } from 'vitest';
import type { IRDocument, IRNamespace, IROperation } from '../../codegen/index.js';
import { planNamespace } from '../../conformance/cases.js';
import { FixtureError, parseFixtures, resolveCase } from '../../conformance/fixtures.js';
import { PayloadValidator } from '../../conformance/validate.js';

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

  it('wants every feature a case requires declared under features:', () => {
    const text = GOOD.replace('      say:\n', '      say:\n        requires: { ai: true, ml: false }\n');
    expect(problems(text)).toEqual([
      'namespaces./chat.operations.say.requires.ai: no feature "ai" is declared under features: (declared: (none)) (line 16)',
      'namespaces./chat.operations.say.requires.ml: no feature "ml" is declared under features: (declared: (none)) (line 16)',
    ]);
    expect(problems(`features: { ai: an assistant, ml: a model }\n${text}`)).toEqual([]);
  });

  it('says when the file is not YAML', () => {
    expect(problems('namespaces: [')[0]).toMatch(/^: not valid YAML/);
  });
});

describe('features a server runs without', () => {
  const file = parseFixtures(
    `features: { ai: an assistant }\n${GOOD.replace(
      '          other: {',
      '          basic: { requires: { ai: true } }\n          other: { requires: { ai: false },',
    )}`,
    ir,
  );
  const plan = (without: string[]) => {
    const validator = new PayloadValidator();
    try {
      const cases = planNamespace(ns, file, validator, new Set(without)).cases;
      return Object.fromEntries(
        cases.filter((c) => c.kind === 'example').map((c) => [c.title, { skip: c.skip, missing: c.missing }]),
      );
    } finally {
      validator.dispose();
    }
  };

  it('runs the cases needing a feature, and skips those documenting its absence, by default', () => {
    expect(resolveCase(file, ns, ns.receive[0]!, { example: 1 }).requires).toEqual({ ai: false });
    expect(plan([])).toEqual({
      'say › example "basic"': { skip: undefined, missing: undefined },
      'say › example "other"': {
        skip: 'documents a server without ai (run with --without ai against one)',
        missing: undefined,
      },
    });
  });

  it('skips the cases needing a feature the server runs without, naming it, and runs the others', () => {
    expect(plan(['ai'])).toEqual({
      'say › example "basic"': {
        skip: 'needs ai, and the server runs without it (--without ai)',
        missing: 'ai',
      },
      'say › example "other"': { skip: undefined, missing: undefined },
    });
  });
});
