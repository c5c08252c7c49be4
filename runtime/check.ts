/**
 * Checking an event's argument list, or an ack, against its contract entry with the entry's own zod schemas:
 * shared by the server binding, the emitter and the client. No runtime import of zod, so that the browser
 * client loads zod only with the schemas. Internal: not part of the public API.
 */
import type { z } from 'zod';
import type { ArgsKind } from './contract.js';
import { type Issue, toIssues } from './errors.js';

/** The part of an operation contract that describes its arguments. */
export interface ArgsContract {
  readonly args: ArgsKind;
  readonly payload?: z.ZodType;
}

export type ArgsCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: Issue[] };

type Prepared = { readonly done: ArgsCheck } | { readonly input: unknown };

/**
 * What the schema is run against. `strict`: also reject arguments the contract has no room for (arguments
 * to a `none` event, a second argument to a `value` event). The server binding is lenient there (it reads
 * what the contract describes); the emitter is strict, because the server's own code should send exactly
 * what is documented.
 */
export function prepare(op: ArgsContract, args: readonly unknown[], strict: boolean): Prepared {
  if (op.args === 'none') {
    if (strict && args.length > 0) {
      return { done: { ok: false, issues: [tooMany(`expected no arguments, got ${args.length}`)] } };
    }
    return { done: { ok: true, value: undefined } };
  }
  if (op.args === 'value') {
    if (strict && args.length > 1) {
      return { done: { ok: false, issues: [tooMany(`expected one argument, got ${args.length}`)] } };
    }
    return { input: args[0] };
  }
  return { input: [...args] };
}

function tooMany(message: string): Issue {
  return { path: [], code: 'too_big', message };
}

export function schemaOf(op: ArgsContract): z.ZodType {
  if (op.payload === undefined) {
    throw new TypeError(`contract error: an event with args "${op.args}" needs a payload schema`);
  }
  return op.payload;
}

/** Synchronous check (the emitter, client listeners). */
export function checkArgs(op: ArgsContract, args: readonly unknown[], strict: boolean): ArgsCheck {
  const prepared = prepare(op, args, strict);
  if ('done' in prepared) return prepared.done;
  return toCheck(schemaOf(op).safeParse(prepared.input));
}

export function toCheck(result: z.ZodSafeParseResult<unknown>): ArgsCheck {
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: toIssues(result.error) };
}

/** A single value against a schema, always with zod's asynchronous parse (the client's replies). */
export async function checkValueAsync(schema: z.ZodType, value: unknown): Promise<ArgsCheck> {
  const result = await schema.safeParseAsync(value);
  return toCheck(result);
}
