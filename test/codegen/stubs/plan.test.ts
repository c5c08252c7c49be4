/** `planStubs`: what it inserts into a handler module, and what it leaves alone. */
import { describe, expect, it } from 'vitest';
import { planStubs } from '../../../codegen/emit/stubs/index.js';
import type { IRNamespace, IROperation } from '../../../codegen/ir/types.js';

const op = (event: string): IROperation => ({
  id: `chat.${event}`,
  action: 'receive',
  event,
  message: { key: event, name: event, typeName: 'X', payload: { kind: 'none' }, examples: [], pointer: '' },
  effects: [],
  reserved: false,
  pointer: '',
});
const ns = (...events: string[]): IRNamespace => ({
  channelId: 'chat',
  address: '/chat',
  ident: 'chat',
  auth: { handshake: [] },
  errors: {},
  receive: events.map(op),
  send: [],
  pointer: '',
});
const imports = { runtime: '../../runtime/index.js', server: '../../generated/chat/server.gen.js' };

describe('planStubs', () => {
  it('creates a module with a stub per client event', async () => {
    const plan = await planStubs(ns('ping', 'chat:send'), undefined, imports);
    expect(plan.created).toBe(true);
    expect(plan.inserted).toEqual(['ping', 'chat:send']);
    expect(plan.contents).toContain("import { notImplemented } from '../../runtime/index.js';");
    expect(plan.contents).toContain(
      "'chat:send'(_payload, _ctx) {\n    throw notImplemented('chat:send');\n  }",
    );
  });

  it('adds stubs to the object a handler factory returns, keeping the rest byte for byte', async () => {
    const current = [
      "import { notImplemented } from '../../runtime/index.js';",
      '',
      'export function chatHandlers(deps: { log: string[] }) {',
      '  const   helper = () => deps.log.push("x")  ;',
      '  return {',
      '    ping() { helper(); },',
      '  } satisfies ChatHandlers;',
      '}',
      '',
    ].join('\n');
    const plan = await planStubs(ns('ping', 'typing'), current, imports);
    expect(plan.inserted).toEqual(['typing']);
    expect(plan.contents).toContain(
      '  const   helper = () => deps.log.push("x")  ;\n  return {\n    ping() { helper(); },',
    );
    expect(plan.contents).toMatch(/typing\(_payload, _ctx\) \{\n\s+throw notImplemented\('typing'\);/);
  });

  it('changes nothing when every event has a handler, and reports handlers the spec dropped', async () => {
    const current =
      "import { notImplemented } from 'parley/runtime';\nexport const chatHandlers = { ping() {}, old() {} } satisfies ChatHandlers;\n";
    const plan = await planStubs(ns('ping'), current, imports);
    expect(plan.contents).toBe(current);
    expect(plan.inserted).toEqual([]);
    expect(plan.orphaned).toEqual(['old']);
  });

  it('adds the notImplemented import when the module lacks it', async () => {
    const plan = await planStubs(
      ns('ping'),
      'export const chatHandlers = {} satisfies ChatHandlers;\n',
      imports,
    );
    expect(plan.contents.startsWith("import { notImplemented } from '../../runtime/index.js';")).toBe(true);
  });

  it('refuses a module without the handlers declaration, saying how to fix it', async () => {
    await expect(planStubs(ns('ping'), 'export const other = {};\n', imports)).rejects.toThrow(
      /has no `export const chatHandlers = \{ \.\.\. \} satisfies ChatHandlers`.*fix: restore that declaration, or pass --no-stubs/,
    );
  });
});
