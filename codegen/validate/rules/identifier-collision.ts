/**
 * `identifier-collision`: generated code names things after the spec. Two messages of a namespace must not
 * give the same type name (`typeName`, from the message key), nor two receive operations the same client
 * method (`camelCase` of the event name: `send_message` and `send-message` are both `sendMessage`). A component
 * schema whose name is taken by another generated name is emitted with a suffix: a warning says so.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { planSchemas } from '../../emit/zod/index.js';
import type { IRMessage, IROperation } from '../../ir/types.js';
import { camelCase } from '../../print/ts.js';
import { operationsOf, type Rule } from '../rule.js';

export const identifierCollision: Rule = (ir) => {
  const out: Diagnostic[] = [];
  for (const ns of ir.namespaces) {
    const byType = new Map<string, IRMessage>();
    const keys = new Set<string>();
    for (const op of operationsOf(ns)) {
      for (const message of [op.message, op.reply]) {
        if (!message || keys.has(message.key)) continue;
        keys.add(message.key);
        const earlier = byType.get(message.typeName);
        if (!earlier) {
          byType.set(message.typeName, message);
          continue;
        }
        out.push({
          code: 'identifier-collision',
          severity: 'error',
          message: `Messages "${earlier.key}" and "${message.key}" in namespace ${ns.address} both generate the type name ${message.typeName}.`,
          expected: 'message keys that give distinct PascalCase type names within a namespace',
          fix: `Rename the message key "${message.key}" (and the $refs to it).`,
          pointer: message.pointer,
        });
      }
    }

    const byMethod = new Map<string, IROperation>();
    for (const op of ns.receive) {
      if (op.reserved || op.event === '') continue;
      const method = camelCase(op.event);
      const earlier = byMethod.get(method);
      if (!earlier) {
        byMethod.set(method, op);
        continue;
      }
      if (earlier.event === op.event) continue; // event-duplicate reports it
      out.push({
        code: 'identifier-collision',
        severity: 'error',
        message: `Events "${earlier.event}" (operation "${earlier.id}") and "${op.event}" (operation "${op.id}") in namespace ${ns.address} both become the client method ${method}().`,
        expected: 'receive event names whose camelCase forms differ within a namespace',
        fix: `Rename the event "${op.event}" (the message's \`name\`).`,
        pointer: op.pointer,
      });
    }

    for (const { id, name } of planSchemas(ns)) {
      if (name === id || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(id)) continue;
      out.push({
        code: 'component-renamed',
        severity: 'warning',
        message: `Component schema "${id}" is emitted as ${name} in namespace ${ns.address}: the name ${id} (or ${id}Input) is taken by another generated name (a payload schema, its Input type, or a reserved word).`,
        expected: 'component names that differ from `<MessageKey>Payload`, `<Name>Input` and reserved words',
        fix: `Rename the component "${id}" (and the $refs to it) to keep its name in generated code.`,
        pointer: `/components/schemas/${id}`,
      });
    }
  }
  return out;
};
