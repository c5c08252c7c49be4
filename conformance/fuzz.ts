/**
 * `parley conformance --fuzz <n>`: per client operation, `n` payloads drawn from its schema with fast-check,
 * about half of them valid and half wrong in exactly one way (a fault of `negative.ts`, applied to a drawn valid
 * payload). Each is classified by the validator, not by how it was drawn, so the harness expects exactly what
 * the contract says: the documented refusal for an invalid payload, a reply that matches the reply schema for a
 * valid one. The same seed draws the same payloads, so a failure can be replayed with `--fuzz-seed`.
 */
import fc from 'fast-check';
import type { IRPayload } from '../codegen/index.js';
import { argsArbitrary } from './arbitrary.js';
import { invalidPayloads } from './negative.js';
import type { PayloadValidator } from './validate.js';

export interface FuzzPayload {
  /** The arguments to emit. */
  args: unknown[];
  /** Whether they match the payload schema (by the validator). */
  valid: boolean;
  /** For an invalid one, its fault (`"content" missing`); `valid` otherwise. */
  name: string;
}

export function drawPayloads(
  payload: IRPayload,
  validator: PayloadValidator,
  runs: number,
  seed: number,
): FuzzPayload[] {
  const isValid = (args: unknown[]) => validator.problems(payload, args).length === 0;
  const draws = fc.sample(fc.tuple(argsArbitrary(payload), fc.boolean(), fc.nat()), { numRuns: runs, seed });
  return draws.map(([args, wantValid, pick]) => {
    if (!wantValid) {
      const base = payload.kind === 'value' ? args[0] : args;
      const faults = invalidPayloads(payload, base, isValid);
      const fault = faults[pick % Math.max(1, faults.length)];
      if (fault) return { args: fault.args, valid: false, name: fault.name };
    }
    const valid = isValid(args);
    return { args, valid, name: valid ? 'valid' : 'drawn invalid' };
  });
}
