/**
 * Load stage: parse the AsyncAPI document with `@asyncapi/parser` (which resolves `$ref`s across files and
 * checks the document against the AsyncAPI schema), turn its findings into our `Diagnostic`s and build the
 * source map that later stages use to put file and line on theirs.
 */
import { resolve } from 'node:path';
import {
  type AsyncAPIDocumentInterface,
  fromFile,
  type ParseOutput,
  Parser,
  type Diagnostic as ParserDiagnostic,
} from '@asyncapi/parser';
import { type Diagnostic, SpecError } from '../diagnostics.js';
import { SourceMap, toPointer } from './source-map.js';

export type { SourceLocation } from './source-map.js';
export { pointerSegments, SourceMap, toPointer } from './source-map.js';

export interface LoadedSpec {
  document: AsyncAPIDocumentInterface;
  /** The parser's warnings (errors stop loading: they are thrown as a `SpecError`). */
  diagnostics: Diagnostic[];
  sources: SourceMap;
  /** Absolute paths: the root file and every file reached through external `$ref`s (for `--watch`). */
  files: string[];
}

/** Parser rules we do not report. */
const IGNORED_RULES = new Set([
  // Parley deliberately stays on AsyncAPI 3.0.0.
  'asyncapi-latest-version',
]);

/**
 * Creating a parser builds its Spectral ruleset, which is costly: one per process. Its resolver would cache
 * every file a `$ref` reads for the life of the process, so `--watch` would not see edits to them:
 * `cache: false` (a 1 ms time-to-live) makes every load read them again.
 */
const parser = new Parser({ __unstable: { resolver: { cache: false } } });

/**
 * Parse and resolve the spec at `path`.
 * @throws SpecError when the file cannot be read or the parser finds errors (all of them, with locations).
 */
export async function loadSpec(path: string): Promise<LoadedSpec> {
  const file = resolve(path);
  const sources = new SourceMap(file);
  let output: ParseOutput;
  try {
    output = await fromFile(parser, file).parse();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new SpecError(path, [
      {
        code: 'file-unreadable',
        severity: 'error',
        message: `Cannot read the spec file ${file}: ${reason}`,
        fix: 'Check the path given to parley.',
        pointer: '',
        file,
        line: 1,
        column: 1,
      },
    ]);
  }
  const diagnostics = output.diagnostics.flatMap((d) => fromParser(d, sources));
  if (!output.document) {
    if (!diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push(
        sources.attach({
          code: 'parser:no-document',
          severity: 'error',
          message: 'The AsyncAPI parser returned no document and reported no error.',
          pointer: '',
        }),
      );
    }
    throw new SpecError(path, diagnostics);
  }
  return { document: output.document, diagnostics, sources, files: sources.files() };
}

/**
 * One parser diagnostic as ours: severity 0 → error, 1 → warning, information and hints dropped. The
 * parser's `range` (0-based) is kept as 1-based line and column in the file it names; its `path` becomes
 * the pointer (into that file).
 */
export function fromParser(d: ParserDiagnostic, sources: SourceMap): Diagnostic[] {
  const code = String(d.code);
  if (IGNORED_RULES.has(code)) return [];
  const severity = d.severity === 0 ? 'error' : d.severity === 1 ? 'warning' : undefined;
  if (!severity) return [];
  const pointer = toPointer(d.path);
  const out: Diagnostic = { code: `parser:${code}`, severity, message: d.message, pointer };
  if (!d.range) return [sources.attach(out)];
  return [
    {
      ...out,
      file: d.source ? resolve(d.source) : sources.root,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    },
  ];
}
