/**
 * AsyncAPI 2.x documents (2.0–2.6) are converted to 3.0 with `@asyncapi/converter` before they are parsed, as
 * the application's point of view: `publish` (what clients emit) becomes a `receive` operation, `subscribe` a
 * `send`. The converter reports what it could not carry over with `console.warn`; those become warnings. Conversion moves nodes
 * (a `publish` becomes `/operations/<id>`, its `message.oneOf[i]` a channel message), so `originalPointer` maps a
 * pointer into the converted document back to the node it came from in the file as written.
 */
import { convert } from '@asyncapi/converter';
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
    converted = convert(structuredClone(document) as { asyncapi: string }, '3.0.0') as Record<
      string,
      unknown
    >;
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
  return { document: converted, diagnostics, originalPointer: pointerMap(converted) };
}

/**
 * The moved nodes of a converted document: channels keyed by id (the 2.x key was the address), operations out
 * of their channel, and their messages (one, or `oneOf` items) into the channel's `messages`. Everything else
 * keeps its path.
 */
function pointerMap(converted: Record<string, unknown>): (pointer: string) => string {
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
  return (pointer) => {
    const segments = pointerSegments(pointer);
    for (let n = segments.length; n > 0; n--) {
      const origin = moved.get(toPointer(segments.slice(0, n)));
      if (origin !== undefined) return origin + toPointer(segments.slice(n));
    }
    return pointer;
  };
}

interface Operation {
  action?: string;
  channel?: { $ref?: string };
  messages?: { $ref?: string }[];
}

const refTarget = (ref: string | undefined): string[] | undefined =>
  ref?.startsWith('#/') ? pointerSegments(ref) : undefined;
