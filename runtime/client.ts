/**
 * Client side: a typed client over a `socket.io-client` socket, built from a namespace's contract. One
 * method per client → server operation (named by its `method`), plus `on` / `off` / `once` for server events.
 */
import type { Socket as ClientSocket } from 'socket.io-client';
import type { z } from 'zod';
import type { InboundOperationContract, NamespaceContract, OutboundOperationContract } from './contract.js';
import { AckTimeoutError, InboundValidationError, ReplyValidationError } from './errors.js';
import type { EmitArgs, ParsedArgs, ReplyOf, SendEvent } from './types.js';
import { checkArgs, checkValueAsync } from './validate.js';

export type { ClientSocket };

/**
 * What `createClient` calls on its socket. Structural rather than socket.io-client's `Socket` class: that package
 * ships separate CommonJS and ESM declarations whose `Socket` classes are not assignable to each other, so a
 * CommonJS project's socket would not fit a parameter typed with the class this (ESM) module sees.
 */
export interface SocketLike {
  // biome-ignore lint/suspicious/noExplicitAny: any socket.io-client Socket, whatever its typed event maps
  emit(event: string, ...args: any[]): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: likewise
  on(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: likewise
  off(event: string, listener?: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: likewise
  timeout(ms: number): { emitWithAck(event: string, ...args: any[]): Promise<unknown> };
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ClientOptions<V extends boolean = boolean> {
  /** How long a call waits for its ack before rejecting with `AckTimeoutError`. Default 10000. */
  timeoutMs?: number;
  /** Validate what arrives (acks and server events) against the contract. Default false. */
  validate?: V;
  /**
   * Receives server events that fail validation (they are not delivered to listeners). Without it, the
   * `InboundValidationError` is thrown from the socket's event dispatch: loud, not silent.
   */
  onInvalid?: (error: InboundValidationError) => void;
}

/** Per-call options, passed after the payload arguments. */
export interface CallOptions {
  timeoutMs?: number;
}

/** The payload arguments of a server event as a listener gets them: parsed when validated, as sent otherwise. */
export type ListenerArgs<O, V extends boolean> = V extends true ? ParsedArgs<O> : EmitArgs<O>;

export type Listener<O, V extends boolean> = (...args: ListenerArgs<O, V>) => void;

/**
 * The method for one client → server operation: the payload is one parameter (a tuple's elements travel as one
 * array and are spread on the wire), so that per-call options always follow it.
 */
export type ClientMethod<O, V extends boolean> = O extends { readonly reply: unknown }
  ? (...args: [...MethodPayload<O>, options?: CallOptions]) => Promise<ReplyOf<O, V>>
  : (...args: MethodPayload<O>) => void;

type MethodPayload<O> = O extends { readonly args: 'none' }
  ? []
  : O extends { readonly payload: infer S extends z.ZodType }
    ? [payload: z.input<S>]
    : [payload: unknown];

export interface ClientBase<C extends NamespaceContract, V extends boolean> {
  readonly socket: ClientSocket;
  /** Listens to a server event; returns a function that removes the listener. */
  on<E extends SendEvent<C>>(event: E, listener: Listener<C['send'][E], V>): () => void;
  /** Removes a listener added with `on` or `once` (the most recently added one, if added several times). */
  off<E extends SendEvent<C>>(event: E, listener: Listener<C['send'][E], V>): void;
  /** Like `on`, for the first (valid, when validating) delivery only; returns a function that removes it. */
  once<E extends SendEvent<C>>(event: E, listener: Listener<C['send'][E], V>): () => void;
}

export type ClientMethods<C extends NamespaceContract, V extends boolean> = {
  readonly [E in keyof C['receive'] as C['receive'][E]['method']]: ClientMethod<C['receive'][E], V>;
};

/**
 * The client `createClient` returns. Generated code types it more precisely with its own interfaces; this
 * type already follows the contract: method names, argument and reply types, server event listeners.
 */
export type RuntimeClient<C extends NamespaceContract, V extends boolean = boolean> = ClientBase<C, V> &
  ClientMethods<C, V>;

type AnyListener = (...args: unknown[]) => void;

const RESERVED = new Set(['socket', 'on', 'off', 'once']);

/**
 * Builds the typed client. Calls with a reply use `socket.timeout(ms).emitWithAck(...)`; the payload comes first
 * (nothing, a value, or a tuple as one array, spread on the wire) and an optional `{ timeoutMs }` follows.
 * Trailing `undefined` arguments are not sent (Socket.IO would turn them into `null`).
 */
export function createClient<C extends NamespaceContract, V extends boolean = false>(
  socket: SocketLike,
  contract: C,
  options: ClientOptions<V> = {},
): RuntimeClient<C, V> {
  const validate = options.validate === true;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const call = (event: string, op: InboundOperationContract) => {
    const hasPayload = op.args !== 'none';
    const wire = (params: unknown[]): unknown[] => {
      if (!hasPayload) return [];
      if (op.args === 'args') return Array.isArray(params[0]) ? (params[0] as unknown[]) : [params[0]];
      return trimTrailingUndefined([params[0]]);
    };
    const reply = op.reply;
    if (reply === undefined) {
      return (...params: unknown[]): void => {
        socket.emit(event, ...wire(params));
      };
    }
    return async (...params: unknown[]): Promise<unknown> => {
      const callOptions = params[hasPayload ? 1 : 0];
      const timeoutMs = (isCallOptions(callOptions) ? callOptions.timeoutMs : undefined) ?? defaultTimeout;
      let answer: unknown;
      try {
        answer = await socket.timeout(timeoutMs).emitWithAck(event, ...wire(params));
      } catch (error) {
        // With a timeout, emitWithAck rejects only when the ack did not come in time.
        throw new AckTimeoutError(event, timeoutMs, { cause: error });
      }
      if (!validate) return answer;
      const checked = await checkValueAsync(reply, answer);
      if (!checked.ok) throw new ReplyValidationError(event, checked.issues, answer);
      return checked.value;
    };
  };

  // Per event, per listener: the wrappers registered on the socket, so `off` can find them.
  const registry = new Map<string, Map<unknown, AnyListener[]>>();

  const remove = (event: string, listener: unknown, wrapper: AnyListener): void => {
    const wrappers = registry.get(event)?.get(listener);
    if (wrappers === undefined) return;
    const index = wrappers.lastIndexOf(wrapper);
    if (index === -1) return;
    wrappers.splice(index, 1);
    if (wrappers.length === 0) registry.get(event)?.delete(listener);
    socket.off(event, wrapper);
  };

  const outbound = (event: string): OutboundOperationContract => {
    const op = Object.hasOwn(contract.send, event) ? contract.send[event] : undefined;
    if (op === undefined) {
      throw new TypeError(
        `"${event}" is not a server event of ${contract.namespace}; ` +
          `its server events are: ${Object.keys(contract.send).join(', ') || '(none)'}`,
      );
    }
    return op;
  };

  const subscribe = (event: string, listener: AnyListener, once: boolean): (() => void) => {
    const op = outbound(event);
    const wrapper: AnyListener = (...received) => {
      let delivered = received;
      if (validate) {
        const checked = checkArgs(op, received, false);
        if (!checked.ok) {
          const error = new InboundValidationError(event, checked.issues, received);
          if (options.onInvalid === undefined) throw error;
          options.onInvalid(error);
          return;
        }
        delivered =
          op.args === 'none' ? [] : op.args === 'value' ? [checked.value] : (checked.value as unknown[]);
      }
      if (once) remove(event, listener, wrapper);
      listener(...delivered);
    };
    let byListener = registry.get(event);
    if (byListener === undefined) {
      byListener = new Map();
      registry.set(event, byListener);
    }
    byListener.set(listener, [...(byListener.get(listener) ?? []), wrapper]);
    socket.on(event, wrapper);
    return () => remove(event, listener, wrapper);
  };

  const base = {
    // Whichever build of socket.io-client made it, this is a socket.io-client Socket (`SocketLike`, above).
    socket: socket as ClientSocket,
    on: (event: string, listener: AnyListener) => subscribe(event, listener, false),
    once: (event: string, listener: AnyListener) => subscribe(event, listener, true),
    off: (event: string, listener: AnyListener): void => {
      const wrapper = registry.get(event)?.get(listener)?.at(-1);
      if (wrapper !== undefined) remove(event, listener, wrapper);
    },
  };
  const client: Record<string, unknown> = { ...base };
  for (const [event, op] of Object.entries(contract.receive)) {
    if (RESERVED.has(op.method) || Object.hasOwn(client, op.method)) {
      throw new TypeError(
        `createClient(${contract.namespace}): the method name "${op.method}" of "${event}" is taken ` +
          '(socket, on, off, once, or another operation); rename it in the contract',
      );
    }
    client[op.method] = call(event, op);
  }
  // The object is built from the contract at run time; its keys and signatures are what RuntimeClient<C, V> reads from C.
  return client as unknown as RuntimeClient<C, V>;
}

function isCallOptions(value: unknown): value is CallOptions {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function trimTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return end === args.length ? args : args.slice(0, end);
}
