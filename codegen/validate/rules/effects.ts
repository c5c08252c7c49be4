/**
 * The `x-parley-effects` of each operation:
 * - `effect-unknown-event`: the effect emits an event the namespace does not `send`;
 * - `effect-room-missing`: `to: room` / `room-others` without `room`, or `to: target-user` without `target`;
 * - `effect-field-unknown`: `room` / `target` names a field that the operation's payload (an object) does not
 *   declare. A field of the emitted event's payload is accepted too: the spec's `edit_message` takes the room
 *   from `conversationId` of `message_edited`, as the request names only the message;
 * - `effect-carries-unknown`: a `carries` entry names a path the emitted event's payload (its key) or the
 *   request's payload (its value) does not declare.
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { IREffect, IRNamespace, IROperation, IRPayload, JsonSchema } from '../../ir/types.js';
import { describeSent, operationsOf, type Rule, sentEvents } from '../rule.js';

export const effects: Rule = (ir) => {
  const out: Diagnostic[] = [];
  for (const ns of ir.namespaces) {
    const sent = new Set(sentEvents(ns));
    for (const op of operationsOf(ns)) {
      op.effects.forEach((effect, i) => {
        const what = `Effect ${i} of operation "${op.id}" in namespace ${ns.address}`;
        if (!sent.has(effect.event)) {
          out.push({
            code: 'effect-unknown-event',
            severity: 'error',
            message: `${what} emits "${effect.event}", which namespace ${ns.address} does not send.`,
            expected: describeSent(ns),
            fix: `Add a send operation for "${effect.event}" on channel ${ns.channelId}, or correct the effect's \`event\`.`,
            pointer: `${effect.pointer}/event`,
          });
        }
        out.push(...audienceField(ns, op, effect, what));
        out.push(...carried(ns, op, effect, what));
      });
    }
  }
  return out;
};

function audienceField(ns: IRNamespace, op: IROperation, effect: IREffect, what: string): Diagnostic[] {
  const field =
    effect.to === 'room' || effect.to === 'room-others'
      ? 'room'
      : effect.to === 'target-user'
        ? 'target'
        : undefined;
  if (!field) return [];
  const names = field === 'room' ? 'the room' : 'the user';
  const value = effect[field];
  if (!value) {
    return [
      {
        code: 'effect-room-missing',
        severity: 'error',
        message: `${what} is sent to ${effect.to} but does not say which payload field names ${names}.`,
        expected: `\`${field}\`: the payload field that names ${names}`,
        fix: `Add \`${field}: <payload field>\` to the effect.`,
        pointer: effect.pointer,
      },
    ];
  }
  const request = declaredFields(op.message.payload);
  if (request?.has(value)) return [];
  const emitted = ns.send.find((s) => s.event === effect.event);
  const response = emitted ? declaredFields(emitted.message.payload) : undefined;
  if (response?.has(value)) return [];
  const declared = [...(request ?? []), ...(response ?? [])];
  const sources = emitted ? `"${op.event}" nor of "${effect.event}"` : `"${op.event}"`;
  return [
    {
      code: 'effect-field-unknown',
      severity: 'error',
      message:
        request || response
          ? `${what} reads ${names} from payload field "${value}", which the payload schema of ${emitted ? 'neither ' : ''}${sources} declares.`
          : `${what} reads ${names} from payload field "${value}", but the payload of ${emitted ? 'neither ' : ''}${sources} is an object.`,
      expected: declared.length
        ? `a property of the payload: ${[...new Set(declared)].map((f) => `"${f}"`).join(', ')}`
        : `a payload object that declares "${value}" under \`properties\``,
      fix:
        request || response
          ? `Declare "${value}" under the payload's \`properties\` (and in \`required\`), or name a declared field in \`${field}\`.`
          : `Make the payload of "${op.event}" an object with a "${value}" property, or send the effect to another audience.`,
      pointer: `${effect.pointer}/${field}`,
    },
  ];
}

function carried(ns: IRNamespace, op: IROperation, effect: IREffect, what: string): Diagnostic[] {
  const emitted = ns.send.find((s) => s.event === effect.event);
  if (!emitted) return []; // effect-unknown-event says so
  const out: Diagnostic[] = [];
  for (const [to, from] of Object.entries(effect.carries ?? {})) {
    for (const [path, payload, whose] of [
      [to, emitted.message.payload, `"${effect.event}"`],
      [from, op.message.payload, `"${op.event}"`],
    ] as const) {
      if (declaresPath(payload, path)) continue;
      out.push({
        code: 'effect-carries-unknown',
        severity: 'error',
        message: `${what} says it carries "${from}" of the request as "${to}", but the payload of ${whose} declares no "${path}".`,
        expected: `a dotted path of properties (list items by index) that the payload schema of ${whose} declares`,
        fix: `Correct the path in \`carries\`, or declare it in the payload schema of ${whose}.`,
        pointer: `${effect.pointer}/carries`,
      });
    }
  }
  return out;
}

/** Whether `path` (`message.content`, `attachments.0.url`; `0` is the first argument of a tuple) is declared. */
function declaresPath(payload: IRPayload, path: string): boolean {
  if (payload.kind === 'none') return false;
  const [first, ...rest] = path.split('.');
  if (payload.kind === 'args') {
    const item = /^\d+$/.test(first ?? '') ? payload.items[Number(first)] : undefined;
    return item !== undefined && schemaAt(item, rest) !== undefined;
  }
  return schemaAt(payload.schema, path.split('.')) !== undefined;
}

/** The schema at `path` under `schema` (properties, list items; through allOf/anyOf/oneOf), if declared. */
function schemaAt(schema: JsonSchema, path: string[]): JsonSchema | undefined {
  if (path.length === 0) return schema;
  const [key, ...rest] = path as [string, ...string[]];
  const candidates: JsonSchema[] = [];
  if (/^\d+$/.test(key)) {
    if (Array.isArray(schema.items)) candidates.push(schema.items[Number(key)] as JsonSchema);
    else if (schema.items !== null && typeof schema.items === 'object')
      candidates.push(schema.items as JsonSchema);
  } else if (schema.properties !== null && typeof schema.properties === 'object') {
    const property = (schema.properties as Record<string, JsonSchema>)[key];
    if (property) candidates.push(property);
  }
  for (const found of candidates) {
    const inner = schemaAt(found, rest);
    if (inner) return inner;
  }
  for (const branch of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[branch];
    if (!Array.isArray(list)) continue;
    for (const sub of list) {
      const inner = schemaAt(sub as JsonSchema, path);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * The property names an object payload declares (in `properties`, also inside `allOf` / `anyOf` /
 * `oneOf`); `undefined` when the payload is not an object.
 */
function declaredFields(payload: IRPayload): Set<string> | undefined {
  if (payload.kind !== 'value') return undefined;
  const fields = new Set<string>();
  let object = false;
  const seen = new Set<JsonSchema>();
  const visit = (schema: unknown): void => {
    if (schema === null || typeof schema !== 'object' || seen.has(schema as JsonSchema)) return;
    const s = schema as JsonSchema;
    seen.add(s);
    if (s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'))) object = true;
    if (s.properties !== null && typeof s.properties === 'object') {
      object = true;
      for (const key of Object.keys(s.properties)) fields.add(key);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = s[key];
      if (Array.isArray(list)) for (const sub of list) visit(sub);
    }
  };
  visit(payload.schema);
  return object ? fields : undefined;
}
