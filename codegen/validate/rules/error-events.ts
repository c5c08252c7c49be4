/**
 * The namespace's error shape (`x-parley-errors`) and the operations' `x-parley-error-event`, against how each
 * operation reports its failure (`IROperation.failure`, decided by `ir/failure.ts`):
 * - `error-event-unknown`: the error event is not an event the namespace sends;
 * - `error-template-invalid`: filled in with sample values, the `payload` template does not match the error
 *   event's payload; or an operation with an ack cannot answer a failure in it (no `ack` template, or one its
 *   reply does not accept), so it falls back to the error event or the server log: a warning;
 * - `error-event-missing`: operations without an ack whose failures only the server log sees: a warning.
 */

import { renderErrorTemplate } from '../../../runtime/errors.js';
import type { Diagnostic } from '../../diagnostics.js';
import { describeFailure, renderedAck, SAMPLE_ERROR } from '../../ir/failure.js';
import type { IRNamespace } from '../../ir/types.js';
import type { PayloadChecker } from '../check.js';
import { describeSent, type Rule } from '../rule.js';

export const errorEvents: Rule = (ir, { checker }) => {
  const out: Diagnostic[] = [];
  for (const ns of ir.namespaces) {
    out.push(
      ...unknownEvents(ns),
      ...payloadTemplate(ns, checker),
      ...ackTemplate(ns, checker),
      ...eventMissing(ns),
    );
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
  for (const op of ns.receive) {
    if (op.failure?.via !== 'event') continue;
    const event = op.failure.event;
    const target = ns.send.find((s) => s.event === event);
    if (!target) continue; // an unknown event (reported above)
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

/**
 * Operations with an ack that cannot answer a failure in it although they do not name an error event of their
 * own: no `ack` template (reported once for the namespace), or one their reply does not accept (each issue
 * once). They fall back to the error event or the log (`ir/failure.ts`), which the warning says.
 */
function ackTemplate(ns: IRNamespace, checker: PayloadChecker): Diagnostic[] {
  const fallen = ns.receive.filter(
    (op) => op.reply && op.failure !== undefined && op.failure.via !== 'ack' && op.errorEvent === undefined,
  );
  const [first] = fallen;
  if (!first?.failure) return [];
  const instead = `a failure is reported ${describeFailure(first.failure)} instead, and the ack is left unanswered`;
  if (ns.errors.ack === undefined) {
    return [
      {
        code: 'error-template-invalid',
        severity: 'warning',
        message: `Namespace ${ns.address} has operations with an ack (${fallen.map((op) => `"${op.id}"`).join(', ')}), but x-parley-errors has no \`ack\` template, so a failed operation cannot answer: ${instead}.`,
        expected: 'x-parley-errors.ack: the ack a failed operation sends, matching each reply schema',
        fix: 'Add `ack:` to the channel\'s x-parley-errors, e.g. `{ ok: false, error: { code: "{code}", message: "{message}" } }`.',
        pointer: `${ns.pointer}/x-parley-errors`,
      },
    ];
  }
  const out: Diagnostic[] = [];
  const report = once();
  for (const op of fallen) {
    const reply = op.reply!;
    const result = checker.check(reply.payload, renderedAck(ns, op));
    if (result.ok !== false) continue;
    for (const issue of result.issues) {
      out.push(
        ...report(
          {
            code: 'error-template-invalid',
            severity: 'warning',
            message: `x-parley-errors.ack of namespace ${ns.address}, filled in for operation "${op.id}", does not match its reply "${reply.key}": ${issue.path} ${issue.message}; a failure of "${op.id}" is reported ${describeFailure(op.failure!)} instead.`,
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

/** Operations without an ack whose failure nothing on the wire reports: once for the namespace. */
function eventMissing(ns: IRNamespace): Diagnostic[] {
  const silent = ns.receive.filter((op) => !op.reply && op.failure?.via === 'log');
  if (silent.length === 0) return [];
  return [
    {
      code: 'error-event-missing',
      severity: 'warning',
      message: `Namespace ${ns.address} documents no error event, so a failure of ${silent.map((op) => `"${op.id}"`).join(', ')} reaches no client: the server only logs it.`,
      expected: 'x-parley-errors.event: an event the namespace sends to report a failed operation',
      fix: `Add a send operation for an error event (e.g. "error") on channel ${ns.channelId} and name it in x-parley-errors: \`{ event: error, payload: { code: "{code}", message: "{message}" } }\`.`,
      pointer: ns.pointer,
    },
  ];
}
