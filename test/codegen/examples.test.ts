/**
 * Every documented example, request and reply, is accepted by the generated zod schema: the zod emitter agrees
 * with the JSON Schema validator that `parley generate` already checked the examples with.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../codegen/index.js';
import type { IRMessage, IRNamespace } from '../../codegen/ir/types.js';
import type { NamespaceContract } from '../../runtime/contract.js';

const specs: [spec: string, generated: string][] = [
  ['asyncapi.yaml', 'generated'],
  ['test/fixtures/idioms.yaml', 'test/fixtures/__snapshots__/idioms'],
];

describe.each(specs)('%s', async (spec, generated) => {
  const { ir } = await compile(spec);
  const contracts = new Map<string, NamespaceContract>();
  for (const ns of ir.namespaces) {
    const module = (await import(path.resolve(generated, ns.ident, 'contract.gen.ts'))) as Record<
      string,
      NamespaceContract
    >;
    contracts.set(ns.ident, module[`${ns.ident}Contract`]!);
  }

  const cases = ir.namespaces.flatMap((ns) =>
    [...ns.receive, ...ns.send]
      .filter((op) => !op.reserved)
      .flatMap((op) => [
        ...examplesOf(ns, op.message).map((c) => ({
          ...c,
          schema: () => schemaOf(ns, op.action, op.event, 'payload'),
        })),
        ...(op.reply
          ? examplesOf(ns, op.reply).map((c) => ({
              ...c,
              schema: () => schemaOf(ns, op.action, op.event, 'reply'),
            }))
          : []),
      ]),
  );

  function schemaOf(ns: IRNamespace, action: 'receive' | 'send', event: string, part: 'payload' | 'reply') {
    const op = contracts.get(ns.ident)?.[action][event] as { payload?: unknown; reply?: unknown } | undefined;
    return op?.[part] as { safeParse(value: unknown): { success: boolean; error?: unknown } } | undefined;
  }

  it('has examples to check', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases)('$name', ({ payload, schema }) => {
    const zod = schema();
    expect(zod, 'the contract has a schema for this message').toBeDefined();
    const result = zod!.safeParse(payload);
    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
  });
});

function examplesOf(ns: IRNamespace, msg: IRMessage) {
  return msg.payload.kind === 'none'
    ? []
    : msg.examples.map((e, i) => ({
        name: `${ns.address} ${msg.key} example ${e.name ?? i}`,
        payload: e.payload,
      }));
}
