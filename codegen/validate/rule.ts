/**
 * What every validation rule shares: its signature, and walks over the IR.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { IRDocument, IRMessage, IRNamespace, IROperation } from '../ir/types.js';
import type { PayloadChecker } from './check.js';

export interface RuleContext {
  /** Shared by the rules of one run, so each payload schema is compiled once. */
  checker: PayloadChecker;
  /** `--strict` (or the spec's own setting): rules that only a contract CI enforces report too. */
  strict: boolean;
}

/** One check over the whole IR. Rules are independent: each reports what it finds, in spec order. */
export type Rule = (ir: IRDocument, context: RuleContext) => Diagnostic[];

export interface MessageUse {
  namespace: IRNamespace;
  operation: IROperation;
  message: IRMessage;
  /** `event`: the operation's message; `reply`: its ack. */
  role: 'event' | 'reply';
}

/** The namespace's operations, receive first, each in spec order. */
export function operationsOf(ns: IRNamespace): IROperation[] {
  return [...ns.receive, ...ns.send];
}

/**
 * Every message of the document (events and replies) once: a message used by several operations or
 * namespaces is one node of the spec, reported once, under its first use.
 */
export function messagesOf(ir: IRDocument): MessageUse[] {
  const seen = new Set<string>();
  const uses: MessageUse[] = [];
  for (const namespace of ir.namespaces) {
    for (const operation of operationsOf(namespace)) {
      const pairs: [IRMessage | undefined, MessageUse['role']][] = [
        [operation.message, 'event'],
        [operation.reply, 'reply'],
      ];
      for (const [message, role] of pairs) {
        if (!message || seen.has(message.pointer)) continue;
        seen.add(message.pointer);
        uses.push({ namespace, operation, message, role });
      }
    }
  }
  return uses;
}

/** The event names the server emits in `ns` (its `send` operations), in spec order, once each. */
export function sentEvents(ns: IRNamespace): string[] {
  return [...new Set(ns.send.map((op) => op.event))];
}

/** `the events /messenger sends: "a", "b"` (or that it sends none), for `expected`. */
export function describeSent(ns: IRNamespace): string {
  const events = sentEvents(ns);
  return events.length
    ? `an event that ${ns.address} sends: ${events.map((e) => `"${e}"`).join(', ')}`
    : `an event of a send operation (namespace ${ns.address} has none)`;
}

/** `message "send_message"` or, for an ack, `reply message "send_message_ack" of operation "sendMessage"`. */
export function describeMessage(use: MessageUse): string {
  return use.role === 'reply'
    ? `reply message "${use.message.key}" of operation "${use.operation.id}" in namespace ${use.namespace.address}`
    : `message "${use.message.key}" in namespace ${use.namespace.address}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
