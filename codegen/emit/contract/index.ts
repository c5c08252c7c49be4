/**
 * `contract.gen.ts`: the namespace as data for the runtime (event names, argument kinds, zod schemas, the
 * error shape). The runtime's server binding and client read it; nothing else in it is behaviour.
 */
import type { FailureContract } from '../../../runtime/contract.js';
import type { IRFailure, IRNamespace, IROperation } from '../../ir/types.js';
import {
  access,
  exportConst,
  exportType,
  type GeneratedFile,
  importNamed,
  importStar,
  literal,
  printFile,
  propName,
  ts,
  typeOf,
} from '../../print/ts.js';
import { type EmitOptions, runtimeSpecifier } from '../context.js';
import { filePath, ids, methodName, payloadType, sibling, wireOperations } from '../names.js';

const f = ts.factory;

export function emitContract(ns: IRNamespace, options: EmitOptions): GeneratedFile {
  const path = filePath(ns, 'contract');
  const entries = (ops: IROperation[], inbound: boolean) =>
    f.createObjectLiteralExpression(
      wireOperations(ops).map((op) =>
        f.createPropertyAssignment(propName(op.event), operationEntry(op, inbound)),
      ),
      true,
    );
  const contract = f.createObjectLiteralExpression(
    [
      f.createPropertyAssignment('namespace', literal(ns.address)),
      f.createPropertyAssignment('name', literal(ns.ident)),
      f.createPropertyAssignment('auth', literal(ns.auth)),
      f.createPropertyAssignment('errors', literal(ns.errors)),
      f.createPropertyAssignment('receive', entries(ns.receive, true)),
      f.createPropertyAssignment('send', entries(ns.send, false)),
    ],
    true,
  );
  const typed = f.createSatisfiesExpression(
    f.createAsExpression(contract, f.createTypeReferenceNode('const')),
    f.createTypeReferenceNode('NamespaceContract'),
  );
  const statements = [
    importNamed(['NamespaceContract'], runtimeSpecifier(options, path), true),
    ...(usesSchemas(ns) ? [importStar('s', sibling('schemas'))] : []),
    exportConst(ids.contract(ns), typed, `The \`${ns.address}\` namespace as data for Parley's runtime.`),
    exportType(
      ids.contractType(ns),
      typeOf(ids.contract(ns)),
      'Its type, for `Emitter<…>` and other runtime generics.',
    ),
  ];
  return { path, contents: printFile(statements) };
}

function operationEntry(op: IROperation, inbound: boolean): ts.Expression {
  const props: ts.ObjectLiteralElementLike[] = [f.createPropertyAssignment('event', literal(op.event))];
  if (inbound) props.push(f.createPropertyAssignment('method', literal(methodName(op))));
  props.push(f.createPropertyAssignment('args', literal(op.message.payload.kind)));
  if (op.message.payload.kind !== 'none') {
    props.push(f.createPropertyAssignment('payload', access('s', payloadType(op.message, 'output'))));
  }
  if (inbound && op.reply && op.reply.payload.kind !== 'none') {
    props.push(f.createPropertyAssignment('reply', access('s', payloadType(op.reply, 'output'))));
  }
  if (inbound && op.reply?.payload.kind === 'args')
    props.push(f.createPropertyAssignment('replyArgs', literal('args')));
  if (inbound && op.failure)
    props.push(f.createPropertyAssignment('failure', literal(failureContract(op.failure))));
  return f.createObjectLiteralExpression(props, false);
}

/** What the runtime needs of the failure fact: the templates are on the namespace's `errors`. */
export function failureContract(failure: IRFailure): FailureContract {
  switch (failure.via) {
    case 'ack':
      return { via: 'ack' };
    case 'event':
      return { via: 'event', event: failure.event };
    case 'log':
      return failure;
  }
}

function usesSchemas(ns: IRNamespace): boolean {
  return [...ns.receive, ...ns.send].some(
    (op) => op.message.payload.kind !== 'none' || op.reply !== undefined,
  );
}
