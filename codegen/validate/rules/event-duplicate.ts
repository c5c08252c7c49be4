/**
 * `event-duplicate`: within a namespace, one event name per direction. Two `receive` operations for the
 * same event would need two handlers for one listener; two `send` operations, two payloads for one emit.
 * The same name in opposite directions is allowed (two event maps).
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { IROperation } from '../../ir/types.js';
import type { Rule } from '../rule.js';

export const eventDuplicate: Rule = (ir) => {
  const out: Diagnostic[] = [];
  for (const ns of ir.namespaces) {
    for (const [direction, ops] of [
      ['receive', ns.receive],
      ['send', ns.send],
    ] as const) {
      const first = new Map<string, IROperation>();
      for (const op of ops) {
        if (op.event === '') continue; // message-name-missing reports it
        const earlier = first.get(op.event);
        if (!earlier) {
          first.set(op.event, op);
          continue;
        }
        out.push({
          code: 'event-duplicate',
          severity: 'error',
          message: `Namespace ${ns.address} has two ${direction} operations for event "${op.event}": "${earlier.id}" and "${op.id}".`,
          expected: `one ${direction} operation per event name in a namespace (the same name may be used once in each direction)`,
          fix: `Merge the two operations, or give the message of "${op.id}" another \`name\`.`,
          pointer: op.pointer,
        });
      }
    }
  }
  return out;
};
