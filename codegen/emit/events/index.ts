/**
 * `events.gen.ts`: Socket.IO's own typed-event shapes (`lib/typed-events.ts`) for one namespace, so that
 * `Server`/`Namespace` and the client `Socket` are typed without a wrapper and never fall back to
 * `DefaultEventsMap`. The ack is the last parameter of an event's function type.
 *
 * Payloads are typed for the sender (zod input); an ack's reply for the client, which receives it (zod output).
 */
import type { IRMessage, IRNamespace, IROperation } from '../../ir/types.js';
import {
  docOf,
  exportInterface,
  exportType,
  type GeneratedFile,
  id,
  importNamed,
  importStar,
  printFile,
  propName,
  ts,
  typeRef,
  withDoc,
} from '../../print/ts.js';
import { filePath, ids, payloadType, sibling, wireOperations } from '../names.js';

const f = ts.factory;

export function emitEvents(ns: IRNamespace): GeneratedFile {
  const cts = ids.clientToServer(ns);
  const stc = ids.serverToClient(ns);
  const ise = ids.interServer(ns);
  const data = ids.socketData(ns);
  const maps = [cts, stc, ise, data].map((name) => typeRef(name));
  const statements = [
    importNamed(['Namespace', 'Socket'], 'socket.io', true),
    importNamed(['Socket as ClientSocket'], 'socket.io-client', true),
    importStar('s', sibling('schemas')),
    exportInterface(
      cts,
      wireOperations(ns.receive).map((op) => eventMember(op, 'input')),
      `Events a client emits on \`${ns.address}\` and the server handles.`,
    ),
    exportInterface(
      stc,
      wireOperations(ns.send).map((op) => eventMember(op, 'input')),
      `Events the server emits on \`${ns.address}\`.`,
    ),
    exportInterface(
      ise,
      [],
      'Events between server processes (none: the Redis adapter forwards broadcasts as they are).',
    ),
    exportInterface(
      data,
      [
        f.createPropertySignature(
          undefined,
          'user',
          f.createToken(ts.SyntaxKind.QuestionToken),
          typeRef('unknown'),
        ),
      ],
      'What the server keeps on each socket (`socket.data`): the authenticated user.',
    ),
    exportType(ids.namespace(ns), typeRef('Namespace', ...maps), `The \`${ns.address}\` namespace, typed.`),
    exportType(
      ids.serverSocket(ns),
      typeRef('Socket', ...maps),
      'A server-side socket of this namespace, typed.',
    ),
    exportType(
      ids.clientSocket(ns),
      typeRef('ClientSocket', typeRef(stc), typeRef(cts)),
      'A client socket of this namespace, typed.',
    ),
  ];
  return { path: filePath(ns, 'events'), contents: printFile(statements) };
}

/** `'send_message': (payload: s.SendMessagePayloadInput, ack: (reply: s.SendMessageAckPayload) => void) => void;` */
function eventMember(op: IROperation, side: 'input' | 'output'): ts.TypeElement {
  let params = payloadParams(op.message, side);
  if (op.reply) {
    const ack = fn(payloadParams(op.reply, 'output'));
    // A rest parameter must be the last: several arguments and an ack are one tuple, `[...args, ack]`.
    params =
      op.message.payload.kind === 'args'
        ? [
            restParam(
              f.createTupleTypeNode([
                f.createRestTypeNode(payloadTypeNode(op.message, side)),
                named('ack', ack),
              ]),
            ),
          ]
        : [...params, param('ack', ack)];
  }
  return withDoc(f.createPropertySignature(undefined, propName(op.event), undefined, fn(params)), docOf(op));
}

function payloadTypeNode(msg: IRMessage, side: 'input' | 'output'): ts.TypeNode {
  return f.createTypeReferenceNode(f.createQualifiedName(id('s'), payloadType(msg, side)));
}

function restParam(type: ts.TypeNode): ts.ParameterDeclaration {
  return f.createParameterDeclaration(
    undefined,
    f.createToken(ts.SyntaxKind.DotDotDotToken),
    'args',
    undefined,
    type,
  );
}

function named(name: string, type: ts.TypeNode): ts.NamedTupleMember {
  return f.createNamedTupleMember(undefined, id(name), undefined, type);
}

/** The parameters that carry a message's payload: none, one, or a spread tuple. */
export function payloadParams(
  msg: IRMessage,
  side: 'input' | 'output',
  name = 'payload',
): ts.ParameterDeclaration[] {
  const type = payloadTypeNode(msg, side);
  switch (msg.payload.kind) {
    case 'none':
      return [];
    case 'value':
      return [param(name, type)];
    case 'args':
      return [restParam(type)];
  }
}

export function param(name: string, type: ts.TypeNode, optional = false): ts.ParameterDeclaration {
  return f.createParameterDeclaration(
    undefined,
    undefined,
    name,
    optional ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined,
    type,
  );
}

export function fn(
  params: ts.ParameterDeclaration[],
  returns: ts.TypeNode = typeRef('void'),
): ts.FunctionTypeNode {
  return f.createFunctionTypeNode(undefined, params, returns);
}
