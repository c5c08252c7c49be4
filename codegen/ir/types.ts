/**
 * The intermediate representation between the AsyncAPI document and every emitter.
 *
 * Built once by `ir/build.ts` from the parsed document; emitters are pure functions of it and never
 * look at the AsyncAPI document themselves. Schemas stay JSON Schema (as resolved by the parser, so
 * they may be circular); `x-parser-schema-id` names component schemas.
 *
 * @see https://www.asyncapi.com/docs/reference/specification/v3.0.0
 */

/** A resolved AsyncAPI Schema Object (a draft-07 superset). Circular where the spec recurses. */
export type JsonSchema = { readonly [key: string]: unknown };

/** JSON pointer into the root document, e.g. `/channels/messenger/messages/send_message`. */
export type Pointer = string;

export interface IRDocument {
  title: string;
  version: string;
  description?: string;
  /** Path of the root spec file, as given. */
  source: string;
  namespaces: IRNamespace[];
}

/** An AsyncAPI channel: one Socket.IO namespace. */
export interface IRNamespace {
  /** Channel key in `channels:`. */
  channelId: string;
  /** The namespace, e.g. `/messenger` or `/`. */
  address: string;
  /** A TypeScript identifier stem, e.g. `messenger` (`/` is `canonical` unless `x-parley-name` says otherwise). */
  ident: string;
  title?: string;
  description?: string;
  auth: IRAuth;
  errors: IRErrorShape;
  /** Client → server events (operation `action: receive`), in spec order. */
  receive: IROperation[];
  /** Server → client events (operation `action: send`), in spec order. */
  send: IROperation[];
  pointer: Pointer;
}

/** How a client proves who it is (`x-parley-auth` on the channel). */
export interface IRAuth {
  /** Where the handshake looks for a token, in order: `auth.token`, `query.token`. Empty: no handshake auth. */
  handshake: string[];
  /** Event that authenticates after connecting (seed 003's `authenticate`), if any. */
  event?: string;
  /** Server event sent to a socket as soon as it is authenticated (seed 004's `authenticated`). */
  welcome?: string;
  /**
   * How a refused handshake token is reported when not with `connect_error`: the connection is accepted, this
   * event is sent with the rendered template (as in `x-parley-errors`), then the server disconnects.
   */
  reject?: { event: string; payload: unknown };
}

/**
 * The namespace's documented error shape (`x-parley-errors` on the channel). Templates are JSON values in
 * which the strings `{code}`, `{message}`, `{event}` and `{issues}` are filled in at run time.
 */
export interface IRErrorShape {
  /** Server event used to report an error on an operation without an ack. */
  event?: string;
  /** Payload template for `event`. */
  payload?: unknown;
  /** Ack template for operations that have a reply. */
  ack?: unknown;
}

export type Direction = 'receive' | 'send';

export interface IROperation {
  /** Operation key in `operations:`. */
  id: string;
  action: Direction;
  /** The Socket.IO event name: the message's `name`. */
  event: string;
  summary?: string;
  description?: string;
  message: IRMessage;
  /** The acknowledgement (`reply`), if the operation has one. */
  reply?: IRMessage;
  /** What the server emits in response, and to whom (`x-parley-effects`). */
  effects: IREffect[];
  /** Overrides the namespace's error event for this operation (`x-parley-error-event`). */
  errorEvent?: string;
  /**
   * How a failure of this operation reaches the client, decided once here (for operations a client emits;
   * `undefined` for server events and Socket.IO's reserved ones). Runtime, harness, docs, diff and validation
   * read it instead of working it out from `reply`, `errorEvent` and the namespace's `errors`.
   */
  failure?: IRFailure;
  /** Why no conformance case can observe this event (`x-parley-untestable`). */
  untestable?: string;
  /** A Socket.IO reserved event (`connect_error`): documented, never in the event maps. */
  reserved: boolean;
  pointer: Pointer;
}

export interface IRMessage {
  /** Message key in the channel's `messages:`. */
  key: string;
  /** `name`: the event name (for an ack message, its label: its key when it has no `name`). */
  name: string;
  /** An ack message without `name`, labelled with its key. */
  nameFromKey?: true;
  /** PascalCase stem for generated identifiers, unique within the namespace. */
  typeName: string;
  title?: string;
  summary?: string;
  description?: string;
  payload: IRPayload;
  examples: IRExample[];
  pointer: Pointer;
}

/**
 * How a failed operation is reported:
 * - `ack`: in its ack, as `x-parley-errors.ack` rendered (the operation has a reply that can carry it);
 * - `event`: with an error event to the emitting socket (`x-parley-error-event` on the operation, else the
 *   namespace's `x-parley-errors.event`), its payload `x-parley-errors.payload` rendered; an ack the client
 *   asked for is then left unanswered (an empty reply would be a lie);
 * - `log`: nowhere on the wire, because the spec documents no way: the server logs it, an ack is left
 *   unanswered (the client's `AckTimeoutError` says why).
 */
export type IRFailure =
  | { via: 'ack'; template: unknown }
  | { via: 'event'; event: string; template?: unknown; declaredBy: 'operation' | 'namespace' }
  | { via: 'log'; reason: string };

/**
 * The arguments of an emit. `none`: `socket.emit('ping')`. `value`: one argument of any JSON type.
 * `args`: several arguments, written as a tuple (see `tupleOf` in `json-schema.ts`): the listed `items`, then
 * `rest`: `false` when no more may follow (a closed tuple), else the schema of each further one (`{}`: any).
 */
export type IRPayload =
  | { kind: 'none' }
  | { kind: 'value'; schema: JsonSchema }
  | { kind: 'args'; items: JsonSchema[]; rest: JsonSchema | false };

export interface IRExample {
  name?: string;
  summary?: string;
  payload: unknown;
  pointer: Pointer;
}

/** Who receives an effect. */
export type Audience =
  /** the emitting socket only */
  | 'sender'
  /** every socket of the emitting user (all tabs) */
  | 'sender-user'
  /** every member of the room named by `room`, sender included */
  | 'room'
  /** every member of the room named by `room` but the sender */
  | 'room-others'
  /** every socket of the user named by `target` */
  | 'target-user'
  /** every socket in the namespace */
  | 'everyone'
  /** every socket in the namespace but the sender */
  | 'others';

export interface IREffect {
  event: string;
  to: Audience;
  /** Payload field naming the room, for `room` and `room-others`. */
  room?: string;
  /** Payload field naming the user, for `target-user`. */
  target?: string;
  /** When it happens; default `success`. */
  when: 'success' | 'failure' | 'always';
  /**
   * What the event repeats of the request, as `effect path: request path` (dotted, list indexes as numbers):
   * `{ "message.content": content }` says the emitted `message.content` equals the request's `content`.
   */
  carries?: Record<string, string>;
  description?: string;
  pointer: Pointer;
}
