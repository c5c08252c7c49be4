/**
 * Server side: binds a namespace's handlers to a Socket.IO namespace according to its contract, and emits
 * server events with the contract's types (and, in development, its schemas).
 */
import type { Namespace, Socket } from 'socket.io';
import type { InboundOperationContract, NamespaceContract } from './contract.js';
import {
  type ErrorCode,
  formatIssues,
  type Issue,
  isParleyError,
  notImplemented,
  OutboundValidationError,
  ParleyError,
  renderErrorTemplate,
  validationFailed,
} from './errors.js';
import type { EmitArgs, HandlerPayload, HandlerResult, ReceiveEvent, SendEvent } from './types.js';
import { type ArgsCheck, checkArgs, checkArgsSyncFirst, checkValueSyncFirst } from './validate.js';

/** A room name or several (Socket.IO rooms; a socket's id is a room holding just that socket). */
export type Rooms = string | readonly string[];

/** Emits server events of a contract to some set of sockets. */
export interface EmitTarget<C extends NamespaceContract> {
  /**
   * Emits `event` with its documented arguments (nothing for a `none` event, the tuple's elements spread for
   * an `args` event). With validation on, the payload is checked once, before anything is sent; a payload
   * that does not match throws an `OutboundValidationError` (code `INTERNAL`) and nothing is sent.
   */
  emit<E extends SendEvent<C>>(event: E, ...args: EmitArgs<C['send'][E]>): void;
}

/** A broadcast that can be narrowed further. */
export interface BroadcastTarget<C extends NamespaceContract> extends EmitTarget<C> {
  /** Only sockets in these rooms (a union when called several times). */
  to(rooms: Rooms): BroadcastTarget<C>;
  /** Not the sockets in these rooms. `except(socket.id)`: everyone but that socket. */
  except(rooms: Rooms): BroadcastTarget<C>;
}

/** Typed emits for a namespace: `emit` reaches every socket of the namespace. */
export interface Emitter<C extends NamespaceContract> extends BroadcastTarget<C> {
  /** Just this socket. */
  toSocket(socket: Socket): EmitTarget<C>;
}

export interface HandlerContext<TUser, C extends NamespaceContract> {
  /** The socket that sent the event. */
  socket: Socket;
  /** What `BindOptions.user` returned for this socket when the event arrived (`undefined` without it). */
  user: TUser;
  /** The event name as received. */
  event: string;
  /** The namespace's emitter (`ctx.emit.toSocket(ctx.socket)`, `ctx.emit.to(room).except(ctx.socket.id)`, ...). */
  emit: Emitter<C>;
}

/** A handler for one client → server operation. */
export type Handler<O, TUser, C extends NamespaceContract> = (
  payload: HandlerPayload<O>,
  ctx: HandlerContext<TUser, C>,
) => HandlerResult<O>;

/** Handlers by event name. Missing ones answer `NOT_IMPLEMENTED`. */
export type Handlers<C extends NamespaceContract, TUser> = {
  readonly [E in ReceiveEvent<C>]?: Handler<C['receive'][E], TUser, C>;
};

export interface BindOptions<TUser> {
  /**
   * Who sent an event; called for every event, so it sees what an authentication event stored on the socket.
   * Throwing a `ParleyError` (e.g. `unauthenticated()`) rejects the event with that error.
   */
  user?: (socket: Socket, event: string) => TUser;
  /** Check replies and emitted payloads against the contract. Default: `process.env.NODE_ENV !== 'production'`. */
  validateOutbound?: boolean;
  /**
   * Server-side failures: a handler threw something that is not a `ParleyError`, threw an `INTERNAL` one, or
   * returned a reply that does not match the contract. The client only gets a generic `INTERNAL` error.
   * Default: `process.emitWarning`.
   */
  onError?: (error: unknown, info: { event: string; socket: Socket }) => void;
  /**
   * How many invalid packets (validation failures, unknown events) a connection may send: a bucket of `burst`,
   * refilled at `perSecond`. The packet that finds it empty is answered with `RATE_LIMITED` instead, and the
   * socket is disconnected: a client that keeps sending what the contract refuses only costs the server work.
   * `false`: no budget. Default `{ burst: 50, perSecond: 5 }`.
   */
  invalidBudget?: { burst: number; perSecond: number } | false;
}

