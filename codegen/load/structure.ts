/**
 * The AsyncAPI JSON Schema check (`@asyncapi/specs`) that the parser's `asyncapi-document-resolved` and
 * `asyncapi-document-unresolved` rules make, without their cost. Spectral compiles the 180 KB schema for every
 * document it parses (about a second); here ajv compiles it once per specs version into standalone code kept in
 * the disk cache, which loads in milliseconds. And the parser checks the resolved document, where a node is
 * checked again at every place it is used (seconds on a large document); here the document is checked as written,
 * each node once where it is written, with only the content of other files inlined where it is used.
 */
import { createRequire } from 'node:module';
import specs from '@asyncapi/specs';
import { _, Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { hash, readCache, writeCache } from '../cache.js';
import type { Diagnostic } from '../diagnostics.js';
import { toPointer } from './source-map.js';

const require = createRequire(import.meta.url);
const versions = {
  specs: (require('@asyncapi/specs/package.json') as { version: string }).version,
  ajv: (require('ajv/package.json') as { version: string }).version,
};

/** The AsyncAPI versions the specs package has a schema for. */
export function knownVersion(version: unknown): version is string {
  return typeof version === 'string' && Object.hasOwn(specs.schemas, version);
}

/**
 * Problems of `document` against the AsyncAPI schema of `version`: a `$ref` into the same document is checked
 * as a reference (its target is checked where it is written), the content of another file in the place of its
 * `$ref` (see `inlineOtherFiles`).
 */
export function checkStructure(version: string, document: unknown): Diagnostic[] {
  const validate = validator(version);
  if (validate(document)) return [];
  return prepare(validate.errors ?? []).map((e) => {
    const misplacedRef = e.keyword === 'additionalProperties' && e.params.additionalProperty === '$ref';
    return {
      code: `parser:asyncapi-document-${misplacedRef ? 'unresolved' : 'resolved'}`,
      severity: 'error',
      message: messageOf(e),
      expected: expectedOf(e, version),
      fix: `See the AsyncAPI ${version} specification: https://www.asyncapi.com/docs/reference/specification/v${version}`,
      pointer: e.instancePath,
    };
  });
}

/**
 * `root` (as written) with every `$ref` to another file replaced by the resolved node at the same path of
 * `resolved`: what the parser reads there, checked in the place it is used.
 */
export function inlineOtherFiles(root: unknown, resolved: unknown): unknown {
  if (typeof root !== 'object' || root === null) return root;
  const ref = (root as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && !ref.startsWith('#')) return resolved;
  if (Array.isArray(root))
    return root.map((item, i) => inlineOtherFiles(item, (resolved as unknown[] | undefined)?.[i]));
  return Object.fromEntries(
    Object.entries(root).map(([key, value]) => [
      key,
      inlineOtherFiles(value, (resolved as Record<string, unknown> | undefined)?.[key]),
    ]),
  );
}

const loaded = new Map<string, ValidateFunction>();

function validator(version: string): ValidateFunction {
  const name = `asyncapi-${version}`;
  let fn = loaded.get(name);
  if (fn) return fn;
  const file = `schema/${name}-${hash(versions.specs, versions.ajv)}.cjs`;
  let code = readCache(file);
  if (code === undefined) {
    code = compile(version);
    writeCache(file, code);
  }
  const module = { exports: {} as ValidateFunction };
  // The standalone code `require`s ajv's runtime helpers and ajv-formats: resolved from here, wherever the
  // cache folder is.
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  fn = module.exports;
  loaded.set(name, fn);
  return fn;
}

/** The schema as the parser's `documentStructure` rule prepares it, compiled to standalone CommonJS. */
function compile(version: string): string {
  const schema = structuredClone(specs.schemas[version as keyof typeof specs.schemas]) as Schema;
  const definitions = schema.definitions ?? {};
  // ajv has the draft-07 meta-schema already.
  delete definitions['http://json-schema.org/draft-07/schema'];
  delete definitions['http://json-schema.org/draft-04/schema'];
  // `$ref` values with `[`, `]` are valid JSON pointers but not URI references.
  const reference = definitions[`http://asyncapi.com/definitions/${version}/ReferenceObject.json`];
  if (reference?.format === 'uri-reference') delete reference.format;
  // Some 3.x fields must be a `$ref` as written; with another file's content inlined, they hold the object.
  if (version.startsWith('3.')) {
    const def = (name: string) => `http://asyncapi.com/definitions/${version}/${name}.json`;
    const either = (owner: string, property: string, items: boolean, target: string) => {
      const field = definitions[def(owner)]?.properties?.[property];
      const node = items ? field?.items : field;
      if (!node?.$ref) return;
      node.anyOf = [{ $ref: node.$ref }, { $ref: def(target) }];
      delete node.$ref;
    };
    either('channel', 'servers', true, 'server');
    either('operation', 'channel', false, 'channel');
    either('operation', 'messages', true, 'messageObject');
    either('operationReply', 'channel', false, 'channel');
    either('operationReply', 'messages', true, 'messageObject');
  }
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    allowUnionTypes: true,
    unicodeRegExp: false,
    code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  addFormats.default(ajv);
  return standaloneCode.default(ajv, ajv.compile(schema));
}

interface Schema {
  $id?: string;
  $ref?: string;
  anyOf?: Schema[];
  format?: string;
  definitions?: Record<string, Schema>;
  properties?: Record<string, Schema>;
  items?: Schema;
}

/**
 * Of ajv's errors, the ones that say something (as the parser's `prepareResults`): an unknown property names it
 * in its path, a `$ref` where none is allowed is one error, one error per place, and no `oneOf` summary above a
 * precise error.
 */
function prepare(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'required' && e.params.missingProperty === '$ref') continue;
    if (e.keyword === 'additionalProperties') {
      e.instancePath = `${e.instancePath}/${toPointer([String(e.params.additionalProperty)]).slice(1)}`;
    }
    const previous = out[out.length - 1];
    if (previous?.instancePath === e.instancePath) continue;
    if (summary(e) && previous?.instancePath.startsWith(e.instancePath)) continue;
    out.push(e);
  }
  const precise = out.filter(
    (e, i) => !summary(e) || !out.slice(i + 1).some((n) => n.instancePath.startsWith(e.instancePath)),
  );
  // A misplaced `$ref` makes the object around it fail every other way too: only the `$ref` is reported.
  const refs = precise
    .filter((e) => e.instancePath.endsWith('/$ref'))
    .map((e) => e.instancePath.slice(0, -5));
  return precise.filter(
    (e) =>
      e.instancePath.endsWith('/$ref') ||
      !refs.some((r) => e.instancePath === r || e.instancePath.startsWith(`${r}/`)),
  );
}

const summary = (e: ErrorObject) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if';

function messageOf(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  const last = e.instancePath.split('/').pop()?.replace(/~1/g, '/').replace(/~0/g, '~');
  const subject = last ? `"${last}" property` : 'The document';
  switch (e.keyword) {
    case 'additionalProperties':
      return params.additionalProperty === '$ref'
        ? 'Referencing in this place is not allowed'
        : `Property "${String(params.additionalProperty)}" is not expected to be here`;
    case 'required':
      return `${subject} must have the property "${String(params.missingProperty)}"`;
    case 'type':
      return `${subject} type must be ${String(params.type)}`;
    case 'enum':
      return `${subject} must be equal to one of the allowed values: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${subject} ${e.message ?? `fails ${e.keyword}`}`;
  }
}

function expectedOf(e: ErrorObject, version: string): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return params.additionalProperty === '$ref'
        ? 'the object itself here: AsyncAPI allows no Reference Object in this place'
        : `only the fields AsyncAPI ${version} defines for this object (and \`x-\` extensions)`;
    case 'required':
      return `the field "${String(params.missingProperty)}"`;
    case 'type':
      return `a value of type ${String(params.type)}`;
    default:
      return `${e.keyword}: ${JSON.stringify(params)}`;
  }
}
