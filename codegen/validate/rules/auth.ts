/**
 * `x-parley-auth`: the events it names exist in the right direction, and a `reject` template, filled in, fits
 * its event's payload:
 * - `auth-event-unknown`: `event` is not a client event, or `welcome` / `reject.event` not a server event;
 * - `auth-reject-invalid`: the rendered `reject.payload` does not match the payload of `reject.event`.
 */
import { renderErrorTemplate } from '../../../runtime/errors.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { IRNamespace } from '../../ir/types.js';
import type { Rule } from '../rule.js';
import { describeSent } from '../rule.js';

export const auth: Rule = (ir, { checker }) =>
  ir.namespaces.flatMap((ns) => {
    const out: Diagnostic[] = [];
    const pointer = `${ns.pointer}/x-parley-auth`;
    const { event, welcome, reject } = ns.auth;
    if (event && !ns.receive.some((op) => op.event === event)) {
      out.push(unknown(ns, event, 'a client event (a receive operation)', `${pointer}/event`));
    }
    for (const [name, where] of [
      [welcome, 'welcome'],
      [reject?.event, 'reject/event'],
    ] as const) {
      if (name && !ns.send.some((op) => op.event === name)) {
        out.push(
          unknown(ns, name, `a server event (a send operation): ${describeSent(ns)}`, `${pointer}/${where}`),
        );
      }
    }
    const target = reject && ns.send.find((op) => op.event === reject.event);
    if (reject && target) {
      const sample = {
        code: 'UNAUTHENTICATED',
        message: 'Authentication failed',
        event: reject.event,
        issues: [],
      };
      const result = checker.check(target.message.payload, renderErrorTemplate(reject.payload, sample));
      if (result.ok === false) {
        for (const issue of result.issues) {
          out.push({
            code: 'auth-reject-invalid',
            severity: 'error',
            message: `x-parley-auth.reject.payload of namespace ${ns.address}, filled in, does not match the payload of "${reject.event}": ${issue.path} ${issue.message}.`,
            expected: `${issue.path}: ${issue.expected}`,
            fix: `Change the template so that it matches the payload schema of "${reject.event}" once {code} and {message} are filled in.`,
            pointer: `${pointer}/reject/payload`,
          });
        }
      }
    }
    return out;
  });

function unknown(ns: IRNamespace, name: string, expected: string, pointer: string): Diagnostic {
  return {
    code: 'auth-event-unknown',
    severity: 'error',
    message: `x-parley-auth of namespace ${ns.address} names "${name}", which is not an event of the right direction there.`,
    expected,
    fix: `Add the operation for "${name}" on channel ${ns.channelId}, or correct x-parley-auth.`,
    pointer,
  };
}
