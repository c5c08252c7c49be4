/**
 * Checking values (examples, rendered error templates) against payload schemas, draft-07. Each value is checked
 * once, so generating validator code (ajv) cost more than validating: values are first checked by an
 * interpreting validator, and only one that fails is checked again with ajv, for its precise messages.
 */
import { Validator } from '@cfworker/json-schema';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { IRPayload } from '../ir/types.js';
import { payloadJsonSchema } from './json-schema.js';

/** One way a value fails its schema. */
export interface SchemaIssue {
  /** Where in the value: `payload`, `payload/text`, `payload/1` (the second argument). */
  path: string;
  /** What is wrong there: `must be string`. */
  message: string;
  /** What the schema asks for there: `type: "string"`. */
  expected: string;
}

export type CheckResult =
  | { ok: true }
  | { ok: false; issues: SchemaIssue[] }
  /** The schema could not be compiled (e.g. a `$ref` the parser left unresolved). */
  | { ok: 'uncompilable'; reason: string };

/**
 * Compiles each payload once and validates values against it. One per `validate()` run: `dispose()` drops
 * the compiled schemas from the shared ajv instance, so a long `--watch` session does not accumulate them.
 */
export class PayloadChecker {
  /** Made when a value first fails (compiling ajv's formats costs a tenth of a second). */
  private static shared: Ajv | undefined;
  private static get ajv(): Ajv {
    PayloadChecker.shared ??= createAjv();
    return PayloadChecker.shared;
  }
  private readonly compiled = new Map<
    IRPayload,
    { schema: object; fn: ValidateFunction } | { error: string }
  >();
  private readonly quick = new Map<IRPayload, Validator | undefined>();

  check(payload: IRPayload, value: unknown): CheckResult {
    if (payload.kind === 'none') {
      return value === undefined
        ? { ok: true }
        : { ok: false, issues: [{ path: 'payload', message: 'must be absent', expected: 'no payload' }] };
    }
    if (value === undefined) {
      return { ok: false, issues: [{ path: 'payload', message: 'is missing', expected: 'a payload' }] };
    }
    if (this.quickCheck(payload, value)) return { ok: true };
    const compiled = this.compile(payload);
    if ('error' in compiled) return { ok: 'uncompilable', reason: compiled.error };
    if (compiled.fn(value)) return { ok: true };
    return { ok: false, issues: (compiled.fn.errors ?? []).map(issueOf) };
  }

  dispose(): void {
    for (const entry of this.compiled.values()) {
      if ('schema' in entry) PayloadChecker.ajv.removeSchema(entry.schema);
    }
    this.compiled.clear();
    this.quick.clear();
  }

  /** `true` when the interpreting validator accepts the value; `false` when it rejects it or cannot tell. */
  private quickCheck(payload: IRPayload, value: unknown): boolean {
    if (!this.quick.has(payload)) {
      let validator: Validator | undefined;
      try {
        validator = new Validator(payloadJsonSchema(payload) ?? {}, '7', false);
      } catch {
        validator = undefined; // ajv decides, and reports why the schema cannot be compiled
      }
      this.quick.set(payload, validator);
    }
    try {
      return this.quick.get(payload)?.validate(value).valid === true;
    } catch {
      return false; // e.g. an unresolved $ref: ajv reports the schema as uncompilable
    }
  }

  private compile(payload: IRPayload): { schema: object; fn: ValidateFunction } | { error: string } {
    let entry = this.compiled.get(payload);
    if (!entry) {
      try {
        const schema = payloadJsonSchema(payload) ?? {};
        entry = { schema, fn: PayloadChecker.ajv.compile(schema) };
      } catch (err) {
        entry = { error: err instanceof Error ? err.message : String(err) };
      }
      this.compiled.set(payload, entry);
    }
    return entry;
  }
}

function createAjv(): Ajv {
  // strict: false, because AsyncAPI schemas carry `x-parser-*` keys and keywords such as `discriminator`;
  // logger: false, because unknown formats are then warned about on the console.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false });
  addFormats.default(ajv);
  return ajv;
}

const json = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

function issueOf(e: ErrorObject): SchemaIssue {
  const path = `payload${e.instancePath}`;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path,
        message: `must not have the property "${String(params.additionalProperty)}"`,
        expected: 'only the properties the schema declares (additionalProperties: false)',
      };
    case 'required':
      return {
        path,
        message: e.message ?? 'is missing a required property',
        expected: `the property "${String(params.missingProperty)}"`,
      };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return {
        path,
        message: `must be one of ${allowed.map(json).join(', ')}`,
        expected: `enum: ${json(allowed)}`,
      };
    }
    case 'const':
      return {
        path,
        message: `must be ${json(params.allowedValue)}`,
        expected: `const: ${json(params.allowedValue)}`,
      };
    default:
      return {
        path,
        message: e.message ?? `fails ${e.keyword}`,
        expected: `${e.keyword}: ${json(e.schema)}`,
      };
  }
}
