/**
 * `example-invalid`: each example's payload must validate against its message's payload schema (for
 * several arguments, the example payload is the array of arguments). Reported once per schema violation.
 * `example-extra` (warning): an example key other than `name`, `summary`, `payload`, `headers`, `x-*`.
 * `schema-uncompilable` (warning): the schema could not be compiled, so the examples were not checked.
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { IRExample } from '../../ir/types.js';
import { capitalize, describeMessage, type MessageUse, messagesOf, type Rule } from '../rule.js';

/** Example keys AsyncAPI defines, and the IR's own `pointer`. */
const EXAMPLE_KEYS = new Set(['name', 'summary', 'payload', 'headers', 'pointer']);

/** `example "basic"` or, for an unnamed one, `example 0`. */
export function describeExample(example: IRExample, index: number): string {
  return example.name ? `example "${example.name}"` : `example ${index}`;
}

export const exampleInvalid: Rule = (ir, { checker }) => {
  const out: Diagnostic[] = [];
  for (const use of messagesOf(ir)) {
    const { message } = use;
    let uncompilable: string | undefined;
    message.examples.forEach((example, i) => {
      const pointer = `${message.pointer}/examples/${i}`;
      const what = `${capitalize(describeExample(example, i))} of ${describeMessage(use)}`;
      for (const key of Object.keys(example)) {
        if (EXAMPLE_KEYS.has(key) || key.startsWith('x-')) continue;
        out.push({
          code: 'example-extra',
          severity: 'warning',
          message: `${what} has the key "${key}", which examples do not have.`,
          expected: 'only `name`, `summary`, `payload`, `headers` and `x-*` keys',
          fix: `Remove "${key}", or move it into \`payload\` if it is part of the example.`,
          pointer,
        });
      }
      const result = checker.check(message.payload, example.payload);
      if (result.ok === true) return;
      if (result.ok === 'uncompilable') {
        uncompilable = result.reason;
        return;
      }
      if (message.payload.kind === 'none') {
        out.push({
          code: 'example-invalid',
          severity: 'error',
          message: `${what} has a payload, but the message has none.`,
          expected: 'no `payload` in the examples of a message without one',
          fix: 'Remove the example payload, or give the message a `payload` schema.',
          pointer,
        });
        return;
      }
      for (const issue of result.issues) {
        out.push({
          code: 'example-invalid',
          severity: 'error',
          message: `${what} does not match its payload schema: ${issue.path} ${issue.message}.`,
          expected: `${issue.path}: ${issue.expected}`,
          fix: fixFor(use),
          pointer,
        });
      }
    });
    if (uncompilable !== undefined) {
      out.push({
        code: 'schema-uncompilable',
        severity: 'warning',
        message: `The payload schema of ${describeMessage(use)} cannot be compiled (${uncompilable}), so its examples were not checked.`,
        expected: 'a draft-07 JSON Schema whose `$ref`s all resolve',
        fix: 'Make every `$ref` in the schema point to a schema the parser resolves (e.g. under `components.schemas` of the root file).',
        pointer: message.pointer,
      });
    }
  }
  return out;
};

function fixFor(use: MessageUse): string {
  return use.message.payload.kind === 'args'
    ? 'Correct the example (its payload is the array of arguments), or the schema if the example is right.'
    : 'Correct the example payload, or the schema if the example is right.';
}
