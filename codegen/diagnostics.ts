/**
 * Problems found in a spec, as data. Every stage that reads the spec reports through these; the CLI prints
 * them, tests compare them. A message says what is wrong, `expected` what was expected, `fix` how to fix it.
 */
import type { Pointer } from './ir/types.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable, kebab-case: `message-name-missing`, `example-invalid`, `parser:<parser rule>`. */
  code: string;
  severity: Severity;
  message: string;
  expected?: string;
  fix?: string;
  /** Where in the root document (JSON pointer); resolved to `file`/`line` by the loader's source map. */
  pointer: Pointer;
  file?: string;
  line?: number;
  column?: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.line ?? 1}:${d.column ?? 1}` : d.pointer || '(document)';
  const lines = [`${where} ${d.severity} ${d.code}: ${d.message}`];
  if (d.pointer && d.file) lines.push(`  at ${d.pointer}`);
  if (d.expected) lines.push(`  expected: ${d.expected}`);
  if (d.fix) lines.push(`  fix: ${d.fix}`);
  return lines.join('\n');
}

/**
 * Thrown when a spec has errors: carries every problem, not just the first. Its message lists the errors, then
 * the warnings (which alone would not have stopped generation).
 */
export class SpecError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(source: string, diagnostics: Diagnostic[], options: { strict?: boolean } = {}) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity === 'warning');
    const strict = options.strict ? ' (strict: warnings are errors)' : '';
    const parts = [
      `${source}: found ${plural(errors.length, 'problem')} that stop code generation${strict}:`,
      ...errors.map(formatDiagnostic),
    ];
    if (warnings.length)
      parts.push(`and ${plural(warnings.length, 'warning')}:`, ...warnings.map(formatDiagnostic));
    super(parts.join('\n\n'));
    this.name = 'SpecError';
    this.diagnostics = diagnostics;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
