/**
 * Type-level tests: every dialect's outbound table names every chat event type, so a new chat event does not
 * compile until each dialect translates it or says it ignores it. Run through tsc by vitest's typecheck.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { CanonicalContract } from '../../../generated/canonical/contract.gen.js';
import type { MessengerContract } from '../../../generated/messenger/contract.gen.js';
import type { Emitter } from '../../../runtime/server.js';
import type { Chat } from '../../../server/core/chat.js';
import type { ChatEvent } from '../../../server/core/events.js';
import { canonicalEvents } from '../../../server/outbound/canonical.js';
import { chatterboxEvents } from '../../../server/outbound/chatterbox.js';
import { helpdeskEvents } from '../../../server/outbound/helpdesk.js';
import { messengerEvents } from '../../../server/outbound/messenger.js';
import { threadsEvents } from '../../../server/outbound/threads.js';
import { workspaceEvents } from '../../../server/outbound/workspace.js';
import type { Translations, TranslationsOf } from '../../../server/session/translate.js';
import type { Room } from '../../../server/store/types.js';

/** The chat as it would be with one more event. */
type Extended = ChatEvent | { type: 'room.archived'; room: Room };

describe('outbound tables', () => {
  it('every dialect answers with a table of every chat event type', () => {
    expectTypeOf(messengerEvents).returns.toEqualTypeOf<Translations>();
    expectTypeOf(threadsEvents).returns.toEqualTypeOf<Translations>();
    expectTypeOf(chatterboxEvents).returns.toEqualTypeOf<Translations>();
    expectTypeOf(helpdeskEvents).returns.toEqualTypeOf<Translations>();
    expectTypeOf(workspaceEvents).returns.toEqualTypeOf<Translations>();
    expectTypeOf(canonicalEvents).returns.toEqualTypeOf<Translations>();
  });

  it('a new chat event type does not compile until each dialect says what it does with it', () => {
    const table = (emit: Emitter<MessengerContract>): TranslationsOf<Extended> => {
      // @ts-expect-error `room.archived` is missing from the messenger table
      return messengerEvents(emit);
    };
    const told = (emit: Emitter<CanonicalContract>, chat: Chat): TranslationsOf<Extended> => ({
      ...canonicalEvents(emit, { chat }),
      'room.archived': 'ignored',
    });
    expectTypeOf(table).toBeFunction();
    expectTypeOf(told).toBeFunction();
  });

  it('a missing entry, an unknown one, or a translator of another event does not compile', () => {
    const full = {} as Translations;
    const { broadcast: _dropped, ...partial } = full;
    // @ts-expect-error `broadcast` has no entry
    const missing: Translations = partial;
    // @ts-expect-error no such chat event
    const unknown: Translations = { ...full, 'room.archived': 'ignored' };
    // @ts-expect-error a broadcast translator reads the broadcast, not a message
    const wrong: Translations = { ...full, broadcast: (event) => event.message.id };
    // @ts-expect-error only a translator or 'ignored'
    const word: Translations = { ...full, broadcast: 'skipped' };
    expectTypeOf([missing, unknown, wrong, word]).toBeArray();
  });
});
