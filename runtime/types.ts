/**
 * Type-level helpers that read a contract object (`as const satisfies NamespaceContract`) and give the
 * TypeScript types of its events. Payloads a side *sends* are typed with `z.input` (what the schema
 * accepts); payloads a side *receives after validation* are typed with `z.output` (what parsing returns).
 */
import type { z } from 'zod';
import type { ArgsKind, NamespaceContract } from './contract.js';

/** The part of an operation contract that describes its arguments. */
export interface ArgsShape {
  readonly args: ArgsKind;
  readonly payload?: z.ZodType;
}

/** Client → server event names of a contract. */
export type ReceiveEvent<C extends NamespaceContract> = Extract<keyof C['receive'], string>;

/** Server → client event names of a contract. */
export type SendEvent<C extends NamespaceContract> = Extract<keyof C['send'], string>;

type AsTuple<T> = T extends readonly unknown[] ? [...T] : unknown[];

/**
 * The emit arguments of an event, from the sender's side: `[]` for `none`, `[payload]` for `value`, the
 * tuple's elements for `args`. `unknown[]` when the contract is not literal enough to say.
 */
export type EmitArgs<O> = O extends { readonly args: 'none' }
  ? []
  : O extends { readonly args: 'value'; readonly payload: infer S extends z.ZodType }
    ? [payload: z.input<S>]
    : O extends { readonly args: 'args'; readonly payload: infer S extends z.ZodType }
      ? AsTuple<z.input<S>>
      : unknown[];

/** The same, after validation on the receiving side (`z.output`). */
export type ParsedArgs<O> = O extends { readonly args: 'none' }
  ? []
  : O extends { readonly args: 'value'; readonly payload: infer S extends z.ZodType }
    ? [payload: z.output<S>]
    : O extends { readonly args: 'args'; readonly payload: infer S extends z.ZodType }
      ? AsTuple<z.output<S>>
      : unknown[];

/**
 * What a server handler receives as its single `payload` parameter: `undefined` for `none`, the parsed value
 * for `value`, the parsed tuple (an array) for `args`.
 */
export type HandlerPayload<O> = O extends { readonly args: 'none' }
  ? undefined
  : O extends { readonly payload: infer S extends z.ZodType }
    ? z.output<S>
    : unknown;

/** What a handler returns: the reply (`z.input` of the reply schema), possibly in a promise; anything without a reply. */
export type HandlerResult<O> = O extends { readonly reply: infer R extends z.ZodType }
  ? z.input<R> | PromiseLike<z.input<R>>
  : unknown;

/** The value the client's ack resolves with: parsed (`z.output`) when validated, as sent (`z.input`) otherwise. */
export type ReplyOf<O, V extends boolean> = O extends { readonly reply: infer R extends z.ZodType }
  ? V extends true
    ? z.output<R>
    : z.input<R>
  : unknown;
