/**
 * A valid payload for a message the spec gives no example: sampled from its schema with `openapi-sampler`
 * (deterministic: the same schema gives the same payload, so runs are reproducible). The schemas arrive as the
 * parser's circular object graph: the sampler gets them as one document of `$ref`-ed definitions. A sample is
 * only a candidate: the harness checks it against the schema before sending it.
 */
import { sample } from 'openapi-sampler';
import { argsSchema, toDefinitions } from '../codegen/ir/json-schema.js';
import type { IRPayload, JsonSchema } from '../codegen/ir/types.js';

const ROOT = '__sample';

/** A value for `schema` (`undefined` when the sampler cannot make one). */
export function sampleOf(schema: JsonSchema): unknown {
  const document = { $ref: `#/definitions/${ROOT}`, ...toDefinitions({ [ROOT]: schema }) };
  try {
    return sample(document as Parameters<typeof sample>[0], { skipReadOnly: true, quiet: true }, document);
  } catch {
    return undefined;
  }
}

/** The payload a client would emit: one value, or the list of arguments of a tuple; `undefined` for none. */
export function samplePayload(payload: IRPayload): unknown {
  if (payload.kind === 'none') return undefined;
  return sampleOf(payload.kind === 'value' ? payload.schema : argsSchema(payload.items, payload.rest));
}
