/**
 * Build the IR from a parsed AsyncAPI 3 document: the one walk over the document that every emitter shares.
 * Lenient on purpose (an event message without `name` gets `''`), so that `validate/` can report every problem
 * at once instead of the first; malformed `x-parley-*` extensions are reported here, where they are read. Facts
 * that several stages need are decided here once: how each operation reports its failure (`ir/failure.ts`).
 *
 * @see https://www.asyncapi.com/docs/reference/specification/v3.0.0#operationObject
 */
import type {
  AsyncAPIDocumentInterface,
  ChannelInterface,
  MessageInterface,
  OperationInterface,
} from '@asyncapi/parser';
import { z } from 'zod';
import type { Diagnostic } from '../diagnostics.js';
import { camelCase, pascalCase } from '../print/ts.js';
import { PayloadChecker } from '../validate/check.js';
import { decideFailures, type Fits } from './failure.js';
import { tupleOf } from './json-schema.js';
import type {
  IRAuth,
  IRDocument,
  IREffect,
  IRErrorShape,
  IRExample,
  IRMessage,
  IRNamespace,
  IROperation,
  IRPayload,
  JsonSchema,
} from './types.js';

/** Socket.IO's reserved event names: they can be documented but never emitted or listened to as events. */
export const RESERVED_EVENTS = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

const audience = z.enum([
  'sender',
  'sender-user',
  'room',
  'room-others',
  'target-user',
  'everyone',
  'others',
]);

const extensions = {
  'x-parley-name': z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'must be a TypeScript identifier'),
  'x-parley-auth': z.strictObject({
    handshake: z.array(z.enum(['auth.token', 'query.token'])).default([]),
    event: z.string().min(1).optional(),
    welcome: z.string().min(1).optional(),
    reject: z.strictObject({ event: z.string().min(1), payload: z.unknown() }).optional(),
  }),
  'x-parley-errors': z.strictObject({
    event: z.string().min(1).optional(),
    payload: z.unknown().optional(),
    ack: z.unknown().optional(),
  }),
  'x-parley-effects': z.array(
    z.strictObject({
      event: z.string().min(1),
      to: audience,
      room: z.string().min(1).optional(),
      target: z.string().min(1).optional(),
      when: z.enum(['success', 'failure', 'always']).default('success'),
      carries: z.record(z.string().min(1), z.string().min(1)).optional(),
      description: z.string().optional(),
    }),
  ),
  'x-parley-error-event': z.string().min(1),
  'x-parley-untestable': z.string().min(1),
} as const;

type ExtensionName = keyof typeof extensions;

export interface BuildResult {
  ir: IRDocument;
  diagnostics: Diagnostic[];
}

/**
 * `fits` checks values against payload schemas (for the failure decision); pass the validation stage's checker
 * to compile each schema once per run.
 */
