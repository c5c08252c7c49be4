/**
 * Records and a recording emitter for the dialects' table tests: what each wire mapper and outbound table is
 * given, and every emit it makes (to which rooms, except which, which event, which arguments).
 */
import type { ChatEvent } from '../../../server/core/events.js';
import type { Call } from '../../../server/domain/calls.js';
import type { PresenceState } from '../../../server/domain/presence.js';
import type { Translations } from '../../../server/session/translate.js';
import type { Message, Room, Upload, User } from '../../../server/store/types.js';

export const T0 = '2026-01-02T03:04:05.000Z';
export const T1 = '2026-01-02T03:05:00.000Z';

export function user(id: string, patch: Partial<User> = {}): User {
  return {
    id,
    username: id,
    displayName: id[0]!.toUpperCase() + id.slice(1),
    avatar: null,
    role: 'member',
    status: 'online',
    statusMessage: null,
    customStatus: null,
    lastSeen: null,
    createdAt: T0,
    ...patch,
  };
}

export function message(patch: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    roomId: 'general',
    senderId: 'alice',
    clientMessageId: null,
    type: 'text',
    content: 'hello',
    replyToId: null,
    forwardedFromId: null,
    metadata: null,
    seq: 7,
    changeSeq: 7,
    createdAt: T0,
    editedAt: null,
    deletedAt: null,
    ...patch,
  };
}

export function room(patch: Partial<Room> = {}): Room {
  return {
    id: 'general',
    kind: 'channel',
    name: 'general',
    description: null,
    topic: null,
    private: false,
    createdBy: 'alice',
    createdAt: T0,
    updatedAt: T0,
    ...patch,
  };
}

export function upload(patch: Partial<Upload> = {}): Upload {
  return {
    id: 'up1',
    ownerId: 'alice',
    filename: 'plan.pdf',
    mimeType: 'application/pdf',
    size: 1234,
    path: 'up1-plan.pdf',
    createdAt: T0,
    ...patch,
  };
}

export function call(patch: Partial<Call> = {}): Call {
  return {
    id: 'call1',
    callerId: 'alice',
    calleeId: 'bob',
    callType: 'audio',
    state: 'ringing',
    createdAt: T0,
    answeredAt: null,
    endedAt: null,
    endedBy: null,
    ...patch,
  };
}

export function presence(patch: Partial<PresenceState> = {}): PresenceState {
  return {
    userId: 'alice',
    status: 'online',
    statusMessage: null,
    customStatus: null,
    connectionCount: 1,
    lastSeen: null,
    ...patch,
  };
}

/** One emit: its target (`to` rooms, `except` rooms, or one socket) and what was sent. */
export interface Sent {
  to: string[];
  except: string[];
  event: string;
  args: unknown[];
}

/** An emitter that records instead of sending; `never` so that it stands in for any contract's emitter. */
export function recorder(): { emit: never; sent: Sent[] } {
  const sent: Sent[] = [];
  const list = (rooms: string | readonly string[]) => (typeof rooms === 'string' ? [rooms] : [...rooms]);
  const target = (to: string[], except: string[]): object => ({
    to: (rooms: string | readonly string[]) => target([...to, ...list(rooms)], except),
    except: (rooms: string | readonly string[]) => target(to, [...except, ...list(rooms)]),
    emit: (event: string, ...args: unknown[]) => sent.push({ to, except, event, args }),
  });
  const emit = {
    ...target([], []),
    toSocket: (socket: { id: string }) => target([socket.id], []),
  };
  return { emit: emit as never, sent };
}

/** What a dialect's outbound table sends for one chat event (nothing when it ignores it). */
export async function told(table: (emit: never) => Translations, event: ChatEvent): Promise<Sent[]> {
  const { emit, sent } = recorder();
  const translate = table(emit)[event.type];
  if (translate !== 'ignored') await translate(event as never);
  return sent;
}
