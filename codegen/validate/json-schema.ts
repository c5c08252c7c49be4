/** The JSON Schema document ajv checks an emit's arguments against. */
import { toDefinitions } from '../ir/json-schema.js';
import type { IRPayload } from '../ir/types.js';

const ROOT = '__payload';

/**
 * The schema of a single value, or for several arguments a draft-07 tuple of exactly that many
 * (`items: [...]`, `additionalItems: false`, `minItems`), as a `$ref` into its definitions (the parser's schemas
 * may be circular); `undefined` when the event has no payload.
 */
export function payloadJsonSchema(payload: IRPayload): Record<string, unknown> | undefined {
  if (payload.kind === 'none') return undefined;
  const schema =
    payload.kind === 'value'
      ? payload.schema
      : { type: 'array', items: payload.items, additionalItems: false, minItems: payload.items.length };
  return { $ref: `#/definitions/${ROOT}`, definitions: toDefinitions({ [ROOT]: schema }).definitions };
}
