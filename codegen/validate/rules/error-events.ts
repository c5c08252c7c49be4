/**
 * The namespace's error shape (`x-parley-errors`) and the operations' `x-parley-error-event`:
 * - `error-event-unknown`: the error event is not an event the namespace sends;
 * - `error-template-invalid`: filled in with sample values, the `payload` template does not match the error
 *   event's payload, or the `ack` template does not match the reply of an operation that has one (or is
 *   missing while such an operation exists).
 */

import { type ErrorTemplateVars, renderErrorTemplate } from '../../../runtime/errors.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { IRNamespace, IROperation } from '../../ir/types.js';
import type { PayloadChecker } from '../check.js';
import { describeSent, type Rule } from '../rule.js';

/** The values the templates are checked with. */
export const SAMPLE_ERROR = {
  code: 'VALIDATION_FAILED',
  message: 'Sample',
  issues: [{ path: ['content'], message: 'Required', code: 'invalid_type' }],
} as const satisfies Omit<ErrorTemplateVars, 'event'>;

export const errorEvents: Rule = (ir, { checker }) => {
  const out: Diagnostic[] = [];
  for (const ns of ir.namespaces) {
    out.push(...unknownEvents(ns), ...payloadTemplate(ns, checker), ...ackTemplate(ns, checker));
  }
  return out;
};

function unknownEvents(ns: IRNamespace): Diagnostic[] {
  const sent = new Set(ns.send.map((op) => op.event));
  const out: Diagnostic[] = [];
  if (ns.errors.event !== undefined && !sent.has(ns.errors.event)) {
    out.push({
      code: 'error-event-unknown',
      severity: 'error',
      message: `The error event "${ns.errors.event}" of namespace ${ns.address} (x-parley-errors.event) is not an event the namespace sends.`,
      expected: describeSent(ns),
      fix: `Add a send operation for "${ns.errors.event}" on channel ${ns.channelId}, or correct x-parley-errors.event.`,
      pointer: `${ns.pointer}/x-parley-errors/event`,
    });
  }
  for (const op of ns.receive) {
    if (op.errorEvent === undefined || sent.has(op.errorEvent)) continue;
    out.push({
      code: 'error-event-unknown',
      severity: 'error',
      message: `The error event "${op.errorEvent}" of operation "${op.id}" in namespace ${ns.address} (x-parley-error-event) is not an event the namespace sends.`,
      expected: describeSent(ns),
      fix: `Add a send operation for "${op.errorEvent}" on channel ${ns.channelId}, or correct x-parley-error-event.`,
      pointer: `${op.pointer}/x-parley-error-event`,
    });
  }
  return out;
}

/** Operations a client emits that can fail: receive operations, but Socket.IO's reserved events. */
const failable = (ns: IRNamespace): IROperation[] => ns.receive.filter((op) => !op.reserved);

/** Several operations usually fail the same way: each distinct problem is reported once. */
function once(): (d: Diagnostic, key: string) => Diagnostic[] {
  const seen = new Set<string>();
  return (d, key) => {
    if (seen.has(key)) return [];
    seen.add(key);
    return [d];
  };
}

/** `payload` against the payload of the error event each operation without an ack reports to. */
function payloadTemplate(ns: IRNamespace, checker: PayloadChecker): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = once();
  const pointer = `${ns.pointer}/x-parley-errors/payload`;
  for (const op of failable(ns)) {
    if (op.reply && !op.errorEvent) continue;
    const event = op.errorEvent ?? ns.errors.event;
    const target = ns.send.find((s) => s.event === event);
    if (!target) continue; // no error event, or an unknown one (reported above)
    const rendered =
      ns.errors.payload === undefined
        ? undefined
        : renderErrorTemplate(ns.errors.payload, { ...SAMPLE_ERROR, event: op.event });
    const result = checker.check(target.message.payload, rendered);
    if (result.ok !== false) continue;
    if (ns.errors.payload === undefined) {
      out.push(
        ...report(
          {
            code: 'error-template-invalid',
            severity: 'error',
            message: `Namespace ${ns.address} reports errors with event "${target.event}", whose payload is required, but x-parley-errors has no \`payload\` template.`,
            expected: `x-parley-errors.payload: a template that matches the payload of "${target.event}"`,
            fix: 'Add `payload:` to x-parley-errors, e.g. `{ code: "{code}", message: "{message}", event: "{event}" }`.',
            pointer: `${ns.pointer}/x-parley-errors`,
          },
          `missing:${target.event}`,
        ),
      );
      continue;
    }
    for (const issue of result.issues) {
      out.push(
        ...report(
          {
            code: 'error-template-invalid',
            severity: 'error',
            message: `x-parley-errors.payload of namespace ${ns.address}, filled in for operation "${op.id}", does not match the payload of error event "${target.event}": ${issue.path} ${issue.message}.`,
            expected: `${issue.path}: ${issue.expected}`,
            fix: `Change the template so that it matches the payload schema of "${target.event}" once {code}, {message}, {event} and {issues} are filled in (or change that schema).`,
            pointer,
          },
          `${target.event}\0${issue.path}\0${issue.message}`,
        ),
      );
    }
  }
  return out;
}

/** `ack` against the reply of every operation that has one. */
function ackTemplate(ns: IRNamespace, checker: PayloadChecker): Diagnostic[] {
  const withAck = failable(ns).filter((op) => op.reply && !op.errorEvent);
  if (withAck.length === 0) return [];
  if (ns.errors.ack === undefined) {
    return [
      {
        code: 'error-template-invalid',
        severity: 'error',
        message: `Namespace ${ns.address} has operations with an ack (${withAck.map((op) => `"${op.id}"`).join(', ')}), but x-parley-errors has no \`ack\` template, so a failed operation cannot answer.`,
        expected: 'x-parley-errors.ack: the ack a failed operation sends, matching each reply schema',
        fix: 'Add `ack:` to the channel\'s x-parley-errors, e.g. `{ ok: false, error: { code: "{code}", message: "{message}" } }`.',
        pointer: `${ns.pointer}/x-parley-errors`,
      },
    ];
  }
  const out: Diagnostic[] = [];
  const report = once();
  for (const op of withAck) {
    const reply = op.reply!;
    const rendered = renderErrorTemplate(ns.errors.ack, { ...SAMPLE_ERROR, event: op.event });
    const result = checker.check(reply.payload, rendered);
    if (result.ok !== false) continue;
    for (const issue of result.issues) {
      out.push(
        ...report(
          {
            code: 'error-template-invalid',
            severity: 'error',
            message: `x-parley-errors.ack of namespace ${ns.address}, filled in for operation "${op.id}", does not match its reply "${reply.key}": ${issue.path} ${issue.message}.`,
            expected: `${issue.path}: ${issue.expected}`,
            fix: `Change the ack template, or let the reply schema of "${op.id}" accept the error ack (e.g. a oneOf of success and error).`,
            pointer: `${ns.pointer}/x-parley-errors/ack`,
          },
          `${reply.pointer}\0${issue.path}\0${issue.message}`,
        ),
      );
    }
  }
  return out;
}
