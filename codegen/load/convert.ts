/**
 * AsyncAPI 2.x documents (2.0–2.6) are converted to 3.0 with `@asyncapi/converter` before they are parsed, as
 * the application's point of view: `publish` (what clients emit) becomes a `receive` operation, `subscribe` a
 * `send`. The converter reports what it could not carry over with `console.warn`; those become warnings. Conversion moves nodes
 * (a `publish` becomes `/operations/<id>`, its `message.oneOf[i]` a channel message), so `originalPointer` maps a
 * pointer into the converted document back to the node it came from in the file as written.
 */
import { createRequire } from 'node:module';
import type { Diagnostic } from '../diagnostics.js';
import { pointerSegments, toPointer } from './source-map.js';

export interface Converted {
  /** The 3.0.0 document. */
  document: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** A pointer into `document` as a pointer into the 2.x document, where the node came from. */
  originalPointer: (pointer: string) => string;
}

export const isVersion2 = (version: unknown): boolean => typeof version === 'string' && /^2\./.test(version);

/** `document` (a parsed 2.x document; not modified) converted to AsyncAPI 3.0.0. */
export function convertToV3(document: Record<string, unknown>, version: string): Converted {
  const warnings: string[] = [];
  // biome-ignore lint/suspicious/noConsole: the converter's only way of reporting is console.warn; caught here
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  let converted: Record<string, unknown>;
  try {
    // Loaded only for a 2.x document.
    const { convert } = createRequire(import.meta.url)(
      '@asyncapi/converter',
    ) as typeof import('@asyncapi/converter');
    converted = convert(withChannelIds(structuredClone(document)), '3.0.0') as Record<string, unknown>;
  } finally {
    console.warn = warn;
  }
  // The converter does not say where: reported on `channels`, where the parameters it warns about are.
  const diagnostics = warnings.map(
    (message): Diagnostic => ({
      code: 'converter',
      severity: 'warning',
      message: `@asyncapi/converter (AsyncAPI ${version} to 3.0.0): ${message.replace(/\s*\n\s*/g, ' ')}`,
      fix: 'Check the converted part by hand: the converter could not carry it over unchanged.',
      pointer: '/channels',
    }),
  );
  const moved = movedNodes(converted);
  splitOperations(converted, moved);
  return { document: converted, diagnostics, originalPointer: (pointer) => translate(moved, pointer) };
}

/**
 * The moved nodes of a converted document, by pointer now and then: channels keyed by id (the 2.x key was the
 * address), operations out of their channel, and their messages (one, or `oneOf` items) into the channel's
 * `messages`. Everything else keeps its path.
 */
function movedNodes(converted: Record<string, unknown>): Map<string, string> {
  const moved = new Map<string, string>();
  const channels = (converted.channels ?? {}) as Record<string, { address?: string }>;
  for (const [id, channel] of Object.entries(channels)) {
    if (typeof channel?.address === 'string')
      moved.set(toPointer(['channels', id]), toPointer(['channels', channel.address]));
  }
  const operations = (converted.operations ?? {}) as Record<string, Operation>;
  for (const [id, op] of Object.entries(operations)) {
    const channelId = refTarget(op.channel?.$ref)?.[1];
    const address = channelId !== undefined ? channels[channelId]?.address : undefined;
    if (address === undefined) continue;
    const origin = ['channels', address, op.action === 'receive' ? 'publish' : 'subscribe'];
    moved.set(toPointer(['operations', id]), toPointer(origin));
    const messages = op.messages ?? [];
    messages.forEach((m, i) => {
      const target = refTarget(m.$ref);
      if (target?.[0] !== 'channels' || target.length !== 4) return;
      const from = messages.length === 1 ? [...origin, 'message'] : [...origin, 'message', 'oneOf', i];
      moved.set(toPointer(target), toPointer(from));
    });
  }
  return moved;
}

/**
 * A 2.x channel is keyed by its address; a 3.0 channel by an id, which names the namespace in generated code.
 * Unless the document sets `x-channelId`, the id is the address in words: `/` is `root`, `/admin` is `admin`.
 */
function withChannelIds(document: Record<string, unknown>): { asyncapi: string } {
  const channels = (document.channels ?? {}) as Record<string, Record<string, unknown>>;
  const taken = new Set<string>();
  for (const [address, channel] of Object.entries(channels)) {
    if (typeof channel !== 'object' || channel === null || '$ref' in channel) continue;
    if (typeof channel['x-channelId'] === 'string') continue;
    const base = address.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root';
    let id = base;
    for (let i = 2; taken.has(id) || id in channels; i++) id = `${base}${i}`;
    taken.add(id);
    channel['x-channelId'] = id;
  }
  return document as { asyncapi: string };
}

function translate(moved: ReadonlyMap<string, string>, pointer: string): string {
  const segments = pointerSegments(pointer);
  for (let n = segments.length; n > 0; n--) {
    const origin = moved.get(toPointer(segments.slice(0, n)));
    if (origin !== undefined) return origin + toPointer(segments.slice(n));
  }
  return pointer;
}

/**
 * A 2.x operation lists every event of its direction (`message.oneOf`); a Socket.IO event is one operation of
 * one message. Such an operation becomes one per message, `<operationId>.<message key>`, and a channel message
 * the converter keyed `<operationId>.message.<i>` takes the name of the component it refers to, or its own
 * `name`.
 */
function splitOperations(converted: Record<string, unknown>, moved: Map<string, string>): void {
  const operations = (converted.operations ?? {}) as Record<string, Operation>;
  const channels = (converted.channels ?? {}) as Record<string, { messages?: Record<string, unknown> }>;
  const split: Record<string, Operation> = {};
  for (const [id, op] of Object.entries(operations)) {
    const messages = op.messages ?? [];
    if (messages.length < 2) {
      split[id] = op;
      continue;
    }
    const from = moved.get(toPointer(['operations', id]));
    messages.forEach((m, i) => {
      const target = refTarget(m.$ref);
      const [, channelId, , key] = target ?? [];
      const channel = channelId !== undefined ? channels[channelId] : undefined;
      const message = key !== undefined ? channel?.messages?.[key] : undefined;
      if (!target || !channel?.messages || channelId === undefined || key === undefined || !message) return;
      const named = messageKey(message) ?? key;
      const newKey = named !== key && !(named in channel.messages) ? named : key;
      if (newKey !== key) {
        channel.messages[newKey] = message;
        delete channel.messages[key];
        const origin = moved.get(toPointer(target));
        if (origin !== undefined) moved.set(toPointer(['channels', channelId, 'messages', newKey]), origin);
      }
      const newId = `${id}.${newKey}`;
      split[newId] = {
        ...op,
        messages: [{ $ref: `#${toPointer(['channels', channelId, 'messages', newKey])}` }],
      };
      if (from !== undefined) moved.set(toPointer(['operations', newId]), `${from}/message/oneOf/${i}`);
    });
  }
  converted.operations = split;
}

/** What a channel message is called: the component it refers to, or its `name`. */
function messageKey(message: unknown): string | undefined {
  const { $ref, name } = message as { $ref?: unknown; name?: unknown };
  if (typeof $ref === 'string' && $ref.startsWith('#/components/messages/'))
    return pointerSegments($ref).pop();
  return typeof name === 'string' && name !== '' ? name : undefined;
}

interface Operation {
  action?: string;
  channel?: { $ref?: string };
  messages?: { $ref?: string }[];
}

const refTarget = (ref: string | undefined): string[] | undefined =>
  ref?.startsWith('#/') ? pointerSegments(ref) : undefined;
