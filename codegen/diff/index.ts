/**
 * `parley diff`: compare two IRs (two versions of the spec) namespace by namespace, event by event, field by
 * field, and classify every change by whom it breaks (see `classify.ts`). Namespaces are matched by address
 * and operations by direction and event name: what a client sees on the wire, not the spec's keys.
 */
import type { IRDocument, IREffect, IRMessage, IRNamespace, IROperation, IRPayload } from '../ir/types.js';
import {
  type Bump,
  bumpOf,
  bySeverity,
  type Context,
  classify,
  nextVersion,
  type Severity,
} from './classify.js';
import { compareSchemas, compareTuple, type SchemaChange } from './schema.js';

export type Part = 'document' | 'namespace' | 'auth' | 'errors' | 'event' | 'payload' | 'ack' | 'effects';

export interface Change {
  /** The namespace's address; `''` for the document itself. */
  namespace: string;
  event?: string;
  /** `client → server` or `server → client`. */
  direction?: string;
  part: Part;
  /** Field path inside the payload or ack (`message.sender.avatar`); `''` is the payload itself. */
  path?: string;
  /** Machine-readable kind: `event-removed`, `field-added`, `enum-removed`, ... */
  rule: string;
  severity: Severity;
  /** What changed. */
  message: string;
  /** Whom it breaks, or why it breaks no one. */
  reason: string;
  before?: unknown;
  after?: unknown;
}

export interface DiffReport {
  base: { source: string; title: string; version: string };
  head: { source: string; title: string; version: string };
  changes: Change[];
  counts: Record<Severity, number>;
  bump: Bump;
  /** The base version bumped as the changes call for. */
  suggestedVersion?: string;
}

const DIRECTION = { receive: 'client → server', send: 'server → client' } as const;

export function diffDocuments(base: IRDocument, head: IRDocument): DiffReport {
  const changes: Change[] = [];
  const push = (c: Change): void => {
    changes.push(c);
  };
  for (const key of ['title', 'description'] as const) {
    if (base[key] !== head[key]) {
      push({
        namespace: '',
        part: 'document',
        rule: 'docs',
        severity: 'patch',
        message: `info.${key} changed`,
        reason: 'documentation only',
        before: base[key],
        after: head[key],
      });
    }
  }

  const headByAddress = new Map(head.namespaces.map((ns) => [ns.address, ns]));
  const baseAddresses = new Set(base.namespaces.map((ns) => ns.address));
  for (const b of base.namespaces) {
    const h = headByAddress.get(b.address);
    if (!h) {
      push({
        namespace: b.address,
        part: 'namespace',
        rule: 'namespace-removed',
        severity: 'breaking',
        message: `namespace ${b.address} removed`,
        reason: 'old clients that connect to it are refused',
      });
      continue;
    }
    compareNamespace(b, h, push);
  }
  for (const h of head.namespaces) {
    if (baseAddresses.has(h.address)) continue;
    push({
      namespace: h.address,
      part: 'namespace',
      rule: 'namespace-added',
      severity: 'minor',
      message: `new namespace ${h.address} (${h.receive.length} client events, ${h.send.length} server events)`,
      reason: 'old clients do not connect to it',
    });
  }

  const counts: Record<Severity, number> = { breaking: 0, minor: 0, patch: 0 };
  for (const c of changes) counts[c.severity]++;
  const bump = bumpOf(changes.map((c) => c.severity));
  const report: DiffReport = {
    base: { source: base.source, title: base.title, version: base.version },
    head: { source: head.source, title: head.title, version: head.version },
    changes: sortChanges(changes, base, head),
    counts,
    bump,
  };
  const next = nextVersion(base.version, bump);
  if (next) report.suggestedVersion = next;
  return report;
}

