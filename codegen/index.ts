/**
 * The compiler's pipeline: load → build the IR → validate → emit. Returns files; only the CLI writes them.
 */
import { type Diagnostic, SpecError } from './diagnostics.js';
import type { EmitOptions } from './emit/context.js';
import { emitAll } from './emit/index.js';
import { buildIR } from './ir/build.js';
import type { IRDocument, IRPayload } from './ir/types.js';
import { loadSpec } from './load/index.js';
import type { GeneratedFile } from './print/ts.js';
import { PayloadChecker } from './validate/check.js';
import { validate } from './validate/index.js';

export interface CompileResult {
  ir: IRDocument;
  /** Warnings (errors throw `SpecError`). */
  diagnostics: Diagnostic[];
  /** Every spec file read, the root first (what `--watch` watches). */
  specFiles: string[];
}

export interface CompileOptions {
  /**
   * Refuse what the defaults otherwise fill in (a warning becomes an error): a message without examples, an
   * operation whose failure has no documented way to the client, a reply without `name`.
   */
  strict?: boolean;
}

/** Load, build and validate: the IR of a valid spec, or a `SpecError` listing every problem. */
export async function compile(spec: string, options: CompileOptions = {}): Promise<CompileResult> {
  const loaded = await loadSpec(spec);
  const checker = new PayloadChecker();
  try {
    const fits = (payload: IRPayload, value: unknown) => checker.check(payload, value).ok === true;
    const built = buildIR(loaded.document, spec, fits);
    const diagnostics = [...loaded.diagnostics, ...built.diagnostics, ...validate(built.ir, checker)].map(
      (d) =>
        loaded.sources.attach(options.strict && d.severity === 'warning' ? { ...d, severity: 'error' } : d),
    );
    if (diagnostics.some((d) => d.severity === 'error')) throw new SpecError(spec, diagnostics);
    return { ir: built.ir, diagnostics, specFiles: loaded.files };
  } finally {
    checker.dispose();
  }
}

export interface GenerateResult extends CompileResult {
  files: GeneratedFile[];
}

export async function generate(spec: string, options: EmitOptions & CompileOptions): Promise<GenerateResult> {
  const compiled = await compile(spec, options);
  return { ...compiled, files: await emitAll(compiled.ir, options) };
}

export type { Diagnostic } from './diagnostics.js';
export { SpecError } from './diagnostics.js';
export type { EmitOptions } from './emit/context.js';
export type * from './ir/types.js';
