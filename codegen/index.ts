/**
 * The compiler's pipeline: load → build the IR → validate → emit. Returns files; only the CLI writes them.
 */
import { type Diagnostic, SpecError } from './diagnostics.js';
import type { EmitOptions } from './emit/context.js';
import { emitAll } from './emit/index.js';
import { buildIR } from './ir/build.js';
import type { IRDocument, IRPayload } from './ir/types.js';
import { loadSpec, unique } from './load/index.js';
import type { GeneratedFile } from './print/ts.js';
import { PayloadChecker } from './validate/check.js';
import { validate } from './validate/index.js';
import { applyStrict, strictSetting } from './validate/strict.js';

export interface CompileOptions {
  /** Every warning is an error (`--strict`); also on when the document has `x-parley-strict: true`. */
  strict?: boolean;
  /**
   * Also run the parser's full Spectral rulesets, the rules beyond the AsyncAPI JSON Schema (verdict cached by
   * content; seconds on a large document when it changed). Without them the document is still checked against
   * the schema. `parley generate --check` (what CI runs) turns them on.
   */
  fullRulesets?: boolean;
}

export interface CompileResult {
  ir: IRDocument;
  /** Warnings (errors throw `SpecError`). */
  diagnostics: Diagnostic[];
  /** Whether warnings were errors: the option or the document's setting. */
  strict: boolean;
  /** Every spec file read, the root first (what `--watch` watches). */
  specFiles: string[];
  /** The AsyncAPI version the spec was converted from (`2.6.0`), when it was not 3.0. */
  convertedFrom?: string;
}

/** Load, build and validate: the IR of a valid spec, or a `SpecError` listing every problem. */
export async function compile(spec: string, options: CompileOptions = {}): Promise<CompileResult> {
  const loaded = await loadSpec(spec);
  const setting = strictSetting(loaded.document.json());
  const strict = options.strict === true || setting.strict;
  const rulesets = options.fullRulesets ? await loaded.fullRulesets() : [];
  const checker = new PayloadChecker();
  try {
    const fits = (payload: IRPayload, value: unknown) => checker.check(payload, value).ok === true;
    const built = buildIR(loaded.document, spec, fits);
    const found = [
      ...setting.diagnostics,
      ...unique([...loaded.diagnostics, ...rulesets]),
      ...built.diagnostics,
      ...validate(built.ir, { checker, strict }),
    ];
    const diagnostics = applyStrict(found, strict).map((d) => loaded.sources.attach(d));
    if (diagnostics.some((d) => d.severity === 'error')) throw new SpecError(spec, diagnostics, { strict });
    return {
      ir: built.ir,
      diagnostics,
      strict,
      specFiles: loaded.files,
      convertedFrom: loaded.convertedFrom,
    };
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
