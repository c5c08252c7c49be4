/**
 * The AsyncAPI JSON Schema check (`@asyncapi/specs`), as the parser's `asyncapi-document-resolved` and
 * `asyncapi-document-unresolved` rules make it, without their cost: Spectral compiles the 180 KB schema for
 * every document it parses (about a second); here ajv compiles it once per specs version into standalone code
 * kept in the disk cache, which loads in milliseconds.
 */
import { createRequire } from 'node:module';
import specs from '@asyncapi/specs';
import { _, Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import type { Diagnostic } from '../diagnostics.js';
import { hash, readCache, writeCache } from './cache.js';
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
 * Problems of `document` against the AsyncAPI schema of `version`. `resolved`: the document with every `$ref`
 * replaced (each object checked where it is used); otherwise the document as written, where only a `$ref` in a
 * place that does not allow one is reported.
 */
export function checkStructure(version: string, document: unknown, resolved: boolean): Diagnostic[] {
  const validate = validator(version, resolved);
  if (validate(document)) return [];
  const errors = resolved ? prepareResolved(validate.errors ?? []) : prepareUnresolved(validate.errors ?? []);
  const code = `parser:asyncapi-document-${resolved ? 'resolved' : 'unresolved'}`;
  return errors.map((e) => ({
    code,
    severity: 'error',
    message: messageOf(e),
    expected: expectedOf(e),
    pointer: e.instancePath,
  }));
}

const loaded = new Map<string, ValidateFunction>();

function validator(version: string, resolved: boolean): ValidateFunction {
  const name = `asyncapi-${version}-${resolved ? 'resolved' : 'unresolved'}`;
  let fn = loaded.get(name);
  if (fn) return fn;
  const file = `schema/${name}-${hash(versions.specs, versions.ajv)}.cjs`;
  let code = readCache(file);
  if (code === undefined) {
    code = compile(version, resolved);
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
function compile(version: string, resolved: boolean): string {
  const schema = structuredClone(specs.schemas[version as keyof typeof specs.schemas]) as Schema;
  const definitions = schema.definitions ?? {};
  // ajv has the draft-07 meta-schema already.
  delete definitions['http://json-schema.org/draft-07/schema'];
  delete definitions['http://json-schema.org/draft-04/schema'];
  // `$ref` values with `[`, `]` are valid JSON pointers but not URI references.
  const reference = definitions[`http://asyncapi.com/definitions/${version}/ReferenceObject.json`];
  if (reference?.format === 'uri-reference') delete reference.format;
  // Some 3.x fields must be a `$ref` as written; resolved, they hold the object it points to.
  if (resolved && version.startsWith('3.')) {
    const def = (name: string) => `http://asyncapi.com/definitions/${version}/${name}.json`;
    const point = (owner: string, property: string, items: boolean, target: string) => {
      const field = definitions[def(owner)]?.properties?.[property];
      const node = items ? field?.items : field;
      if (node) node.$ref = def(target);
    };
    point('channel', 'servers', true, 'server');
    point('operation', 'channel', false, 'channel');
    point('operation', 'messages', true, 'messageObject');
    point('operationReply', 'channel', false, 'channel');
    point('operationReply', 'messages', true, 'messageObject');
  }
  schema.$id = String(schema.$id).replace(
    'asyncapi.json',
    `asyncapi-${resolved ? 'resolved' : 'unresolved'}.json`,
  );
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
  format?: string;
  definitions?: Record<string, Schema>;
  properties?: Record<string, Schema>;
  items?: Schema;
}

/**
 * Of ajv's errors for the resolved document, the ones that say something (the parser's `prepareResults`): an
 * unknown property names it in its path, one error per place, and no `oneOf` summary under a precise error.
 */
function prepareResolved(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'required' && e.params.missingProperty === '$ref') continue;
    if (e.keyword === 'additionalProperties') {
      if (e.params.additionalProperty === '$ref') continue; // a $ref left by the resolver: reported elsewhere
      e.instancePath = `${e.instancePath}/${toPointer([String(e.params.additionalProperty)]).slice(1)}`;
    }
    const previous = out[out.length - 1];
    if (previous?.instancePath === e.instancePath) continue;
    if (summary(e) && previous?.instancePath.startsWith(e.instancePath)) continue;
    out.push(e);
  }
  return out.filter(
    (e, i) => !summary(e) || !out.slice(i + 1).some((n) => n.instancePath.startsWith(e.instancePath)),
  );
}

const summary = (e: ErrorObject) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if';

/** As written, only a `$ref` where the schema allows none is reported (the rest is checked resolved). */
function prepareUnresolved(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword !== 'additionalProperties' || e.params.additionalProperty !== '$ref') return false;
    if (seen.has(e.instancePath)) return false;
    seen.add(e.instancePath);
    e.instancePath = `${e.instancePath}/$ref`;
    return true;
  });
}

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

function expectedOf(e: ErrorObject): string | undefined {
  const ref = /#\/definitions\/(http:\/\/asyncapi\.com\/definitions\/[^/]+\/([^/]+)\.json)/.exec(
    e.schemaPath,
  );
  return ref ? `an AsyncAPI ${ref[2]} object (${ref[1]})` : undefined;
}
