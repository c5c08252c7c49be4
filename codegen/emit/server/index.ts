/**
 * `server.gen.ts`: the handlers interface of one namespace and the `register` function binding it to a
 * Socket.IO namespace through the runtime (which validates each inbound payload once, acks, and turns
 * failures into the namespace's documented error shape).
 *
 * Handlers receive what the server receives, typed as zod's output; they return the ack as zod's input.
 */
import type { IRNamespace, IROperation } from '../../ir/types.js';
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
  typeOf,
  typeRef,
  union,
  withDoc,
} from '../../print/ts.js';
import { type EmitOptions, runtimeSpecifier } from '../context.js';
import { param } from '../events/index.js';
import { filePath, ids, payloadType, sibling, wireOperations } from '../names.js';

const f = ts.factory;

export function emitServer(ns: IRNamespace, options: EmitOptions): GeneratedFile {
  const path = filePath(ns, 'server');
  const tUser = f.createTypeParameterDeclaration(undefined, 'TUser', undefined, typeRef('unknown'));
  const ctxType = typeRef(ids.context(ns), typeRef('TUser'));
  const register = f.createFunctionDeclaration(
    [f.createModifier(ts.SyntaxKind.ExportKeyword)],
    undefined,
    ids.register(ns),
    [tUser],
    [
      param('nsp', typeRef('Namespace')),
      param('handlers', typeRef('Partial', typeRef(ids.handlers(ns), typeRef('TUser')))),
      param('options', typeRef('BindOptions', typeRef('TUser')), true),
    ],
    typeRef('BoundNamespace', typeOf(ids.contract(ns))),
    f.createBlock(
      [
        f.createReturnStatement(
          f.createCallExpression(id('bindNamespace'), undefined, [
            id('nsp'),
            id(ids.contract(ns)),
            id('handlers'),
            id('options'),
          ]),
        ),
      ],
      true,
    ),
  );
  const statements = [
    importNamed(['Namespace'], 'socket.io', true),
    importNamed(
      ['bindNamespace', 'type BoundNamespace', 'type BindOptions', 'type HandlerContext'],
      runtimeSpecifier(options, path),
    ),
    importNamed([ids.contract(ns)], sibling('contract')),
    importStar('s', sibling('schemas')),
    exportType(
      ids.context(ns),
      typeRef('HandlerContext', typeRef('TUser'), typeOf(ids.contract(ns))),
      'What every handler of this namespace gets besides its payload: the user, the socket, a validating emitter.',
      [tUser],
    ),
    exportInterface(
      ids.handlers(ns),
      wireOperations(ns.receive).map((op) => handlerMember(op, ctxType)),
      `Handlers for the events clients emit on \`${ns.address}\`, one per operation in the spec.`,
      [tUser],
    ),
    withDoc(
      register,
      `Bind \`handlers\` to the \`${ns.address}\` namespace. An event without a handler is answered with NOT_IMPLEMENTED.`,
    ),
  ];
  return { path, contents: printFile(statements) };
}

function handlerMember(op: IROperation, ctxType: ts.TypeNode): ts.TypeElement {
  const payload =
    op.message.payload.kind === 'none'
      ? typeRef('undefined')
      : f.createTypeReferenceNode(f.createQualifiedName(id('s'), payloadType(op.message, 'output')));
  const ack =
    op.reply && op.reply.payload.kind !== 'none'
      ? f.createTypeReferenceNode(f.createQualifiedName(id('s'), payloadType(op.reply, 'input')))
      : typeRef('void');
  return withDoc(
    f.createMethodSignature(
      undefined,
      propName(op.event),
      undefined,
      undefined,
      [param('payload', payload), param('ctx', ctxType)],
      union([ack, typeRef('Promise', ack)]),
    ),
    handlerDoc(op),
  );
}

/** The handler's JSDoc: the spec's words, then what it must answer and emit. */
function handlerDoc(op: IROperation): string {
  const lines = [docOf(op) ?? `Handles \`${op.event}\`.`];
  if (op.reply) lines.push(`Returns the ack (${op.reply.name || op.reply.key}).`);
  for (const e of op.effects) {
    const whom = e.room ? `${e.to} (${e.room})` : e.target ? `${e.to} (${e.target})` : e.to;
    lines.push(`Emits \`${e.event}\` to ${whom}${e.when === 'success' ? '' : ` on ${e.when}`}.`);
  }
  return lines.join('\n');
}
