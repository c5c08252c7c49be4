/**
 * Payloads checked against the JSON Schemas of the IR (ajv through the compiler's `PayloadChecker`), so the
 * harness works for any spec, generated code or not.
 */
import type { IRPayload } from '../codegen/index.js';
import { PayloadChecker } from '../codegen/validate/check.js';

export class PayloadValidator {
  private readonly checker = new PayloadChecker();

  /**
   * The problems of an emit's (or an ack's) arguments against the payload, as `path: message` lines; an empty
   * list when they match.
   */
  problems(payload: IRPayload, args: readonly unknown[]): string[] {
    let value: unknown;
    if (payload.kind === 'none') {
      if (args.length === 0) return [];
      return [`expected no arguments, got ${args.length}`];
    }
    if (payload.kind === 'value') {
      if (args.length > 1) return [`expected one argument, got ${args.length}`];
      value = args[0];
    } else {
      value = [...args];
    }
    const result = this.checker.check(payload, value);
    if (result.ok === true) return [];
    if (result.ok === 'uncompilable') return [`the schema cannot be compiled: ${result.reason}`];
    return result.issues.map((issue) => `${issue.path}: ${issue.message} (expected ${issue.expected})`);
  }

  /** `problems` for one value (not an argument list). */
  valueProblems(payload: IRPayload, value: unknown): string[] {
    if (payload.kind === 'args') return this.problems(payload, Array.isArray(value) ? value : [value]);
    return this.problems(payload, value === undefined ? [] : [value]);
  }

  dispose(): void {
    this.checker.dispose();
  }
}

/**
 * The arguments past those the payload declares (none, one value, or the tuple's items): what a client that
 * takes one parameter per documented argument cannot receive (python-socketio raises a `TypeError`).
 */
export function undeclaredArgs(payload: IRPayload, args: readonly unknown[]): unknown[] {
  const declared = payload.kind === 'none' ? 0 : payload.kind === 'value' ? 1 : payload.items.length;
  return args.slice(declared);
}

/** The emit arguments of a payload given as one value: spread for a tuple, none for an event without one. */
export function argsOf(payload: IRPayload, value: unknown): unknown[] {
  if (payload.kind === 'none') return [];
  if (payload.kind === 'args') return Array.isArray(value) ? value : [value];
  return [value];
}
