/**
 * The parser's full Spectral rulesets (core and recommended: the AsyncAPI schema again, and the rules beyond it,
 * such as an operation's messages belonging to its channel), for `--check`. They cost seconds on
 * a large document, so their verdict is cached by the content of every file the document reads: an unchanged
 * spec is never checked twice.
 */
import { createRequire } from 'node:module';
import type { Parser, Diagnostic as ParserDiagnostic } from '@asyncapi/parser';
import { hash, readCache, writeCache } from '../cache.js';

const require = createRequire(import.meta.url);
const VERSIONS = ['@asyncapi/parser', '@asyncapi/specs'].map(
  (name) => `${name}@${(require(`${name}/package.json`) as { version: string }).version}`,
);

/** The full parser: building its rulesets costs ~0.3 s, so one per process, made when first needed. */
let parser: Parser | undefined;

/**
 * The parser's diagnostics for `text` (the root document as parsed, at `source`), from the cache when `files`
 * (`[path, contents]` of every file read, the root first) are unchanged since a run that checked them.
 */
export async function fullRulesets(
  text: string,
  source: string,
  files: readonly (readonly [string, string])[],
): Promise<ParserDiagnostic[]> {
  const key = `rulesets/${hash(...VERSIONS, source, text, ...files.flat())}.json`;
  const cached = readCache(key);
  if (cached !== undefined) return JSON.parse(cached) as ParserDiagnostic[];
  const { Parser: ParserClass } = require('@asyncapi/parser') as typeof import('@asyncapi/parser');
  parser ??= new ParserClass({ __unstable: { resolver: { cache: false } } });
  const diagnostics = (await parser.validate(text, { source })).map(
    ({ code, message, path, severity, range, source: file }) => ({
      code,
      message,
      path,
      severity,
      range,
      source: file,
    }),
  );
  writeCache(key, JSON.stringify(diagnostics));
  return diagnostics;
}
