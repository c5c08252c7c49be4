/**
 * Load stage: read the AsyncAPI document, convert a 2.x one to 3.0, parse it with `@asyncapi/parser` (which
 * resolves `$ref`s across files), check it against the AsyncAPI JSON Schema, and build the source map that
 * later stages use to put file and line on their diagnostics.
 *
 * The parser's Spectral rulesets are what make a bare parse slow (seconds on a large document: they compile the
 * AsyncAPI schema for every document). Here the parser runs without them; the schema check they make is done
 * by a validator compiled once and cached on disk (`structure.ts`), and the full rulesets run on request
 * (`--check`) with their verdict cached by content (`rulesets.ts`).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type {
  AsyncAPIDocumentInterface,
  ParseOutput,
  Parser,
  Diagnostic as ParserDiagnostic,
} from '@asyncapi/parser';
import { parse as parseYaml } from 'yaml';
import { type Diagnostic, SpecError } from '../diagnostics.js';
import { convertToV3, isVersion2 } from './convert.js';
import { fullRulesets } from './rulesets.js';
import { pointerSegments, SourceMap, toPointer } from './source-map.js';
import { checkStructure, inlineOtherFiles, knownVersion } from './structure.js';

export type { SourceLocation } from './source-map.js';
export { pointerSegments, SourceMap, toPointer } from './source-map.js';

export interface LoadedSpec {
  document: AsyncAPIDocumentInterface;
  /** Warnings (errors stop loading: they are thrown as a `SpecError`). */
  diagnostics: Diagnostic[];
  sources: SourceMap;
  /** Absolute paths: the root file and every file reached through external `$ref`s (for `--watch`). */
  files: string[];
  /** The AsyncAPI version of the file as written, when it was converted to 3.0.0 (`2.6.0`). */
  convertedFrom?: string;
  /** The parser's full Spectral rulesets on this document (cached by content): errors and warnings. */
  fullRulesets(): Promise<Diagnostic[]>;
}

/** Parser rules we do not report. */
const IGNORED_RULES = new Set([
  // Parley deliberately stays on AsyncAPI 3.0.0.
  'asyncapi-latest-version',
]);

/**
 * The parser without its rulesets but for the cheap `asyncapi-is-asyncapi` (a supported version), and a rule
 * of ours that keeps the resolver's inventory: the resolved document and the files read. (The parser's own
 * `asyncapi-internal` rule would hand the inventory to its circular-`$ref` pass, which walks every path of the
 * document and costs a second on a large one; `closeCycles` does that work in one pass.) Its resolver would
 * cache every file a `$ref` reads for the life of the process, so `--watch` would not see edits to them:
 * `cache: false`.
 */
const require = createRequire(import.meta.url);
// Required, not imported: Node would scan the parser's CommonJS modules for their export names first.
const { Parser: ParserClass } = require('@asyncapi/parser') as typeof import('@asyncapi/parser');
const { coreRuleset } = require('@asyncapi/parser/cjs/ruleset/ruleset.js') as {
  coreRuleset: { formats: unknown; rules: Record<string, unknown> };
};
const INVENTORY = Symbol('parley:inventory');
const parser: Parser = new ParserClass({
  ruleset: {
    core: false,
    recommended: false,
    extends: [
      {
        formats: coreRuleset.formats,
        rules: {
          'asyncapi-is-asyncapi': coreRuleset.rules['asyncapi-is-asyncapi'],
          'parley-inventory': {
            given: '$',
            // biome-ignore lint/suspicious/noThenProperty: a Spectral rule's action is called `then`
            then: {
              function: (
                _: unknown,
                __: unknown,
                context: { document: object; documentInventory: Inventory },
              ) => {
                (context.document as { [INVENTORY]?: Inventory })[INVENTORY] = context.documentInventory;
              },
            },
          },
        },
      } as never,
    ],
  },
  __unstable: { resolver: { cache: false } },
});

/** What the `parley-inventory` rule keeps of the resolver's work. */
interface Inventory {
  resolved: unknown;
  graph: { overallOrder(): string[] } | null;
}

/**
 * Parse, resolve and check the spec at `path`.
 * @throws SpecError when the file cannot be read or is not a valid AsyncAPI document (every problem, located).
 */
