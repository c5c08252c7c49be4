/**
 * Outbound translation: every dialect tells its clients what happened in the chat through a table with one
 * entry per chat event type, either a translator or `'ignored'`. The table's type lists every type, so a new
 * chat event does not compile until every dialect has said what it does with it.
 */
import type { ChatEvent, ChatEventOf, ChatEventType } from '../core/events.js';
import type { Logger } from '../log.js';

/** A dialect's translation of one event: emits (or decides not to), maybe after a lookup. */
export type Translate<K extends ChatEventType> = (event: ChatEventOf<K>) => void | Promise<void>;

/** One entry per type of a union of events: how to tell each, or `'ignored'`. */
export type TranslationsOf<E extends { type: string }> = {
  readonly [K in E['type']]: ((event: Extract<E, { type: K }>) => void | Promise<void>) | 'ignored';
};

/** One entry per chat event type: how the dialect tells it, or that it does not (`'ignored'`). */
export type Translations = TranslationsOf<ChatEvent>;

export interface TranslatorOptions {
  /** Named in the log when a translation fails. */
  nsp: string;
  log: Pick<Logger, 'error'>;
  /**
   * `sync`: each event is told as the bus delivers it (translations that need no lookup). `queued`: one after
   * another, in the order the bus delivered them, even when a translation waits for a lookup (a sender, a
   * membership, reactions), so a later event never overtakes an earlier one.
   */
  order: 'sync' | 'queued';
}

/** Table entries for the event types a dialect has no words for: each is still named, once. */
export function ignoring<K extends ChatEventType>(...types: K[]): { readonly [T in K]: 'ignored' } {
  return Object.fromEntries(types.map((type) => [type, 'ignored'])) as { [T in K]: 'ignored' };
}

/** The bus listener of a table; a failed translation is logged and the next event is told. */
export function translator(
  table: Translations,
  { nsp, log, order }: TranslatorOptions,
): (event: ChatEvent) => void {
  const fail = (event: ChatEvent) => (error: unknown) =>
    log.error({ err: error, nsp, event: event.type }, 'could not announce a chat event');
  const tell = (event: ChatEvent): void | Promise<void> => {
    const translate = table[event.type] as Translate<ChatEventType> | 'ignored';
    if (translate !== 'ignored') return translate(event as never);
  };
  if (order === 'sync') {
    return (event) => {
      try {
        // A translator may return what `emit` returned; only a promise is waited for.
        const told = tell(event);
        if (told instanceof Promise) told.catch(fail(event));
      } catch (error) {
        fail(event)(error);
      }
    };
  }
  let queue: Promise<void> = Promise.resolve();
  return (event) => {
    queue = queue.then(() => tell(event)).catch(fail(event));
  };
}
