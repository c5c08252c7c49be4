/**
 * Strictness: a warning is a problem the compiler can work around with a documented default (no examples, no
 * error shape, …); it is printed and code is generated. A strict run (`parley generate --strict`, or
 * `x-parley-strict: true` at the root of the document, for a contract that CI enforces) refuses it instead:
 * every warning becomes an error.
 */
import type { Diagnostic } from '../diagnostics.js';

/** The document's setting: a root-level `x-parley-strict: true`. */
export const STRICT_KEY = 'x-parley-strict';

/**
 * Whether the document asks for strict compilation, read from its root object (the parsed JSON); a setting
 * that is not a boolean is reported and read as strict, so a typo never loosens a contract.
 */
export function strictSetting(root: unknown): { strict: boolean; diagnostics: Diagnostic[] } {
  const value =
    root !== null && typeof root === 'object' ? (root as Record<string, unknown>)[STRICT_KEY] : undefined;
  if (value === undefined || typeof value === 'boolean') return { strict: value === true, diagnostics: [] };
  return {
    strict: true,
    diagnostics: [
      {
        code: 'strict-setting-invalid',
        severity: 'error',
        message: `${STRICT_KEY} is ${JSON.stringify(value)}, not a boolean.`,
        expected: `${STRICT_KEY}: true or false`,
        fix: `Write \`${STRICT_KEY}: true\` (warnings are errors) or remove the key (warnings are printed).`,
        pointer: `/${STRICT_KEY}`,
      },
    ],
  };
}

/** Under `strict`, every warning as an error; otherwise the diagnostics unchanged. */
export function applyStrict(diagnostics: Diagnostic[], strict: boolean): Diagnostic[] {
  return strict
    ? diagnostics.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error' } : d))
    : diagnostics;
}