export async function loadSpec(path: string): Promise<LoadedSpec> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw unreadable(path, file, err);
  }
  const sources = new SourceMap(file);
  const diagnostics: Diagnostic[] = [];

  // A 2.x document is converted; its diagnostics are located through the converter's moves, in the file as
  // written. The parser then reads the converted document as if it were that file (relative `$ref`s resolve).
  const version = peekVersion(text);
  let convertedFrom: string | undefined;
  let parsed = text;
  if (isVersion2(version)) {
    const original = parseYaml(text, { uniqueKeys: false }) as Record<string, unknown>;
    const converted = convertToV3(original, String(version));
    convertedFrom = String(version);
    parsed = JSON.stringify(converted.document);
    sources.translate = converted.originalPointer;
    diagnostics.push(...converted.diagnostics);
  }

  let output: ParseOutput;
  try {
    output = await parser.parse(parsed, { source: file });
  } catch (err) {
    throw unreadable(path, file, err);
  }
  diagnostics.push(...output.diagnostics.flatMap((d) => fromParser(d, sources, convertedFrom !== undefined)));
  const spectralDocument = output.extras?.document as { data?: unknown; [INVENTORY]?: Inventory } | undefined;
  const inventory = spectralDocument?.[INVENTORY];
  const root = spectralDocument?.data as { asyncapi?: unknown } | undefined;
  // The schema check only where the parser could read and resolve the document (its errors say why not).
  if (inventory && knownVersion(root?.asyncapi) && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push(...checkStructure(root.asyncapi, inlineOtherFiles(root, inventory.resolved)));
  }
  const located = unique(diagnostics.map((d) => sources.attach(d)));
  if (!output.document || located.some((d) => d.severity === 'error')) {
    if (!located.some((d) => d.severity === 'error')) {
      located.push(
        sources.attach({
          code: 'parser:no-document',
          severity: 'error',
          message: 'The AsyncAPI parser returned no document and reported no error.',
          pointer: '',
        }),
      );
    }
    throw new SpecError(path, located);
  }

  closeCycles(output.document);
  const files = [
    file,
    ...(inventory?.graph?.overallOrder() ?? []).filter((node) => !node.includes('#') && node !== file),
  ];
  return {
    document: output.document,
    diagnostics: located,
    sources,
    files,
    convertedFrom,
    fullRulesets: async () => {
      const contents = await Promise.all(
        files.map(async (f) => [f, await readFile(f, 'utf8').catch(() => '')] as const),
      );
      return (await fullRulesets(parsed, file, contents))
        .flatMap((d) => fromParser(d, sources, convertedFrom !== undefined))
        .map((d) => sources.attach(d));
    },
  };
}

/**
 * The resolver leaves a `$ref` that would recurse (a schema that contains itself) as it was written; the IR
 * reads recursion as a cycle of objects, so each such `$ref` into the document is replaced by its target.
 */
function closeCycles(document: AsyncAPIDocumentInterface): void {
  const root = document.json() as Record<string, unknown>;
  const seen = new Set<object>();
  let circular = false;
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? [...node.entries()]
      : Object.entries(node);
    for (const [key, value] of entries) {
      const ref = (value as { $ref?: unknown } | null)?.$ref;
      if (typeof ref === 'string' && ref.startsWith('#/')) {
        const target = pointerSegments(ref).reduce<unknown>(
          (at, segment) => (at as Record<string, unknown> | undefined)?.[segment],
          root,
        );
        if (target !== undefined) {
          (node as Record<string | number, unknown>)[key] = target;
          circular = true;
          continue;
        }
      }
      visit(value);
    }
  };
  visit(root);
  if (circular) root['x-parser-circular'] = true;
}

/**
 * Each problem once: the resolved document holds a node written once at every place it is used (a channel
 * inside each of its operations), and the full rulesets repeat what the quick load reports.
 */
export function unique(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The `asyncapi` version a document declares, read without parsing it (YAML or JSON, at the root). */
function peekVersion(text: string): string | undefined {
  return /^\s*["']?asyncapi["']?\s*:\s*["']?([0-9][^"'\s,]*)/m.exec(text)?.[1];
}

function unreadable(path: string, file: string, err: unknown): SpecError {
  const reason = err instanceof Error ? err.message : String(err);
  return new SpecError(path, [
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

/**
 * One parser diagnostic as ours: severity 0 → error, 1 → warning, information and hints dropped. The
 * parser's `range` (0-based) is kept as 1-based line and column in the file it names; its `path` becomes
 * the pointer (into that file). For a converted document the root file's ranges are in the converted text,
 * so there the pointer is located instead.
 */
export function fromParser(d: ParserDiagnostic, sources: SourceMap, converted = false): Diagnostic[] {
  const code = String(d.code);
  if (IGNORED_RULES.has(code)) return [];
  const severity = d.severity === 0 ? 'error' : d.severity === 1 ? 'warning' : undefined;
  if (!severity) return [];
  const pointer = toPointer(d.path);
  const out: Diagnostic = { code: `parser:${code}`, severity, message: d.message, pointer };
  const file = d.source ? resolve(d.source) : sources.root;
  if (!d.range || (converted && file === sources.root)) return [sources.attach(out)];
  return [{ ...out, file, line: d.range.start.line + 1, column: d.range.start.character + 1 }];
}
