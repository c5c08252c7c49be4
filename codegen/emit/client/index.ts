/**
 * `client.gen.ts`: a typed client over a `socket.io-client` socket: one method per client event (payload as
 * zod's input; where there is an ack, a promise of it as zod's output, with a timeout) and typed
 * `on`/`off`/`once` for the server's events.
 */
import type { IRNamespace, IROperation } from '../../ir/types.js';
import {
  docOf,
  exportInterface,
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
import { type EmitOptions, runtimeSpecifier } from '../context.js';
import { fn, param, payloadParams } from '../events/index.js';
import { filePath, ids, methodName, payloadType, sibling, wireOperations } from '../names.js';

const f = ts.factory;

export function emitClient(ns: IRNamespace, options: EmitOptions): GeneratedFile {
  const path = filePath(ns, 'client');
  const listeners = ids.listeners(ns);
  const eventParam = f.createTypeParameterDeclaration(
    undefined,
    'E',
    f.createTypeOperatorNode(ts.SyntaxKind.KeyOfKeyword, typeRef(listeners)),
  );
  const listenerOf = f.createIndexedAccessTypeNode(typeRef(listeners), typeRef('E'));
  const subscribe = (name: string, returns: ts.TypeNode, doc: string) =>
    withDoc(
      f.createMethodSignature(
        undefined,
        name,
        undefined,
        [eventParam],
        [param('event', typeRef('E')), param('listener', listenerOf)],
        returns,
      ),
      doc,
    );
  const unsubscribe = fn([]);
  const factory = f.createFunctionDeclaration(
    [f.createModifier(ts.SyntaxKind.ExportKeyword)],
    undefined,
    ids.createClient(ns),
    undefined,
    [param('socket', typeRef('ClientSocket')), param('options', typeRef('ClientOptions'), true)],
    typeRef(ids.client(ns)),
    f.createBlock(
      [
        f.createReturnStatement(
          f.createAsExpression(
            f.createAsExpression(
              f.createCallExpression(id('createClient'), undefined, [
                id('socket'),
                id(ids.contract(ns)),
                id('options'),
              ]),
              typeRef('unknown'),
            ),
            typeRef(ids.client(ns)),
          ),
        ),
      ],
      true,
    ),
  );
  const statements = [
    importNamed(['Socket as ClientSocket'], 'socket.io-client', true),
    importNamed(['createClient', 'type CallOptions', 'type ClientOptions'], runtimeSpecifier(options, path)),
    importNamed([ids.contract(ns)], sibling('contract')),
    importNamed([ids.clientSocket(ns)], sibling('events'), true),
    importStar('s', sibling('schemas')),
    exportInterface(
      listeners,
      wireOperations(ns.send).map((op) =>
        withDoc(
          f.createPropertySignature(
            undefined,
            propName(op.event),
            undefined,
            fn(payloadParams(op.message, 'output')),
          ),
          docOf(op),
        ),
      ),
      `Listeners for the events the server emits on \`${ns.address}\`.`,
    ),
    exportInterface(
      ids.client(ns),
      [
        withDoc(
          f.createPropertySignature(
            [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)],
            'socket',
            undefined,
            typeRef(ids.clientSocket(ns)),
          ),
          "The underlying socket, typed with this namespace's events.",
        ),
        ...wireOperations(ns.receive).map(clientMethod),
        subscribe('on', unsubscribe, 'Listen to a server event; returns a function that stops listening.'),
        subscribe(
          'once',
          unsubscribe,
          'Listen to the next occurrence of a server event; returns a function that stops listening.',
        ),
        subscribe('off', typeRef('void'), 'Stop a listener added with `on`.'),
      ],
      `A typed client of the \`${ns.address}\` namespace.`,
    ),
    withDoc(
      factory,
      `Wrap a socket connected to \`${ns.address}\`. With \`validate: true\`, acks and server events are checked against the spec.`,
    ),
  ];
  return { path, contents: printFile(statements) };
}

/** Several arguments (a tuple) are passed as one array, so that `options` can follow them. */
function clientMethod(op: IROperation): ts.TypeElement {
  const params =
    op.message.payload.kind === 'none'
      ? []
      : [
          param(
            'payload',
            f.createTypeReferenceNode(f.createQualifiedName(id('s'), payloadType(op.message, 'input'))),
          ),
        ];
  let returns: ts.TypeNode = typeRef('void');
  if (op.reply) {
    params.push(param('options', typeRef('CallOptions'), true));
    const reply =
      op.reply.payload.kind === 'none'
        ? typeRef('void')
        : f.createTypeReferenceNode(f.createQualifiedName(id('s'), payloadType(op.reply, 'output')));
    returns = typeRef('Promise', reply);
  }
  const doc = [docOf(op) ?? `Emit \`${op.event}\`.`];
  if (op.reply) doc.push('Resolves with the ack; rejects with `AckTimeoutError` when none arrives in time.');
  return withDoc(
    f.createMethodSignature(undefined, methodName(op), undefined, undefined, params, returns),
    doc.join('\n'),
  );
}