/** Spec order of namespaces and events (base first, then what head adds), breaking changes first within an event. */
function sortChanges(changes: Change[], base: IRDocument, head: IRDocument): Change[] {
  const order = new Map<string, number>();
  const note = (key: string): void => {
    if (!order.has(key)) order.set(key, order.size);
  };
  note('');
  for (const doc of [base, head]) {
    for (const ns of doc.namespaces) {
      note(ns.address);
      for (const op of [...ns.receive, ...ns.send]) note(`${ns.address} ${DIRECTION[op.action]} ${op.event}`);
    }
  }
  const rank = (c: Change): [number, number] => [
    order.get(c.namespace) ?? 0,
    c.event === undefined ? -1 : (order.get(`${c.namespace} ${c.direction} ${c.event}`) ?? 0),
  ];
  return changes
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((x, y) => x.r[0] - y.r[0] || x.r[1] - y.r[1] || bySeverity(x.c.severity, y.c.severity) || x.i - y.i)
    .map((x) => x.c);
}

type Push = (c: Change) => void;

function compareNamespace(b: IRNamespace, h: IRNamespace, push: Push): void {
  const ns = b.address;
  const base = { namespace: ns };
  if (b.ident !== h.ident || b.channelId !== h.channelId) {
    push({
      ...base,
      part: 'namespace',
      rule: 'renamed',
      severity: 'patch',
      message: `channel ${b.channelId} (${b.ident}) is now ${h.channelId} (${h.ident})`,
      reason: 'the wire is the same; generated identifiers change',
    });
  }
  for (const key of ['title', 'description'] as const) {
    if (b[key] !== h[key]) {
      push({
        ...base,
        part: 'namespace',
        rule: 'docs',
        severity: 'patch',
        message: `${key} changed`,
        reason: 'documentation only',
      });
    }
  }

  // Authentication
  const hb = b.auth.handshake;
  const hh = h.auth.handshake;
  if (hb.length === 0 && hh.length > 0) {
    push({
      ...base,
      part: 'auth',
      rule: 'auth-required',
      severity: 'breaking',
      message: `a token is now required (${hh.join(', ')})`,
      reason: 'old clients connect without one and are refused',
    });
  } else if (hb.length > 0 && hh.length === 0) {
    push({
      ...base,
      part: 'auth',
      rule: 'auth-dropped',
      severity: 'minor',
      message: 'a token is no longer required',
      reason: 'old clients may still send one',
    });
  } else {
    for (const w of hb.filter((x) => !hh.includes(x))) {
      push({
        ...base,
        part: 'auth',
        rule: 'auth-location-removed',
        severity: 'breaking',
        message: `the token is no longer read from ${w}`,
        reason: 'old clients that send it there are refused',
      });
    }
    for (const w of hh.filter((x) => !hb.includes(x))) {
      push({
        ...base,
        part: 'auth',
        rule: 'auth-location-added',
        severity: 'minor',
        message: `the token may also be sent in ${w}`,
        reason: 'old clients keep sending it where they did',
      });
    }
  }
  if (b.auth.event !== h.auth.event) {
    push({
      ...base,
      part: 'auth',
      rule: 'auth-event-changed',
      severity: 'breaking',
      message: `authentication event ${b.auth.event ?? '(none)'} → ${h.auth.event ?? '(none)'}`,
      reason: 'old clients authenticate the old way',
    });
  }

  // Error shape
  for (const key of ['ack', 'event', 'payload'] as const) {
    const before = b.errors[key];
    const after = h.errors[key];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const added = before === undefined;
    push({
      ...base,
      part: 'errors',
      rule: added ? 'error-shape-added' : 'error-shape-changed',
      severity: added ? 'minor' : 'breaking',
      message: `x-parley-errors.${key} ${added ? 'added' : after === undefined ? 'removed' : 'changed'}`,
      reason: added ? 'old clients did not rely on it' : 'old clients read failures in the old shape',
      before,
      after,
    });
  }

  // Operations, matched by direction and event name.
  const key = (op: IROperation): string => `${op.action} ${op.event}`;
  const ops = (ns: IRNamespace): IROperation[] => [...ns.receive, ...ns.send];
  const headOps = new Map(ops(h).map((op) => [key(op), op]));
  const baseKeys = new Set(ops(b).map(key));
  for (const op of ops(b)) {
    const next = headOps.get(key(op));
    const where = { ...base, event: op.event, direction: DIRECTION[op.action] };
    if (!next) {
      push({
        ...where,
        part: 'event',
        rule: 'event-removed',
        severity: 'breaking',
        message: `event removed (operation ${op.id})`,
        reason:
          op.action === 'receive'
            ? 'old clients still emit it and the server no longer handles it'
            : 'old clients listen for it and the server no longer emits it',
      });
      continue;
    }
    compareOperation(b, op, next, push);
  }
  for (const op of ops(h)) {
    if (baseKeys.has(key(op))) continue;
    push({
      ...base,
      event: op.event,
      direction: DIRECTION[op.action],
      part: 'event',
      rule: 'event-added',
      severity: 'minor',
      message: `new event (operation ${op.id})`,
      reason: op.action === 'receive' ? 'old clients do not emit it' : 'old clients do not listen for it',
    });
  }
}

