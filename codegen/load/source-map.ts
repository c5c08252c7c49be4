/**
 * From JSON pointers into the root document to file, line and column.
 *
 * The parser resolves `$ref`s, so a pointer into the resolved document (`/channels/messenger/messages/x`)
 * may name a node that is written in another file. `locate` walks the YAML ASTs of the source files segment
 * by segment and follows every `$ref` it meets on the way, so the location lands where the node is written.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';

/** Where a node is written: an absolute file path, and a 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

interface ParsedFile {
  doc: Document;
  lines: LineCounter;
}

/** A position in the walk: the node reached (null for `key:` without a value) and where it is written. */
interface Cursor {
  file: string;
  node: Node | null;
  /** Offset of the key that holds the node, of the sequence item, or of the document's start. */
  offset: number;
}

/** Split a JSON pointer (`/a/b~1c`, also `#/a/b`) into unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  const p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (p === '') return [];
  return p
    .slice(p.startsWith('/') ? 1 : 0)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Build a JSON pointer from path segments (`['a', 'b/c', 0]` → `/a/b~1c/0`). */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const URL_REF = /^[a-z][a-z0-9+.-]*:\/\//i;

export class SourceMap {
  /** Absolute path of the root document. */
  readonly root: string;
  private readonly cache = new Map<string, ParsedFile | null>();
  private readonly read: (file: string) => string;
  /**
   * Pointers into the document the parser read, as pointers into the root file as written: they differ when the
   * loader converted an AsyncAPI 2.x document (`convert.ts`).
   */
  translate: (pointer: string) => string = (pointer) => pointer;

  /**
   * @param root path of the root spec file (made absolute).
   * @param read how to read a file; defaults to the file system (tests may pass an in-memory reader).
   */
  constructor(root: string, read: (file: string) => string = (file) => readFileSync(file, 'utf8')) {
    this.root = resolve(root);
    this.read = read;
  }

  /**
   * Where the node at `pointer` (into the root document) is written. `$ref`s met on the way (local `#/...` and
   * relative file refs `./other.yaml#/x`) are followed; a missing segment yields the deepest node found.
   */
  locate(pointer: string): SourceLocation {
    const start = this.start(this.root);
    if (!start) return { file: this.root, line: 1, column: 1 };
    const end = this.walk(start, pointerSegments(this.translate(pointer)), []);
    return this.position(end);
  }

  /** `d` with `file`, `line` and `column` filled in from its pointer (unchanged when it already has a file). */
  attach(d: Diagnostic): Diagnostic {
    if (d.file) return d;
    return { ...d, ...this.locate(d.pointer) };
  }

  private load(file: string): ParsedFile | null {
    const cached = this.cache.get(file);
    if (cached !== undefined) return cached;
    let parsed: ParsedFile | null = null;
    try {
      const lines = new LineCounter();
      const doc = parseDocument(this.read(file), { lineCounter: lines, uniqueKeys: false });
      parsed = { doc, lines };
    } catch {
      parsed = null;
    }
    this.cache.set(file, parsed);
    return parsed;
  }

  private start(file: string): Cursor | null {
    const parsed = this.load(file);
    if (!parsed) return null;
    const node = parsed.doc.contents;
    return { file, node, offset: node?.range?.[0] ?? 0 };
  }

  private position(c: Cursor): SourceLocation {
    const parsed = this.load(c.file);
    if (!parsed) return { file: c.file, line: 1, column: 1 };
    const { line, col } = parsed.lines.linePos(c.offset);
    return { file: c.file, line, column: col };
  }

  /** Walk `segments` from `cursor`; `refs` are the `$ref`s being resolved (to stop on a ref cycle). */
  private walk(cursor: Cursor, segments: readonly string[], refs: string[]): Cursor {
    let cur = cursor;
    for (const segment of segments) {
      // A pointer to a `$ref` itself (into the document as written) names the reference, not its target.
      if (segment !== '$ref') cur = this.deref(cur, refs);
      const next = this.child(cur, segment);
      if (!next) return cur;
      cur = next;
    }
    return this.deref(cur, refs);
  }

  /** Follow `$ref` when the cursor is on a mapping that has one; otherwise the cursor itself. */
  private deref(cur: Cursor, refs: string[]): Cursor {
    const node = this.unalias(cur);
    if (!isMap(node)) return cur;
    const ref = node.get('$ref');
    if (typeof ref !== 'string' || URL_REF.test(ref)) return cur;
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : decodeURIComponent(ref.slice(hash + 1));
    const file = filePart === '' ? cur.file : resolve(dirname(cur.file), decodeURI(filePart));
    const key = `${file}#${fragment}`;
    if (refs.includes(key)) return cur;
    const start = this.start(file);
    if (!start) return cur;
    refs.push(key);
    try {
      return this.walk(start, pointerSegments(fragment), refs);
    } finally {
      refs.pop();
    }
  }

  private child(cur: Cursor, segment: string): Cursor | null {
    const node = this.unalias(cur);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair || !isScalar(pair.key)) return null;
      const value = (pair.value ?? null) as Node | null;
      return { file: cur.file, node: value, offset: pair.key.range?.[0] ?? cur.offset };
    }
    if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(segment)) {
      const item = node.items[Number(segment)] as Node | null | undefined;
      if (item === undefined) return null;
      return { file: cur.file, node: item, offset: item?.range?.[0] ?? cur.offset };
    }
    return null;
  }

  private unalias(cur: Cursor): Node | null {
    const node = cur.node;
    if (!isAlias(node)) return node;
    const parsed = this.load(cur.file);
    return (parsed && node.resolve(parsed.doc)) ?? null;
  }
}