const DEFAULT_INVALID_BUDGET = { burst: 50, perSecond: 5 };

export interface BoundNamespace<C extends NamespaceContract> {
  emitter: Emitter<C>;
  /** Stops handling: removes every listener this binding added, on connected sockets and the namespace. */
  close(): void;
}

type Ack = (...args: unknown[]) => void;

/** A reply of several arguments (a tuple) is spread over the ack's arguments, as the event's are. */
function ackWith(op: InboundOperationContract, ack: Ack, reply: unknown): void {
  if (op.replyArgs === 'args' && Array.isArray(reply)) ack(...reply);
  else ack(reply);
}
type BroadcastOperator = ReturnType<Namespace['to']>;

interface Failure {
  code: ErrorCode;
  message: string;
  issues: Issue[];
}

const GENERIC_INTERNAL = 'internal server error';

function defaultValidate(): boolean {
  return process.env.NODE_ENV !== 'production';
}

function defaultOnError(error: unknown, info: { event: string; socket: Socket }): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.emitWarning(`parley: error while handling "${info.event}" from socket ${info.socket.id}: ${text}`, {
    code: 'PARLEY_HANDLER_ERROR',
  });
}

function eventList(events: readonly string[]): string {
  return events.length === 0 ? '(none)' : events.join(', ');
}

/** Throws when the contract object itself is inconsistent (a hand-edited or stale generated file). */
function checkContract(contract: NamespaceContract): void {
  for (const [key, op] of Object.entries(contract.receive)) {
    if (op.event !== key) {
      throw new TypeError(`contract ${contract.namespace}: receive["${key}"] has event "${op.event}"`);
    }
    if (op.args !== 'none' && op.payload === undefined) {
      throw new TypeError(
        `contract ${contract.namespace}: "${key}" has args "${op.args}" but no payload schema`,
      );
    }
  }
  for (const [key, op] of Object.entries(contract.send)) {
    if (op.event !== key) {
      throw new TypeError(`contract ${contract.namespace}: send["${key}"] has event "${op.event}"`);
    }
    if (op.args !== 'none' && op.payload === undefined) {
      throw new TypeError(
        `contract ${contract.namespace}: "${key}" has args "${op.args}" but no payload schema`,
      );
    }
  }
}

/**
 * Typed emits for `nsp`. With `validate` (default: `process.env.NODE_ENV !== 'production'`), each emit call
 * checks its payload once, whatever the number of recipients, and throws `OutboundValidationError` without
 * sending anything when it does not match. Emitting an event that is not in `contract.send` always throws.
 * What is sent is the payload as given (the schema's input form), not zod's parsed copy.
 */
export function createEmitter<C extends NamespaceContract>(
  nsp: Namespace,
  contract: C,
  options: { validate?: boolean } = {},
): Emitter<C> {
  const validate = options.validate ?? defaultValidate();
  const check = (event: string, args: readonly unknown[]): void => {
    const op = Object.hasOwn(contract.send, event) ? contract.send[event] : undefined;
    if (op === undefined) {
      throw new ParleyError(
        'INTERNAL',
        `refusing to emit "${event}": it is not a server event of ${contract.namespace}; ` +
          `the contract's server events are: ${eventList(Object.keys(contract.send))}`,
      );
    }
    if (!validate) return;
    const result = checkArgs(op, args, true);
    if (!result.ok) throw new OutboundValidationError(event, result.issues);
  };

  type Send = (event: string, ...args: unknown[]) => void;
  const target = (send: Send): EmitTarget<C> => ({
    emit: ((event: string, ...args: unknown[]) => {
      check(event, args);
      send(event, ...args);
    }) as EmitTarget<C>['emit'],
  });
  const broadcast = (operator: BroadcastOperator): BroadcastTarget<C> => ({
    ...target((event, ...args) => operator.emit(event, ...args)),
    to: (rooms) => broadcast(operator.to(roomList(rooms))),
    except: (rooms) => broadcast(operator.except(roomList(rooms))),
  });

  return {
    ...target((event, ...args) => nsp.emit(event, ...args)),
    to: (rooms) => broadcast(nsp.to(roomList(rooms))),
    except: (rooms) => broadcast(nsp.except(roomList(rooms))),
    toSocket: (socket) => target((event, ...args) => socket.emit(event, ...args)),
  };
}

