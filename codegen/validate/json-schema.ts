/** The JSON Schema document ajv checks an emit's arguments against. */
import { argsSchema, toDefinitions } from '../ir/json-schema.js';
import type { IRPayload } from '../ir/types.js';

const ROOT = '__payload';

/**
 * The schema of a single value, or for several arguments a draft-07 tuple of at least that many (`items: [...]`,
 * `minItems`, `additionalItems` as the spec's tuple says), as a `$ref` into its definitions (the parser's
 * schemas may be circular); `undefined` when the event has no payload.
 */
export function payloadJsonSchema(payload: IRPayload): Record<string, unknown> | undefined {
  if (payload.kind === 'none') return undefined;
  const schema = payload.kind === 'value' ? payload.schema : argsSchema(payload.items, payload.rest);
  return { $ref: `#/definitions/${ROOT}`, definitions: toDefinitions({ [ROOT]: schema }).definitions };
}
