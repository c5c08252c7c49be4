/**
 * Parley's runtime: what generated code imports (`parley/runtime`).
 */
export {
  type CallOptions,
  type ClientBase,
  type ClientMethod,
  type ClientMethods,
  type ClientOptions,
  type ClientSocket,
  createClient,
  DEFAULT_TIMEOUT_MS,
  type Listener,
  type ListenerArgs,
  type RuntimeClient,
  type SocketLike,
} from './client.js';
export type * from './contract.js';
export * from './errors.js';
export {
  type BindOptions,
  type BoundNamespace,
  type BroadcastTarget,
  bindNamespace,
  createEmitter,
  type EmitTarget,
  type Emitter,
  type Handler,
  type HandlerContext,
  type Handlers,
  type Rooms,
} from './server.js';
export type * from './types.js';