function compareOperation(bns: IRNamespace, b: IROperation, h: IROperation, push: Push): void {
  const where = { namespace: bns.address, event: b.event, direction: DIRECTION[b.action] };
  const docs = (message: string): void =>
    push({ ...where, part: 'event', rule: 'docs', severity: 'patch', message, reason: 'documentation only' });
  if (b.id !== h.id) docs(`operation id ${b.id} → ${h.id}`);
  for (const k of ['summary', 'description', 'untestable'] as const) if (b[k] !== h[k]) docs(`${k} changed`);

  // The payload: the client writes what it emits, the server what it emits.
  const context: Context = b.action === 'receive' ? 'input' : 'output';
  compareMessage(b.message, h.message, context, 'payload', where, push);

  // The ack: written by whoever receives the event.
  const ackContext: Context = b.action === 'receive' ? 'output' : 'input';
  if (b.reply && !h.reply) {
    push({
      ...where,
      part: 'ack',
      rule: 'ack-removed',
      severity: 'breaking',
      message: 'acknowledgement removed',
      reason: 'old clients wait for an ack that never comes',
    });
  } else if (!b.reply && h.reply) {
    push({
      ...where,
      part: 'ack',
      rule: 'ack-added',
      severity: 'minor',
      message: `new acknowledgement ${h.reply.name}`,
      reason: 'old clients that pass no callback are not affected',
    });
  } else if (b.reply && h.reply) {
    compareMessage(b.reply, h.reply, ackContext, 'ack', where, push);
  }

  // How a failure is reported.
  const reported = (op: IROperation): string | undefined =>
    op.failure?.via === 'ack' ? 'the ack' : op.failure?.via === 'event' ? op.failure.event : undefined;
  const fb = reported(b);
  const fh = reported(h);
  if (fb !== fh) {
    push({
      ...where,
      part: 'errors',
      rule: 'error-event-changed',
      severity: fb === undefined ? 'minor' : 'breaking',
      message: `failures are reported with ${fh ?? '(nothing)'}, not ${fb ?? '(nothing)'}`,
      reason:
        fb === undefined
          ? 'old clients did not expect a failure report'
          : 'old clients look for failures where they were',
      before: fb,
      after: fh,
    });
  }

  compareEffects(b.effects, h.effects, where, push);
}

function compareMessage(
  b: IRMessage,
  h: IRMessage,
  context: Context,
  part: 'payload' | 'ack',
  where: { namespace: string; event: string; direction: string },
  push: Push,
): void {
  const docs = (message: string): void =>
    push({ ...where, part, rule: 'docs', severity: 'patch', message, reason: 'documentation only' });
  if (part === 'ack' && b.name !== h.name) docs(`ack message ${b.name} → ${h.name}`);
  if (b.key !== h.key) docs(`message key ${b.key} → ${h.key}`);
  for (const k of ['title', 'summary', 'description'] as const)
    if (b[k] !== h[k]) docs(`message ${k} changed`);
  if (JSON.stringify(b.examples.map(stripPointer)) !== JSON.stringify(h.examples.map(stripPointer))) {
    docs('examples changed');
  }
  for (const sc of comparePayloads(b.payload, h.payload)) {
    const { severity, reason } = classify(sc, context);
    const change: Change = {
      ...where,
      part,
      path: sc.path,
      rule: sc.rule,
      severity,
      message: sc.message,
      reason,
    };
    if (sc.before !== undefined) change.before = sc.before;
    if (sc.after !== undefined) change.after = sc.after;
    push(change);
  }
}