export function buildIR(
  document: AsyncAPIDocumentInterface,
  source: string,
  fits: Fits = defaultFits(),
): BuildResult {
  const diagnostics: Diagnostic[] = [];

  /** Read and check one `x-parley-*` extension; a malformed one is reported and ignored. */
  function extension<N extends ExtensionName>(
    owner: { extensions(): { get(id: string): { value(): unknown } | undefined } },
    name: N,
    pointer: string,
  ): z.output<(typeof extensions)[N]> | undefined {
    const raw = owner.extensions().get(name)?.value();
    if (raw === undefined) return undefined;
    const parsed = extensions[name].safeParse(raw);
    if (parsed.success) return parsed.data as z.output<(typeof extensions)[N]>;
    for (const issue of parsed.error.issues) {
      diagnostics.push({
        code: 'extension-invalid',
        severity: 'error',
        message: `${name} is malformed at ${[name, ...issue.path].join('.')}: ${issue.message}.`,
        expected: 'the shape documented in the README section "The x-parley- extensions"',
        fix: `Correct ${name} as the README describes.`,
        pointer: `${pointer}/${name}`,
      });
    }
    return undefined;
  }

  /**
   * Located where the channel declares it, rather than where an operation refers to it. A reply is not an
   * event: without a `name`, it is labelled with its key.
   */
  function message(m: MessageInterface, channel: ChannelInterface, role: 'event' | 'reply'): IRMessage {
    const key = m.id();
    const pointer = channel.messages().get(key)?.meta().pointer ?? m.meta().pointer;
    const name = m.name();
    return {
      key,
      name: name ?? (role === 'reply' ? key : ''),
      ...(name === undefined && role === 'reply' ? { nameFromKey: true } : {}),
      typeName: pascalCase(key),
      title: m.title(),
      summary: m.summary(),
      description: m.description(),
      payload: payloadOf(m),
      examples: m
        .examples()
        .all()
        .map(
          (e, i): IRExample => ({
            name: e.name(),
            summary: e.summary(),
            payload: e.payload(),
            pointer: `${pointer}/examples/${i}`,
          }),
        ),
      pointer,
    };
  }

  function operation(op: OperationInterface, channel: ChannelInterface): IROperation | undefined {
    const pointer = op.meta().pointer;
    const messages = op.messages().all();
    const first = messages[0];
    if (messages.length !== 1 || !first) {
      diagnostics.push({
        code: 'operation-message-count',
        severity: 'error',
        message: `Operation ${op.id()} has ${messages.length} messages; a Socket.IO event is one message.`,
        expected: 'exactly one message in `messages`',
        fix: 'Split it into one operation per event.',
        pointer: `${pointer}/messages`,
      });
      if (!first) return undefined;
    }
    const msg = message(first, channel, 'event');
    const replyMessages = op.reply()?.messages().all() ?? [];
    if (replyMessages.length > 1) {
      diagnostics.push({
        code: 'reply-message-count',
        severity: 'error',
        message: `The reply of ${op.id()} lists ${replyMessages.length} messages; an ack is one message.`,
        expected: 'one message in `reply.messages`, whose payload may be a oneOf',
        fix: 'Merge the alternatives into one message whose payload is a oneOf.',
        pointer: `${pointer}/reply/messages`,
      });
    }
    const replyChannel = op.reply()?.channel();
    if (replyChannel && replyChannel.id() !== channel.id()) {
      diagnostics.push({
        code: 'reply-channel',
        severity: 'error',
        message: `The reply of ${op.id()} is on channel ${replyChannel.id()}; a Socket.IO ack travels on the namespace of its event.`,
        expected: `reply.channel: $ref '#/channels/${channel.id()}'`,
        fix: 'Point the reply at the same channel as the operation.',
        pointer: `${pointer}/reply/channel`,
      });
    }
    const replyMessage = replyMessages[0];
    return {
      id: op.id() ?? pointer.slice(pointer.lastIndexOf('/') + 1),
      action: op.action() === 'send' ? 'send' : 'receive',
      event: msg.name,
      summary: op.summary(),
      description: op.description(),
      message: msg,
      reply: replyMessage ? message(replyMessage, channel, 'reply') : undefined,
      effects: (extension(op, 'x-parley-effects', pointer) ?? []).map(
        (e, i): IREffect => ({ ...e, pointer: `${pointer}/x-parley-effects/${i}` }),
      ),
      errorEvent: extension(op, 'x-parley-error-event', pointer),
      untestable: extension(op, 'x-parley-untestable', pointer),
      reserved: RESERVED_EVENTS.has(msg.name),
      pointer,
    };
  }

  const operationsByChannel = new Map<string, OperationInterface[]>();
  for (const op of document.operations().all()) {
    for (const ch of op.channels().all()) {
      const list = operationsByChannel.get(ch.id()) ?? [];
      list.push(op);
      operationsByChannel.set(ch.id(), list);
    }
  }

  const namespaces = document
    .channels()
    .all()
    .map((channel): IRNamespace => {
      const pointer = channel.meta().pointer;
      const ops = (operationsByChannel.get(channel.id()) ?? [])
        .map((op) => operation(op, channel))
        .filter((op): op is IROperation => op !== undefined);
      const address = channel.address() ?? `/${channel.id()}`;
      const auth: IRAuth = extension(channel, 'x-parley-auth', pointer) ?? { handshake: [] };
      const errors: IRErrorShape = extension(channel, 'x-parley-errors', pointer) ?? {};
      const ns: IRNamespace = {
        channelId: channel.id(),
        address,
        ident: extension(channel, 'x-parley-name', pointer) ?? camelCase(channel.id()),
        title: channel.json().title as string | undefined,
        description: channel.description(),
        auth,
        errors,
        receive: ops.filter((op) => op.action === 'receive'),
        send: ops.filter((op) => op.action === 'send'),
        pointer,
      };
      decideFailures(ns, fits);
      return ns;
    });

  const info = document.info();
  return {
    ir: { title: info.title(), version: info.version(), description: info.description(), source, namespaces },
    diagnostics,
  };
}

/** A tuple (closed, open or with a rest: every form `tupleOf` reads) is spread into several arguments. */
function payloadOf(m: MessageInterface): IRPayload {
  const schema = m.hasPayload() ? (m.payload()?.json() as JsonSchema | undefined) : undefined;
  if (!schema) return { kind: 'none' };
  const tuple = schema.type === 'array' ? tupleOf(schema) : undefined;
  if (tuple) return { kind: 'args', items: tuple.items, rest: tuple.rest };
  return { kind: 'value', schema };
}

/** A checker of its own, for callers that build the IR without validating it. */
function defaultFits(): Fits {
  const checker = new PayloadChecker();
  return (payload, value) => checker.check(payload, value).ok === true;
}
