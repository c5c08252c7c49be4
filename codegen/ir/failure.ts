/**
 * How each operation a client emits reports its failure (`IROperation.failure`): decided here, once, and read
 * by the runtime (through the contract), the conformance harness, the docs, `parley diff` and the validation
 * rules (README, "The `x-parley-` extensions"). In order:
 *
 * 1. an operation with its own error event (`x-parley-error-event`) reports there, ack or not;
 * 2. an operation with an ack whose reply accepts the namespace's ack template (`x-parley-errors.ack`, filled
 *    in with sample values) answers the ack with it;
 * 3. otherwise the namespace's error event (`x-parley-errors.event`), if it has one;
 * 4. otherwise nowhere on the wire: the server logs it (and an ack is left unanswered).
 *
 * Steps 2 to 4 are the defaults for a spec without `x-parley-*`: validation warns where the spec falls back
 * (`error-template-invalid`, `error-event-missing`), and `--strict` makes those warnings errors.
 */
import { type ErrorTemplateVars, renderErrorTemplate } from '../../runtime/errors.js';
import type { IRFailure, IRNamespace, IROperation, IRPayload } from './types.js';

/** The values the error templates are checked with. */
export const SAMPLE_ERROR = {
  code: 'VALIDATION_FAILED',
  message: 'Sample',
  issues: [{ path: ['content'], message: 'Required', code: 'invalid_type' }],
} as const satisfies Omit<ErrorTemplateVars, 'event'>;

/** Does `value` match `payload`? (The validation stage's checker, so each schema is compiled once per run.) */
export type Fits = (payload: IRPayload, value: unknown) => boolean;

/** The ack template filled in for `op`, as the runtime would send it. */
export function renderedAck(ns: IRNamespace, op: IROperation): unknown {
  return renderErrorTemplate(ns.errors.ack, { ...SAMPLE_ERROR, event: op.event });
}

/** Sets `failure` on every operation a client emits in `ns` (Socket.IO's reserved events excepted). */
export function decideFailures(ns: IRNamespace, fits: Fits): void {
  for (const op of ns.receive) {
    if (!op.reserved) op.failure = failureOf(ns, op, fits);
  }
}

function failureOf(ns: IRNamespace, op: IROperation, fits: Fits): IRFailure {
  if (op.errorEvent !== undefined) {
    return { via: 'event', event: op.errorEvent, template: ns.errors.payload, declaredBy: 'operation' };
  }
  if (op.reply && ns.errors.ack !== undefined && fits(op.reply.payload, renderedAck(ns, op))) {
    return { via: 'ack', template: ns.errors.ack };
  }
  if (ns.errors.event !== undefined) {
    return { via: 'event', event: ns.errors.event, template: ns.errors.payload, declaredBy: 'namespace' };
  }
  return {
    via: 'log',
    reason: op.reply
      ? `${ns.address} documents neither an error ack its reply accepts nor an error event (x-parley-errors)`
      : `${ns.address} documents no error event (x-parley-errors.event)`,
  };
}

/** `operation`: what `failure` says, in words, for docs and diagnostics. */
export function describeFailure(failure: IRFailure): string {
  switch (failure.via) {
    case 'ack':
      return 'in its ack';
    case 'event':
      return `with the "${failure.event}" event`;
    case 'log':
      return 'only in the server log';
  }
}
