/**
 * Checks the domain makes on values even after the transport validated the payload: limits that are
 * configuration, not contract (message length, page size), and values adapters build themselves.
 * Every failure is a `VALIDATION_FAILED` naming the field, what was expected and what was given.
 */
import { ParleyError } from '../../runtime/errors.js';

export function invalid(field: string, message: string): ParleyError {
  return new ParleyError('VALIDATION_FAILED', `${field}: ${message}`, {
    issues: [{ path: field.split('.'), message, code: 'custom' }],
  });
}

/** Length in characters as a person counts them (code points: an emoji is one). */
export function charLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export interface TextRule {
  max: number;
  /** Default false: an empty or all-blank string is refused. */
  allowEmpty?: boolean;
}

/** A string within `max` characters; resolves to it trimmed. */
export function checkText(field: string, value: unknown, rule: TextRule): string {
  if (typeof value !== 'string') throw invalid(field, `expected a string, got ${describe(value)}`);
  const text = value.trim();
  if (!rule.allowEmpty && text.length === 0) throw invalid(field, 'must not be empty');
  const length = charLength(text);
  if (length > rule.max) throw invalid(field, `is ${length} characters long; the limit is ${rule.max}`);
  return text;
}

export function checkOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(field, `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
}

/** An integer in `[min, max]`. */
export function checkInteger(
  field: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw invalid(field, `expected an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return value.length > 40 ? `a ${value.length}-character string` : `"${value}"`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
