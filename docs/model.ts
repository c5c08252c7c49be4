/**
 * The docs stage's own view of the IR: what a reader of one operation needs, worked out once for the HTML
 * site and the Markdown files alike (payload rows, how a failure is reported, what the operation causes and
 * what causes it, the sequence of events).
 */
import type {
  IRDocument,
  IREffect,
  IRFailure,
  IRMessage,
  IRNamespace,
  IROperation,
} from '../codegen/ir/types.js';
import { type FieldRow, payloadRows } from './schema.js';
import { type Sequence, sequenceOf } from './sequence.js';

export interface DocsModel {
  title: string;
  version: string;
  description?: string;
  namespaces: NamespaceDoc[];
}

export interface NamespaceDoc {
  ns: IRNamespace;
  /** File stem of the namespace's page and Markdown file: its identifier. */
  slug: string;
  operations: OperationDoc[];
}

export interface OperationDoc {
  op: IROperation;
  ns: IRNamespace;
  /** HTML id of the operation's section, unique in the site. */
  anchor: string;
  /** `client → server` for what the client emits, `server → client` for what the server emits. */
  direction: string;
  payload: FieldRow[];
  ack?: { message: IRMessage; rows: FieldRow[] };
  /** How a failure of the operation is reported (`IROperation.failure`), for what a client emits. */
  failure?: IRFailure;
  /** Operations of the namespace whose effects emit this event. */
  causedBy: { op: IROperation; effect: IREffect }[];
  sequence: Sequence;
  /** Lower-cased text the search box matches: event, id, summary, description. */
  searchText: string;
}

export function buildModel(ir: IRDocument): DocsModel {
  const anchors = new Set<string>();
  const anchorOf = (op: IROperation): string => {
    const base = `op-${op.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    let anchor = base;
    for (let i = 2; anchors.has(anchor); i++) anchor = `${base}-${i}`;
    anchors.add(anchor);
    return anchor;
  };
  return {
    title: ir.title,
    version: ir.version,
    description: ir.description,
    namespaces: ir.namespaces.map((ns) => ({
      ns,
      slug: ns.ident,
      operations: [...ns.receive, ...ns.send].map((op) => operationDoc(ns, op, anchorOf(op))),
    })),
  };
}

function operationDoc(ns: IRNamespace, op: IROperation, anchor: string): OperationDoc {
  const causedBy = ns.receive.flatMap((trigger) =>
    op.action === 'send'
      ? trigger.effects.filter((e) => e.event === op.event).map((effect) => ({ op: trigger, effect }))
      : [],
  );
  const doc: OperationDoc = {
    op,
    ns,
    anchor,
    direction: op.action === 'receive' ? 'client → server' : 'server → client',
    payload: payloadRows(op.message.payload),
    causedBy,
    sequence: sequenceOf(ns, op, causedBy),
    searchText: [op.event, op.id, op.summary, op.description, op.message.title, op.message.summary]
      .filter((s): s is string => typeof s === 'string')
      .join(' ')
      .toLowerCase(),
  };
  if (op.reply) doc.ack = { message: op.reply, rows: payloadRows(op.reply.payload) };
  if (op.failure) doc.failure = op.failure;
  return doc;
}

/** How a client uses the event: `socket.emit('send_message', payload, (ack) => …)` or `socket.on(…)`. */
export function clientUsage(op: IROperation): string {
  const p = op.message.payload;
  const args = p.kind === 'none' ? [] : p.kind === 'args' ? p.items.map((_, i) => `arg${i}`) : ['payload'];
  const event = JSON.stringify(op.event).replaceAll('"', "'");
  if (op.reserved) return `socket.on(${event}, (err) => …)`;
  if (op.action === 'send') return `socket.on(${event}, (${args.join(', ')}) => …)`;
  if (op.reply) args.push('(ack) => …');
  return `socket.emit(${[event, ...args].join(', ')})`;
}

export const AUDIENCE_TEXT: Record<IREffect['to'], string> = {
  sender: 'the sender',
  'sender-user': "every tab of the sender's user",
  room: 'the room (sender included)',
  'room-others': 'the room, except the sender',
  'target-user': 'every tab of the target user',
  everyone: 'every socket in the namespace',
  others: 'every socket in the namespace but the sender',
};

/** `the room named by `conversationId` (sender included)`, plain text. */
export function audienceText(effect: IREffect): string {
  switch (effect.to) {
    case 'room':
      return `the room named by \`${effect.room ?? 'room'}\` (sender included)`;
    case 'room-others':
      return `the room named by \`${effect.room ?? 'room'}\`, except the sender`;
    case 'target-user':
      return `every tab of the user named by \`${effect.target ?? 'target'}\``;
    default:
      return AUDIENCE_TEXT[effect.to];
  }
}

/** `; carries `content` as `message.content`` (markdown code spans), or nothing. */
export function carriesText(effect: IREffect): string {
  const pairs = Object.entries(effect.carries ?? {});
  if (pairs.length === 0) return '';
  const each = pairs.map(([to, from]) => (to === from ? `\`${from}\`` : `\`${from}\` as \`${to}\``));
  return `; carries the request's ${each.join(', ')}`;
}

export const WHEN_TEXT: Record<IREffect['when'], string> = {
  success: 'on success',
  failure: 'on failure',
  always: 'always',
};
