/**
 * The shape of the contract objects that `parley generate` writes into `generated/<ns>/contract.gen.ts`.
 * Generated code is data plus types; the behaviour lives in `runtime/server.ts` and `client/index.ts`.
 */
import type { z } from 'zod';

/** How an event's arguments travel: none (`emit('ping')`), one value, or several (a tuple, spread). */
export type ArgsKind = 'none' | 'value' | 'args';

export interface InboundOperationContract {
  /** The event name on the wire. */
  readonly event: string;
  /** The typed client's method name (`sendMessage` for `send_message`). */
  readonly method: string;
  readonly args: ArgsKind;
  /** The payload schema (a `z.tuple` when `args` is `'args'`); absent when `args` is `'none'`. */
  readonly payload?: z.ZodType;
  /** The ack's schema, when the operation has a reply. */
  readonly reply?: z.ZodType;
  /** How the ack's arguments travel, when not as one value: `'args'`, a tuple spread over them. */
  readonly replyArgs?: ArgsKind;
  /** How a failure of this operation reaches the client: decided by the compiler (`IROperation.failure`). */
  readonly failure: FailureContract;
}

/**
 * How a failed operation is reported: in its ack (the namespace's `errors.ack` filled in), with an event to the
 * emitting socket (`errors.payload` filled in; an ack is then left unanswered), or only in the server's log,
 * because the spec documents no way to tell the client (an ack is left unanswered; the client's
 * `AckTimeoutError` says why, with `reason`).
 */
export type FailureContract =
  | { readonly via: 'ack' }
  | { readonly via: 'event'; readonly event: string }
  | { readonly via: 'log'; readonly reason: string };

export interface OutboundOperationContract {
  readonly event: string;
  readonly args: ArgsKind;
  readonly payload?: z.ZodType;
}

/**
 * The namespace's documented error shape. In `payload` and `ack`, the strings `{code}`, `{message}`,
 * `{event}` are filled in, and a value that is exactly `{issues}` becomes the list of validation issues.
 */
export interface ErrorShapeContract {
  readonly event?: string;
  readonly payload?: unknown;
  readonly ack?: unknown;
}

export interface NamespaceContract {
  /** `/messenger` */
  readonly namespace: string;
  /** `messenger` */
  readonly name: string;
  /** How clients authenticate: see `x-parley-auth` in the README. */
  readonly auth: {
    readonly handshake: readonly string[];
    readonly event?: string;
    readonly welcome?: string;
    readonly reject?: { readonly event: string; readonly payload: unknown };
  };
  readonly errors: ErrorShapeContract;
  /** Client → server operations by event name. */
  readonly receive: { readonly [event: string]: InboundOperationContract };
  /** Server → client events by event name. */
  readonly send: { readonly [event: string]: OutboundOperationContract };
}
