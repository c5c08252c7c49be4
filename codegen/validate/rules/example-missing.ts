/**
 * `example-missing`: a message that carries a payload should document it with at least one example; the
 * examples are checked against the schema and become the conformance cases. Without one, the harness samples a
 * payload from the schema instead: a warning, an error under `--strict`.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { capitalize, describeMessage, messagesOf, type Rule } from '../rule.js';

export const exampleMissing: Rule = (ir) =>
  messagesOf(ir)
    .filter((use) => use.message.payload.kind !== 'none' && use.message.examples.length === 0)
    .map(
      (use): Diagnostic => ({
        code: 'example-missing',
        severity: 'warning',
        message: `${capitalize(describeMessage(use))} has a payload but no examples; conformance samples one from the schema.`,
        expected: 'at least one entry in `examples`, with a `payload` that matches the payload schema',
        fix:
          use.role === 'reply'
            ? 'Add `examples:` with a `payload`; name each after the request example it answers.'
            : 'Add `examples:` with at least one `{ name, payload }`.',
        pointer: use.message.pointer,
      }),
    );