const stripPointer = ({ pointer: _pointer, ...rest }: { pointer: string }): object => rest;

function comparePayloads(b: IRPayload, h: IRPayload): SchemaChange[] {
  if (b.kind === 'none' && h.kind === 'none') return [];
  if (b.kind === 'value' && h.kind === 'value') return compareSchemas(b.schema, h.schema);
  if (b.kind === 'args' && h.kind === 'args') {
    const out: SchemaChange[] = [];
    compareTuple(b.items, h.items, '', out, undefined, b.rest === false);
    return out;
  }
  const shape = (p: IRPayload): string =>
    p.kind === 'none' ? 'no payload' : p.kind === 'args' ? `${p.items.length} arguments` : 'one argument';
  return [
    {
      path: '',
      rule: 'type-changed',
      effect: 'both',
      message: `the payload changed from ${shape(b)} to ${shape(h)}`,
    },
  ];
}

function compareEffects(
  b: IREffect[],
  h: IREffect[],
  where: { namespace: string; event: string; direction: string },
  push: Push,
): void {
  const id = (e: IREffect): string => `${e.event} → ${e.to}`;
  const target = (e: IREffect): string =>
    e.to === 'room' || e.to === 'room-others'
      ? `${e.to} ${e.room}`
      : e.to === 'target-user'
        ? `${e.to} ${e.target}`
        : e.to;
  const unmatched = [...h];
  for (const e of b) {
    const i = unmatched.findIndex((x) => id(x) === id(e));
    const base = { ...where, part: 'effects' as const };
    if (i < 0) {
      const moved = unmatched.findIndex((x) => x.event === e.event);
      if (moved >= 0) {
        const [n] = unmatched.splice(moved, 1);
        push({
          ...base,
          rule: 'effect-audience-changed',
          severity: 'breaking',
          message: `emits ${e.event} to ${n ? target(n) : '?'}, not ${target(e)}`,
          reason: 'old clients that relied on receiving it may not',
          before: target(e),
          after: n ? target(n) : undefined,
        });
        continue;
      }
      push({
        ...base,
        rule: 'effect-removed',
        severity: 'breaking',
        message: `no longer emits ${e.event} to ${target(e)} (${e.when})`,
        reason: 'old clients that wait for it never get it',
      });
      continue;
    }
    const [n] = unmatched.splice(i, 1);
    if (!n) continue;
    if (target(n) !== target(e) || n.when !== e.when) {
      push({
        ...base,
        rule: 'effect-changed',
        severity: 'breaking',
        message: `emits ${e.event} to ${target(n)} ${n.when}, not to ${target(e)} ${e.when}`,
        reason: 'old clients that relied on receiving it may not',
      });
    } else if (n.description !== e.description) {
      push({
        ...base,
        rule: 'docs',
        severity: 'patch',
        message: `description of the ${e.event} effect changed`,
        reason: 'documentation only',
      });
    }
  }
  for (const n of unmatched) {
    push({
      ...where,
      part: 'effects',
      rule: 'effect-added',
      severity: 'minor',
      message: `now also emits ${n.event} to ${target(n)} (${n.when})`,
      reason: 'old clients that do not listen for it ignore it',
    });
  }
}

export type { Bump, Context, Severity } from './classify.js';
export { bumpOf, classify, nextVersion } from './classify.js';
export { type Format, formatReport } from './format.js';
export { compareSchemas, type SchemaChange } from './schema.js';