function roomList(rooms: Rooms): string | string[] {
  return typeof rooms === 'string' ? rooms : [...rooms];
}

/**
 * Handles every client → server event of `contract` on `nsp` (sockets already connected and future ones).
 *
 * Per message: the payload is validated once (`VALIDATION_FAILED` with issues when it does not match), the
 * handler runs (`NOT_IMPLEMENTED` when there is none), and for an operation with a reply its result is
 * (with `validateOutbound`) checked against the reply schema and passed to the ack. Errors reach the client in
 * the way the contract says the operation reports its failure (`failure`: its ack, an error event, or only
 * `onError`, the server's log, when the spec documents no way). Events that are not in the contract are
 * answered with `VALIDATION_FAILED`.
 * Nothing a handler does can crash the process, or leave an ack unanswered where the contract gives it a way to
 * answer a failure.
 *
 * A socket's events are not queued: a handler is called as Socket.IO dispatches its event (after the socket's
 * `socket.use` middleware), within that listener call when the payload's schema is synchronous, as generated
 * schemas are, or after zod's asynchronous parse when it is not; a handler still awaiting something does not
 * hold back the socket's next event.
 */
export function bindNamespace<C extends NamespaceContract, TUser = undefined>(
  nsp: Namespace,
  contract: C,
  handlers: Handlers<C, TUser>,
  options: BindOptions<TUser> = {},
): BoundNamespace<C> {
  checkContract(contract);
  const handlerMap: Readonly<Record<string, Handler<InboundOperationContract, TUser, C> | undefined>> =
    handlers;
  for (const event of Object.keys(handlerMap)) {
    if (!Object.hasOwn(contract.receive, event)) {
      throw new TypeError(
        `bindNamespace(${contract.namespace}): there is a handler for "${event}" but the contract has no such ` +
          `client event; the contract's client events are: ${eventList(Object.keys(contract.receive))}`,
      );
    }
  }

  const budget = invalidBudget(options.invalidBudget ?? DEFAULT_INVALID_BUDGET);
  const validateOutbound = options.validateOutbound ?? defaultValidate();
  const emitter = createEmitter(nsp, contract, { validate: validateOutbound });
  const onError = options.onError ?? defaultOnError;
  const report = (error: unknown, event: string, socket: Socket): void => {
    try {
      onError(error, { event, socket });
    } catch {
      // An onError that throws must not take the process down with it.
    }
  };

  /** The error as the client sees it; `reported`: it already went to `onError` (an internal one always does). */
  const failureOf = (error: unknown, event: string, socket: Socket): Failure & { reported: boolean } => {
    if (isParleyError(error) && !(error instanceof OutboundValidationError)) {
      if (error.code === 'INTERNAL') report(error, event, socket);
      return {
        code: error.code,
        message: error.message,
        issues: error.issues ?? [],
        reported: error.code === 'INTERNAL',
      };
    }
    report(error, event, socket);
    return { code: 'INTERNAL', message: GENERIC_INTERNAL, issues: [], reported: true };
  };

  /**
   * Sends an error the way the contract says this operation reports it (`op.failure`, decided by the compiler).
   * `op` is undefined for an event that is not in the contract.
   */
  const deliver = (
    socket: Socket,
    event: string,
    op: InboundOperationContract | undefined,
    ack: Ack | undefined,
    failure: Failure & { reported: boolean },
    error: unknown,
  ): void => {
    const vars = { code: failure.code, message: failure.message, issues: failure.issues, event };
    const plain = { code: failure.code, message: failure.message, issues: failure.issues };
    const toEvent = (name: string): void => {
      socket.emit(
        name,
        contract.errors.payload === undefined ? plain : renderErrorTemplate(contract.errors.payload, vars),
      );
    };
    /** No documented way reaches the client: the server's log is where the failure goes. */
    const toLog = (): void => {
      if (!failure.reported) report(error, event, socket);
    };
    const how = op?.failure;
    if (how?.via === 'ack' || (op === undefined && ack !== undefined)) {
      if (ack !== undefined) {
        // An event that is not in the contract has no documented reply: a client that asked for an ack is
        // answered rather than left to hang, in the namespace's ack shape if it has one.
        ack(contract.errors.ack === undefined ? plain : renderErrorTemplate(contract.errors.ack, vars));
        return;
      }
      // The client asked for no ack: the namespace's error event, if it has one, still tells it.
      if (contract.errors.event !== undefined) toEvent(contract.errors.event);
      else toLog();
      return;
    }
    const errorEvent = how?.via === 'event' ? how.event : contract.errors.event;
    if (errorEvent !== undefined) toEvent(errorEvent);
    else toLog();
    // The client asked for an ack on an operation that has none: answer it (empty) rather than let it hang.
    // An operation with a reply is left unanswered: an empty reply would be a lie (its AckTimeoutError says why).
    if (op?.reply === undefined) ack?.();
  };

  const fail = (
    socket: Socket,
    event: string,
    op: InboundOperationContract | undefined,
    ack: Ack | undefined,
    error: unknown,
  ): void => {
    try {
      const invalid = isParleyError(error) && error.code === 'VALIDATION_FAILED';
      if (invalid && !budget.spend(socket)) {
        // Out of invalid packets: this one is told why, and the connection ends.
        deliver(socket, event, op, ack, { ...TOO_MANY_INVALID, reported: false }, error);
        socket.disconnect(true);
        return;
      }
      deliver(socket, event, op, ack, failureOf(error, event, socket), error);
    } catch (deliveryError) {
      report(deliveryError, event, socket);
    }
  };

  // Each message goes through the steps below, each synchronous unless what it waits for is a promise (an
  // asynchronous payload or reply schema, a handler returning a promise): a handler returning a plain value
  // with the generated (synchronous) schemas is answered within the listener call, with no await. Every step
  // catches what it throws and answers it with `fail`, which never throws, so nothing can escape a listener.

  /** Step 1: the payload. */
  const handle = (
    socket: Socket,
    event: string,
    op: InboundOperationContract,
    args: unknown[],
    ack: Ack | undefined,
  ): void => {
    try {
      const checked = checkArgsSyncFirst(op, args, false);
      if (isPromiseLike(checked)) {
        checked.then(
          (result) => run(socket, event, op, ack, result),
          (error: unknown) => fail(socket, event, op, ack, error),
        );
      } else {
        run(socket, event, op, ack, checked);
      }
    } catch (error) {
      fail(socket, event, op, ack, error);
    }
  };

  /** Step 2: the handler, with the checked payload. */
  const run = (
    socket: Socket,
    event: string,
    op: InboundOperationContract,
    ack: Ack | undefined,
    checked: ArgsCheck,
  ): void => {
    try {
      if (!checked.ok) {
        throw validationFailed(
          `invalid payload for "${event}": ${formatIssues(checked.issues)}`,
          checked.issues,
        );
      }
      const handler = handlerMap[event];
      if (handler === undefined) throw notImplemented(event);
      const user = options.user === undefined ? (undefined as TUser) : options.user(socket, event);
      const result: unknown = handler(checked.value, { socket, user, event, emit: emitter });
      if (isPromiseLike(result)) {
        Promise.resolve(result).then(
          (value) => answer(socket, event, op, ack, value),
          (error: unknown) => fail(socket, event, op, ack, error),
        );
      } else {
        answer(socket, event, op, ack, result);
      }
    } catch (error) {
      fail(socket, event, op, ack, error);
    }
  };

  /** Step 3: the ack, if the client asked for one (the reply checked first with `validateOutbound`). */
  const answer = (
    socket: Socket,
    event: string,
    op: InboundOperationContract,
    ack: Ack | undefined,
    result: unknown,
  ): void => {
    try {
      if (ack === undefined) return;
      if (op.reply === undefined) {
        ack();
        return;
      }
      if (!validateOutbound) {
        ackWith(op, ack, result);
        return;
      }
      const checked = checkValueSyncFirst(op.reply, result);
      if (isPromiseLike(checked)) {
        checked.then(
          (reply) => send(socket, event, op, ack, result, reply),
          (error: unknown) => fail(socket, event, op, ack, error),
        );
      } else {
        send(socket, event, op, ack, result, checked);
      }
    } catch (error) {
      fail(socket, event, op, ack, error);
    }
  };

  /** Step 4: the checked reply. */
  const send = (
    socket: Socket,
    event: string,
    op: InboundOperationContract,
    ack: Ack,
    result: unknown,
    reply: ArgsCheck,
  ): void => {
    try {
      if (!reply.ok) {
        const error = new OutboundValidationError(event, reply.issues, 'reply (ack)');
        report(error, event, socket);
        deliver(
          socket,
          event,
          op,
          ack,
          { code: 'INTERNAL', message: GENERIC_INTERNAL, issues: [], reported: true },
          error,
        );
        return;
      }
      ackWith(op, ack, result);
    } catch (error) {
      fail(socket, event, op, ack, error);
    }
  };

  const handleUnknown = (socket: Socket, event: string, ack: Ack | undefined): void => {
    const known = Object.keys(contract.receive);
    fail(
      socket,
      event,
      undefined,
      ack,
      validationFailed(
        `unknown event "${event}"; this namespace (${contract.namespace}) accepts: ${eventList(known)}`,
      ),
    );
  };

  // One listener per client event and one for unknown events, shared by every socket of the namespace: Socket.IO
  // calls a socket's listeners with `this` set to the socket (its EventEmitter's `emit`, and `onAny` listeners
  // are applied to it), so a socket costs the binding no closure, only its entries in the socket's listener
  // tables. Per-event listeners (not one `onAny` dispatcher) keep `socket.use` middleware in front of handlers.
  const listeners: [string, (this: Socket, ...received: unknown[]) => void][] = Object.entries(
    contract.receive,
  ).map(([event, op]) => [
    event,
    function (this: Socket, ...received: unknown[]): void {
      const ack = takeAck(received);
      try {
        handle(this, event, op, received, ack);
      } catch (error) {
        report(error, event, this);
      }
    },
  ]);

  // Unknown events have no listener of their own; `onAny` sees every event (before middleware, as it always has).
  const anyListener = function (this: Socket, event: unknown, ...received: unknown[]): void {
    const name = String(event);
    if (Object.hasOwn(contract.receive, name)) return;
    try {
      handleUnknown(this, name, takeAck(received));
    } catch (error) {
      report(error, name, this);
    }
  };

  const attach = (socket: Socket): void => {
    // Never twice. (Cheap: a socket has few any-listeners, and this one belongs to this binding alone.)
    if (socket.listenersAny().includes(anyListener)) return;
    for (const [event, listener] of listeners) socket.on(event, listener);
    socket.onAny(anyListener);
  };

  // A socket that disconnects keeps its listeners: it is never dispatched to again (Socket.IO drops the packets
  // of a disconnected socket) and goes away with them. `close` detaches the sockets still connected.
  const detach = (socket: Socket): void => {
    for (const [event, listener] of listeners) socket.off(event, listener);
    socket.offAny(anyListener);
  };

  for (const socket of nsp.sockets.values()) attach(socket);
  nsp.on('connection', attach);

  return {
    emitter,
    close: () => {
      nsp.off('connection', attach);
      for (const socket of nsp.sockets.values()) detach(socket);
    },
  };
}

/** Removes the ack callback from the end of `received` (the listener's own rest array) and returns it. */
function takeAck(received: unknown[]): Ack | undefined {
  return typeof received.at(-1) === 'function' ? (received.pop() as Ack) : undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const TOO_MANY_INVALID: Failure = {
  code: 'RATE_LIMITED',
  message: 'too many invalid packets: this connection is closed; send what the contract describes',
  issues: [],
};

/**
 * Per socket, a token bucket of invalid packets. Only sockets that sent one have an entry (a WeakMap: it goes
 * with the socket), so a well-behaved connection costs nothing.
 */
function invalidBudget(limits: { burst: number; perSecond: number } | false): {
  spend(socket: Socket): boolean;
} {
  if (limits === false) return { spend: () => true };
  const buckets = new WeakMap<Socket, { tokens: number; at: number }>();
  return {
    spend(socket) {
      const now = performance.now();
      const bucket = buckets.get(socket) ?? { tokens: limits.burst, at: now };
      bucket.tokens = Math.min(limits.burst, bucket.tokens + ((now - bucket.at) / 1000) * limits.perSecond);
      bucket.at = now;
      buckets.set(socket, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
