/**
 * Validate stage: the checks the AsyncAPI parser does not make, on the IR. Every problem is reported, with a
 * stable code, what was expected, the fix and a pointer into the spec (the loader's source map adds file and
 * line). One module per rule under `rules/`.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { IRDocument } from '../ir/types.js';
import { PayloadChecker } from './check.js';
import type { Rule } from './rule.js';
import { auth } from './rules/auth.js';
import { effects } from './rules/effects.js';
import { errorEvents } from './rules/error-events.js';
import { eventDuplicate } from './rules/event-duplicate.js';
import { exampleInvalid } from './rules/example-invalid.js';
import { exampleMissing } from './rules/example-missing.js';
import { identifierCollision } from './rules/identifier-collision.js';
import { messageNameMissing } from './rules/message-name-missing.js';
import { unbounded } from './rules/unbounded.js';

export { payloadJsonSchema } from './json-schema.js';

/** The rules, in the order their diagnostics are listed. */
export const RULES: readonly Rule[] = [
  messageNameMissing,
  exampleMissing,
  exampleInvalid,
  eventDuplicate,
  effects,
  errorEvents,
  identifierCollision,
  auth,
  unbounded,
];

/**
 * Every problem the rules find in `ir` (errors and warnings), by rule, each in spec order. `checker`: the one
 * the IR was built with, when the caller has it (each schema is then compiled once); disposed by the caller.
 * `strict`: the strict-only rules (`unbounded`) report too.
 */
export function validate(
  ir: IRDocument,
  options: { checker?: PayloadChecker; strict?: boolean } = {},
): Diagnostic[] {
  const own = options.checker ?? new PayloadChecker();
  try {
    return RULES.flatMap((rule) => rule(ir, { checker: own, strict: options.strict ?? false }));
  } finally {
    if (!options.checker) own.dispose();
  }
}
