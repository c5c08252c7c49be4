/**
 * The zod v4 emitter: `generated/<ns>/schemas.gen.ts` holds every component schema the namespace reaches
 * (dependencies first), then one payload schema per message, each as a const with its output and input types.
 */
import { isSchema } from '../../ir/json-schema.js';
import type { IRMessage, IRNamespace, JsonSchema } from '../../ir/types.js';
import {
  docOf,
  exportConst,
  exportType,
  type GeneratedFile,
  importNamed,
  printFile,
  type ts,
  typeOf,
  typeRef,
} from '../../print/ts.js';
import { filePath, payloadType } from '../names.js';
import { type PlannedComponent, planComponents } from './components.js';
import { INPUT_SUFFIX, Z, ZOD_MODULE, ZodType } from './constants.js';
import { componentOf, fail, newScope, type ZodContext } from './context.js';

import { createZodContext, schemaBody } from './schema.js';
import { tupleExpression } from './tuple.js';

export type { ZodContext } from './context.js';
export { createZodContext, schemaToZod, type ZodContextOptions } from './schema.js';

/** The exported const name of a message's payload schema: `${msg.typeName}Payload`. */
export function payloadSchemaName(msg: IRMessage): string {
  return payloadType(msg, 'output');
}

/**
 * The namespace's component schemas, in definition order, with the const names they get: a component whose key
 * is taken (by a payload const, an `…Input` type, `z`, a keyword) gets a suffix. The validator reports those.
 */
export function planSchemas(ns: IRNamespace): PlannedComponent[] {
  const messages = messagesOf(ns);
  const roots = messages.flatMap(({ payload }) =>
    payload.kind === 'value' ? [payload.schema] : payload.kind === 'args' ? payload.items : [],
  );
  const taken = [
    Z,
    ...messages.flatMap((msg) => [payloadSchemaName(msg), payloadSchemaName(msg) + INPUT_SUFFIX]),
  ];
  return planComponents(roots, taken);
}

/** `<ns.ident>/schemas.gen.ts`: the namespace's component schemas, then its payload schemas. */
export function emitSchemas(ns: IRNamespace): GeneratedFile {
  const messages = messagesOf(ns);
  const plan = planSchemas(ns);
  const base = createZodContext({ components: Object.fromEntries(plan.map((c) => [c.name, c.schema])) });

  const statements: ts.Statement[] = [importNamed([Z], ZOD_MODULE)];
  for (const component of plan) {
    const { cycle, pending } = component;
    const ctx: ZodContext = {
      ...base,
      cycle,
      pending,
      where: `schema \`${component.id}\``,
      scope: newScope(),
    };
    const expr = schemaBody(component.schema, ctx);
    // Ordering leaves only one way to get here: a `default` over a value that refers back to the group.
    if (ctx.scope.defer) {
      throw fail(
        ctx,
        `found a \`default\` on a value whose type refers back to \`${component.id}\` outside any object property`,
        'move the `default` onto an object property, or drop it',
      );
    }
    statements.push(...declare(component.name, expr, docOf(component.schema)));
  }
  for (const msg of messages) {
    const where = `the payload of message \`${msg.key}\` (${msg.pointer}/payload)`;
    const ctx: ZodContext = { ...base, where, scope: newScope() };
    const { payload } = msg;
    if (payload.kind === 'none') continue;
    const expr = payload.kind === 'value' ? ctx.visit(payload.schema, ctx) : tupleExpression(payload, ctx);
    statements.push(...declare(payloadSchemaName(msg), expr, payloadDoc(msg, base)));
  }
  return { path: filePath(ns, 'schemas'), contents: printFile(statements) };
}

/** `export const X = ...;`, `export type X = z.output<typeof X>;`, `export type XInput = z.input<typeof X>;` */
function declare(name: string, expr: ts.Expression, doc: string | undefined): ts.Statement[] {
  return [
    exportConst(name, expr, doc),
    exportType(name, typeRef(`${Z}.${ZodType.output}`, typeOf(name))),
    exportType(name + INPUT_SUFFIX, typeRef(`${Z}.${ZodType.input}`, typeOf(name))),
  ];
}

/** Operation messages and replies, receive then send, each once (a message may serve several operations). */
function messagesOf(ns: IRNamespace): IRMessage[] {
  const byName = new Map<string, IRMessage>();
  for (const op of [...ns.receive, ...ns.send]) {
    for (const msg of [op.message, op.reply])
      if (msg && !byName.has(msg.typeName)) byName.set(msg.typeName, msg);
  }
  return [...byName.values()];
}

/** The message's own text, then the payload schema's (a component's is on the component's const). */
function payloadDoc(msg: IRMessage, ctx: ZodContext): string | undefined {
  const schema: JsonSchema | undefined = msg.payload.kind === 'value' ? msg.payload.schema : undefined;
  const own = schema && isSchema(schema) && componentOf(schema, ctx.components) === undefined;
  const parts = [docOf(msg), own ? docOf(schema) : undefined].filter((p): p is string => !!p);
  return parts.length ? [...new Set(parts)].join('\n\n') : undefined;
}
