/**
 * Parley's typed client (`parley-socketio/client`): a thin layer over a `socket.io-client` socket, built from a
 * namespace's contract, for browsers and Node. One method per client → server operation (named by its
 * `method`), plus `on` / `off` / `once` for server events.
 *
 * It imports no zod and none of the server: sending and receiving need only the contract's wire description
 * (event names, method names, argument kinds). The schemas are needed only to validate (`validate: true`);
 * generated clients pass them as a `load` function that imports them when a client first validates, so a
 * browser bundle that does not validate leaves zod out.
 */
import type { Socket as ClientSocket } from 'socket.io-client';
import type { z } from 'zod';
import { checkArgs, checkValueAsync } from '../runtime/check.js';
import type { ArgsKind, FailureContract, NamespaceContract } from '../runtime/contract.js';
import { AckTimeoutError, InboundValidationError, ReplyValidationError } from '../runtime/errors.js';
import type { EmitArgs, ParsedArgs, ReplyOf, SendEvent } from '../runtime/types.js';

export {
  AckTimeoutError,
  InboundValidationError,
  type Issue,
  ParleyError,
  ReplyValidationError,
} from '../runtime/errors.js';
export type { ClientSocket };

/** A namespace without its schemas: what a client needs to send and receive (a `NamespaceContract` is one). */
export interface WireContract {
  readonly namespace: string;
  /** Client → server operations by event name; `reply` is present (truthy) when the operation is acked. */
  readonly receive: {
    readonly [event: string]: {
      readonly method: string;
      readonly args: ArgsKind;
      readonly reply?: unknown;
      /** `'args'`: the ack's arguments are a tuple (collected whole). */
      readonly replyArgs?: ArgsKind;
      /** Where a failure goes when the ack cannot carry it (for `AckTimeoutError`'s message). */
      readonly failure?: FailureContract;
    };
  };
  /** Server → client events by event name. */
  readonly send: { readonly [event: string]: { readonly args: ArgsKind } };
}

/** The wire description now, the full contract (with its zod schemas) imported when a client validates. */
export interface LazyContract<C extends NamespaceContract> {
  readonly wire: WireContract;
  readonly load: () => Promise<C>;
}

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
  timeout(ms: number): {
    // biome-ignore lint/suspicious/noExplicitAny: likewise
    emit(event: string, ...args: any[]): unknown;
    // biome-ignore lint/suspicious/noExplicitAny: likewise
    emitWithAck(event: string, ...args: any[]): Promise<unknown>;
  };
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
  contract: C | LazyContract<C>,
  options: ClientOptions<V> = {},
): RuntimeClient<C, V> {
  const validate = options.validate === true;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const wire: WireContract = 'load' in contract ? contract.wire : contract;

  // The schemas: at hand when given the full contract; otherwise imported once, as soon as a validating client
  // is created, and events that arrive before they are loaded wait for them (in order: every delivery waits on
  // the same promise, and the line that records the schemas was chained to it first).
  let schemas: NamespaceContract | undefined = 'load' in contract ? undefined : contract;
  let loading: Promise<NamespaceContract> | undefined;
  const loaded = (): Promise<NamespaceContract> => {
    if (schemas !== undefined) return Promise.resolve(schemas);
    loading ??= (contract as LazyContract<C>).load().then((full) => {
      schemas = full;
      return full;
    });
    return loading;
  };
  if (validate && schemas === undefined) loaded().catch(() => {}); // reported where a delivery or call awaits it

  const call = (event: string, op: WireContract['receive'][string]) => {
    const hasPayload = op.args !== 'none';
    const wireArgs = (params: unknown[]): unknown[] => {
      if (!hasPayload) return [];
      if (op.args === 'args') return Array.isArray(params[0]) ? (params[0] as unknown[]) : [params[0]];
      return trimTrailingUndefined([params[0]]);
    };
    if (!op.reply) {
      return (...params: unknown[]): void => {
        socket.emit(event, ...wireArgs(params));
      };
    }
    return async (...params: unknown[]): Promise<unknown> => {
      const callOptions = params[hasPayload ? 1 : 0];
      const timeoutMs = (isCallOptions(callOptions) ? callOptions.timeoutMs : undefined) ?? defaultTimeout;
      let answer: unknown;
      try {
        // emitWithAck keeps only the ack's first argument: a tuple reply is collected whole.
        answer =
          op.replyArgs === 'args'
            ? await new Promise((resolve, reject) => {
                socket
                  .timeout(timeoutMs)
                  .emit(event, ...wireArgs(params), (error: unknown, ...args: unknown[]) =>
                    error ? reject(error) : resolve(args),
                  );
              })
            : await socket.timeout(timeoutMs).emitWithAck(event, ...wireArgs(params));
      } catch (error) {
        // With a timeout, emitWithAck rejects only when the ack did not come in time.
        throw new AckTimeoutError(event, timeoutMs, { cause: error, failure: op.failure });
      }
      if (!validate) return answer;
      const reply = (await loaded()).receive[event]?.reply;
      if (reply === undefined) return answer;
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

  const outbound = (event: string): void => {
    if (!Object.hasOwn(wire.send, event)) {
      throw new TypeError(
        `"${event}" is not a server event of ${wire.namespace}; ` +
          `its server events are: ${Object.keys(wire.send).join(', ') || '(none)'}`,
      );
    }
  };

  /** The arguments to deliver, checked against the schemas; `undefined` when they are invalid (reported). */
  const checkedArgs = (
    full: NamespaceContract,
    event: string,
    received: unknown[],
  ): unknown[] | undefined => {
    const op = full.send[event]!;
    const checked = checkArgs(op, received, false);
    if (!checked.ok) {
      const error = new InboundValidationError(event, checked.issues, received);
      if (options.onInvalid === undefined) throw error;
      options.onInvalid(error);
      return undefined;
    }
    return op.args === 'none' ? [] : op.args === 'value' ? [checked.value] : (checked.value as unknown[]);
  };

  const subscribe = (event: string, listener: AnyListener, once: boolean): (() => void) => {
    outbound(event);
    const deliver = (args: unknown[] | undefined): void => {
      if (args === undefined) return;
      if (once) remove(event, listener, wrapper);
      listener(...args);
    };
    const wrapper: AnyListener = (...received) => {
      if (!validate) return deliver(received);
      if (schemas !== undefined) return deliver(checkedArgs(schemas, event, received));
      void loaded().then((full) => deliver(checkedArgs(full, event, received)));
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
  for (const [event, op] of Object.entries(wire.receive)) {
    if (RESERVED.has(op.method) || Object.hasOwn(client, op.method)) {
      throw new TypeError(
        `createClient(${wire.namespace}): the method name "${op.method}" of "${event}" is taken ` +
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
