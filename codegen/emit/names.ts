/**
 * Names shared by the emitters: one place decides what a generated file or identifier is called, so that
 * files importing one another agree.
 */
import type { IRMessage, IRNamespace, IROperation } from '../ir/types.js';
import { camelCase, pascalCase } from '../print/ts.js';

export const files = {
  schemas: 'schemas.gen.ts',
  contract: 'contract.gen.ts',
  events: 'events.gen.ts',
  server: 'server.gen.ts',
  client: 'client.gen.ts',
  models: 'models.gen.ts',
  index: 'index.gen.ts',
} as const;

export type FileKind = keyof typeof files;

/** `messenger/server.gen.ts` */
export function filePath(ns: IRNamespace, kind: FileKind): string {
  return `${ns.ident}/${files[kind]}`;
}

/** The import specifier of a sibling generated file: `./schemas.gen.js`. */
export function sibling(kind: FileKind): string {
  return `./${files[kind].replace(/\.ts$/, '.js')}`;
}

/** `Messenger` */
export function nsType(ns: IRNamespace): string {
  return pascalCase(ns.ident);
}

export const ids = {
  contract: (ns: IRNamespace) => `${ns.ident}Contract`,
  wire: (ns: IRNamespace) => `${ns.ident}Wire`,
  contractType: (ns: IRNamespace) => `${nsType(ns)}Contract`,
  clientToServer: (ns: IRNamespace) => `${nsType(ns)}ClientToServerEvents`,
  serverToClient: (ns: IRNamespace) => `${nsType(ns)}ServerToClientEvents`,
  interServer: (ns: IRNamespace) => `${nsType(ns)}InterServerEvents`,
  socketData: (ns: IRNamespace) => `${nsType(ns)}SocketData`,
  namespace: (ns: IRNamespace) => `${nsType(ns)}Namespace`,
  serverSocket: (ns: IRNamespace) => `${nsType(ns)}ServerSocket`,
  clientSocket: (ns: IRNamespace) => `${nsType(ns)}ClientSocket`,
  handlers: (ns: IRNamespace) => `${nsType(ns)}Handlers`,
  context: (ns: IRNamespace) => `${nsType(ns)}Context`,
  register: (ns: IRNamespace) => `register${nsType(ns)}`,
  client: (ns: IRNamespace) => `${nsType(ns)}Client`,
  listeners: (ns: IRNamespace) => `${nsType(ns)}ServerListeners`,
  createClient: (ns: IRNamespace) => `create${nsType(ns)}Client`,
};

/** The payload schema's const and output type (`SendMessagePayload`), and its input type. */
export function payloadType(msg: IRMessage, side: 'output' | 'input'): string {
  return `${msg.typeName}Payload${side === 'input' ? 'Input' : ''}`;
}

/** The typed client's method for a client event: `sendMessage` for `send_message`. */
export function methodName(op: IROperation): string {
  return camelCase(op.event);
}

/** Operations that travel as Socket.IO events (reserved ones such as `connect_error` are documentation). */
export function wireOperations(ops: IROperation[]): IROperation[] {
  return ops.filter((op) => !op.reserved);
}
