/**
 * `client.gen.ts`: a typed client over a `socket.io-client` socket: one method per client event (payload as
 * zod's input; where there is an ack, a promise of it as zod's output, with a timeout) and typed
 * `on`/`off`/`once` for the server's events. It imports the schemas only as types, and the contract (zod) with
 * a dynamic `import()` when a client validates: a bundle of a client that does not validate has no zod.
 */
import type { IRNamespace, IROperation } from '../../ir/types.js';
import {
  docOf,
  exportConst,
  exportInterface,
  type GeneratedFile,
  id,
  importNamed,
  importStar,
  literal,
  printFile,
  propName,
  ts,
  typeRef,
  withDoc,
} from '../../print/ts.js';
import { clientSpecifier, type EmitOptions } from '../context.js';
import { failureContract } from '../contract/index.js';
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
                f.createObjectLiteralExpression([
                  f.createPropertyAssignment('wire', id(ids.wire(ns))),
                  f.createPropertyAssignment('load', loadContract(ns)),
                ]),
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
    importNamed(['createClient', 'type CallOptions', 'type ClientOptions'], clientSpecifier(options, path)),
    importNamed([ids.clientSocket(ns)], sibling('events'), true),
    importStar('s', sibling('schemas'), true),
    exportConst(
      ids.wire(ns),
      f.createAsExpression(wireOf(ns), f.createTypeReferenceNode('const')),
      `\`${ns.address}\` as a client needs it to send and receive: event and method names, argument kinds, which operations are acknowledged; no schemas.`,
    ),
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

/** The contract's wire description (its entries without schemas), for `createClient`. */
function wireOf(ns: IRNamespace): ts.Expression {
  const entries = (ops: IROperation[], inbound: boolean) =>
    f.createObjectLiteralExpression(
      wireOperations(ops).map((op) => {
        const entry: Record<string, unknown> = inbound ? { method: methodName(op) } : {};
        entry.args = op.message.payload.kind;
        // As in contract.gen.ts: an operation is acknowledged when its reply carries a payload.
        if (inbound && op.reply && op.reply.payload.kind !== 'none') entry.reply = true;
        if (inbound && op.reply?.payload.kind === 'args') entry.replyArgs = 'args';
        if (inbound && op.failure) entry.failure = failureContract(op.failure);
        const props = Object.entries(entry).map(([key, value]) =>
          f.createPropertyAssignment(key, literal(value)),
        );
        return f.createPropertyAssignment(propName(op.event), f.createObjectLiteralExpression(props, false));
      }),
      true,
    );
  return f.createObjectLiteralExpression(
    [
      f.createPropertyAssignment('namespace', literal(ns.address)),
      f.createPropertyAssignment('receive', entries(ns.receive, true)),
      f.createPropertyAssignment('send', entries(ns.send, false)),
    ],
    true,
  );
}

/** `() => import('./contract.gen.js').then((m) => m.messengerContract)`: zod, only when a client validates. */
function loadContract(ns: IRNamespace): ts.Expression {
  const imported = f.createCallExpression(
    f.createToken(ts.SyntaxKind.ImportKeyword) as ts.Expression,
    undefined,
    [f.createStringLiteral(sibling('contract'), true)],
  );
  const pick = f.createArrowFunction(
    undefined,
    undefined,
    [f.createParameterDeclaration(undefined, undefined, 'm')],
    undefined,
    undefined,
    f.createPropertyAccessExpression(id('m'), ids.contract(ns)),
  );
  return f.createArrowFunction(
    undefined,
    undefined,
    [],
    undefined,
    undefined,
    f.createCallExpression(f.createPropertyAccessExpression(imported, 'then'), undefined, [pick]),
  );
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
