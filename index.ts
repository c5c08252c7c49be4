/**
 * The package's main entry (`parley-socketio`): the compiler and the harness as functions, for build scripts
 * and tests that would rather call them than spawn the `parley` command. Each also has its own entry
 * (`parley-socketio/runtime`, `/client`, `/conformance`, `/server`); see package.json `exports`.
 */
import { type DiffReport, diffDocuments } from './codegen/diff/index.js';
import { compile } from './codegen/index.js';

export { formatDiagnostic } from './codegen/diagnostics.js';
export { type DiffReport, formatReport } from './codegen/diff/index.js';
export type { Diagnostic, EmitOptions, IRDocument } from './codegen/index.js';
export { type CompileResult, compile, type GenerateResult, generate, SpecError } from './codegen/index.js';
export {
  type ConformanceOptions,
  type ConformanceReport,
  runConformance,
} from './conformance/index.js';

/** Compile two versions of a spec (file paths) and list every change, classified by whom it breaks. */
export async function diff(base: string, head: string): Promise<DiffReport> {
  const [b, h] = await Promise.all([compile(base), compile(head)]);
  const report = diffDocuments(b.ir, h.ir);
  report.base.source = base;
  report.head.source = head;
  return report;
}
