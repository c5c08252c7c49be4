/**
 * The sequence of events around one operation, as the flow diagrams of the seed documents draw it
 * (client → server → room/others): lanes and arrows, rendered as SVG for the site and as a Mermaid
 * `sequenceDiagram` for Markdown.
 */
import type { IREffect, IRNamespace, IROperation } from '../codegen/ir/types.js';

export interface Lane {
  id: string;
  label: string;
  /** A second, smaller line under the label. */
  sub?: string;
}

export interface Step {
  from: string;
  to: string;
  /** `emit('receive_message')`, `ack(send_message_ack)`. */
  label: string;
  /** `emit`: an event; `ack`: an acknowledgement (dashed); `failure`: what happens when it fails. */
  style: 'emit' | 'ack' | 'failure';
  /** `on failure`, `always`, or a trigger's condition. */
  note?: string;
}

export interface Sequence {
  lanes: Lane[];
  steps: Step[];
}

const CLIENT: Lane = { id: 'client', label: 'Client A', sub: 'the sender' };
const SERVER: Lane = { id: 'server', label: 'Server' };

/** The lane an effect's audience is drawn as. */
function audienceLane(effect: IREffect, ns: IRNamespace): Lane {
  switch (effect.to) {
    case 'sender':
      return CLIENT;
    case 'sender-user':
      return { id: 'sender-user', label: "Sender's tabs", sub: 'every socket of the user' };
    case 'room':
      return { id: `room:${effect.room}`, label: 'Room', sub: `‹${effect.room ?? 'room'}›, sender included` };
    case 'room-others':
      return { id: `room-others:${effect.room}`, label: 'Room, others', sub: `‹${effect.room ?? 'room'}›` };
    case 'target-user':
      return { id: `target:${effect.target}`, label: 'Target user', sub: `‹${effect.target ?? 'target'}›` };
    case 'everyone':
      return { id: 'everyone', label: 'Everyone', sub: `every socket in ${ns.address}` };
    case 'others':
      return { id: 'others', label: 'Others', sub: 'every socket but the sender' };
  }
}

const emit = (event: string): string => `emit('${event}')`;

export function sequenceOf(
  ns: IRNamespace,
  op: IROperation,
  causedBy: { op: IROperation; effect: IREffect }[],
): Sequence {
  const lanes = new Map<string, Lane>([
    [CLIENT.id, CLIENT],
    [SERVER.id, SERVER],
  ]);
  const steps: Step[] = [];
  const toAudience = (effect: IREffect, event: string, style: Step['style'], note?: string): void => {
    const lane = audienceLane(effect, ns);
    lanes.set(lane.id, lane);
    steps.push({ from: SERVER.id, to: lane.id, label: emit(event), style, ...(note ? { note } : {}) });
  };

  if (op.reserved) {
    steps.push({ from: CLIENT.id, to: SERVER.id, label: 'connect (handshake)', style: 'emit' });
    steps.push({ from: SERVER.id, to: CLIENT.id, label: op.event, style: 'failure', note: 'refused' });
    return { lanes: [...lanes.values()], steps };
  }

  if (op.action === 'send') {
    if (causedBy.length === 0) {
      const clients: Lane = { id: 'clients', label: 'Client', sub: 'no client event causes it' };
      steps.push({ from: SERVER.id, to: clients.id, label: emit(op.event), style: 'emit' });
      return { lanes: [SERVER, clients], steps };
    }
    for (const { op: trigger, effect } of causedBy) {
      steps.push({ from: CLIENT.id, to: SERVER.id, label: emit(trigger.event), style: 'emit' });
      const note =
        effect.when === 'success' ? undefined : effect.when === 'failure' ? 'on failure' : 'always';
      toAudience(effect, op.event, effect.when === 'failure' ? 'failure' : 'emit', note);
    }
    return { lanes: [...lanes.values()], steps };
  }

  steps.push({ from: CLIENT.id, to: SERVER.id, label: emit(op.event), style: 'emit' });
  for (const effect of op.effects.filter((e) => e.when !== 'failure')) {
    toAudience(effect, effect.event, 'emit', effect.when === 'always' ? 'always' : undefined);
  }
  if (op.reply) steps.push({ from: SERVER.id, to: CLIENT.id, label: `ack(${op.reply.name})`, style: 'ack' });
  const failures = op.effects.filter((e) => e.when === 'failure');
  for (const effect of failures) toAudience(effect, effect.event, 'failure', 'on failure');
  // The error report the namespace's error shape implies, unless an effect already draws it.
  if (op.failure?.via === 'ack') {
    steps.push({ from: SERVER.id, to: CLIENT.id, label: 'ack(error)', style: 'failure', note: 'on failure' });
  } else if (op.failure?.via === 'event') {
    const event = op.failure.event;
    if (!failures.some((e) => e.event === event && e.to === 'sender')) {
      steps.push({
        from: SERVER.id,
        to: CLIENT.id,
        label: emit(event),
        style: 'failure',
        note: 'on failure',
      });
    }
  }
  return { lanes: [...lanes.values()], steps };
}

/** The sequence as a Mermaid `sequenceDiagram` (GitHub and GitLab render it in Markdown). */
export function mermaid(sequence: Sequence): string {
  const alias = new Map(sequence.lanes.map((lane, i) => [lane.id, `P${i}`]));
  const text = (s: string): string => s.replace(/[#;]/g, (c) => `#${c.charCodeAt(0)};`);
  const lines = ['sequenceDiagram'];
  for (const lane of sequence.lanes) {
    const label = lane.sub ? `${lane.label} (${lane.sub})` : lane.label;
    lines.push(`  participant ${alias.get(lane.id)} as ${text(label)}`);
  }
  for (const step of sequence.steps) {
    const arrow = step.style === 'emit' ? '->>' : '-->>';
    const note = step.note ? ` [${step.note}]` : '';
    lines.push(`  ${alias.get(step.from)}${arrow}${alias.get(step.to)}: ${text(step.label + note)}`);
  }
  return lines.join('\n');
}
