/**
 * Parley's runtime: what generated server code and contracts import (`parley-socketio/runtime`). The typed client is
 * `client/` (`parley-socketio/client`): browsers load it without the server's modules.
 */
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
