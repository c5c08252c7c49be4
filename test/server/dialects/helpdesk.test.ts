/** `/helpdesk`'s wire mappers and outbound table: given records and chat events, the exact wire. */
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../server/core/chat.js';
import type { ChatEvent } from '../../../server/core/events.js';
import {
  callEndedTo,
  channelChanges,
  helpdeskEvents,
  newMessage,
  SIGNED_IN,
  wireId,
} from '../../../server/outbound/helpdesk.js';
import { call, message, presence, room, type Sent, T0, T1, told, user } from './fixtures.js';

const alice = user('alice');
const seven = user('7', { displayName: 'Seven', role: 'admin' });
/** Only `now()` is read (by the presence translations). */
const chat = { now: () => T1 } as unknown as Chat;

describe('wireId', () => {
  const cases: [string, { given: string; want: string | number }][] = [
    ['a canonical decimal integer is a number', { given: '42', want: 42 }],
    ['zero', { given: '0', want: 0 }],
    ['a leading zero stays a string', { given: '01', want: '01' }],
    ['beyond safe integers stays a string', { given: '9007199254740993', want: '9007199254740993' }],
    ['anything else stays a string', { given: 'room_ab12', want: 'room_ab12' }],
    ['a negative number stays a string', { given: '-1', want: '-1' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(wireId(given)).toBe(want);
  });
});

describe('newMessage', () => {
  const cases: [string, { given: Parameters<typeof newMessage>; want: unknown }][] = [
    [
      'ids as numbers where they are integers',
      {
        given: [message({ id: '10', roomId: '1', replyToId: '9' }), seven],
        want: {
          id: 10,
          channelId: 1,
          userId: 7,
          userDisplayName: 'Seven',
          message: 'hello',
          messageType: 'text',
          replyToId: 9,
          timestamp: T0,
        },
      },
    ],
    [
      'a system message reads as text; attachments only: their names',
      {
        given: [
          message({
            type: 'system',
            content: '',
            metadata: { attachments: [{ filename: 'a.png' }, { url: 'https://x/b' }] },
          }),
          alice,
        ],
        want: {
          id: 'm1',
          channelId: 'general',
          userId: 'alice',
          userDisplayName: 'Alice',
          message: 'a.png, https://x/b',
          messageType: 'text',
          replyToId: null,
          timestamp: T0,
        },
      },
    ],
    [
      'no text and nothing named: (attachment)',
      {
        given: [
          message({ type: 'image', content: '', metadata: { attachments: [{ uploadId: 'u' }] } }),
          alice,
        ],
        want: {
          id: 'm1',
          channelId: 'general',
          userId: 'alice',
          userDisplayName: 'Alice',
          message: '(attachment)',
          messageType: 'image',
          replyToId: null,
          timestamp: T0,
        },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(newMessage(...given)).toEqual(want);
  });
});

describe('channelChanges', () => {
  const cases: [string, { given: Parameters<typeof channelChanges>[0]; want: unknown }][] = [
    [
      'name and description',
      { given: { name: 'n', description: null }, want: { name: 'n', description: null } },
    ],
    ['a topic has no place in the seed', { given: { topic: 't' }, want: {} }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(channelChanges(given)).toEqual(want);
  });
});

describe('callEndedTo', () => {
  const cases: [string, { given: Parameters<typeof callEndedTo>[0]; want: string[] }][] = [
    ['rang out: both parties', { given: call({ state: 'missed' }), want: ['user:alice', 'user:bob'] }],
    [
      'the caller hung up: the callee',
      { given: call({ state: 'ended', endedBy: 'alice' }), want: ['user:bob'] },
    ],
    [
      'the callee hung up: the caller',
      { given: call({ state: 'ended', endedBy: 'bob' }), want: ['user:alice'] },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(callEndedTo(given)).toEqual(want);
  });
});

describe('helpdeskEvents', () => {
  const cases: [string, { given: ChatEvent; want: Sent[] }][] = [
    [
      'room.joined: user_joined to the channel',
      {
        given: { type: 'room.joined', room: room({ id: '1' }), user: seven, newMember: false, at: T1 },
        want: [
          {
            to: ['room:1'],
            except: [],
            event: 'user_joined',
            args: [{ userId: 7, userDisplayName: 'Seven', userRole: 'admin', channelId: 1, joinedAt: T1 }],
          },
        ],
      },
    ],
    [
      'broadcast: to every signed-in socket',
      {
        given: {
          type: 'broadcast',
          broadcast: {
            id: '3',
            message: 'hi',
            priority: 'high',
            from: '7',
            fromName: 'Seven',
            broadcastAt: T1,
          },
        },
        want: [
          {
            to: [SIGNED_IN],
            except: [],
            event: 'system_broadcast_received',
            args: [{ message: 'hi', priority: 'high', from: 'Seven', broadcastAt: T1, broadcastId: 3 }],
          },
        ],
      },
    ],
    [
      'file.uploaded without a message: nothing',
      {
        given: {
          type: 'file.uploaded',
          notice: {
            roomId: '1',
            fileName: 'a',
            fileSize: 1,
            fileType: 'text/plain',
            messageId: null,
            uploadedAt: T1,
          },
          by: alice,
        },
        want: [],
      },
    ],
    [
      'call.rejected: to the caller',
      {
        given: { type: 'call.rejected', call: call({ state: 'rejected', endedBy: 'bob' }) },
        want: [{ to: ['user:alice'], except: [], event: 'call:rejected', args: [{ callId: 'call1' }] }],
      },
    ],
    [
      'presence.offline: presence_updated (disconnect) and presence:update to every other signed-in socket',
      {
        given: {
          type: 'presence.offline',
          user: user('7', { displayName: 'Seven', statusMessage: 'brb' }),
          lastSeen: T1,
        },
        want: [
          {
            to: [SIGNED_IN],
            except: ['user:7'],
            event: 'presence_updated',
            args: [
              {
                userId: 7,
                userDisplayName: 'Seven',
                status: 'offline',
                statusMessage: 'brb',
                customStatus: null,
                timestamp: T1,
                reason: 'disconnect',
              },
            ],
          },
          {
            to: [SIGNED_IN],
            except: ['user:7'],
            event: 'presence:update',
            args: [{ userId: 7, status: 'offline', connectionCount: 0 }],
          },
        ],
      },
    ],
    [
      'presence.status: presence_updated (status_change, now) to every signed-in socket, the user included',
      {
        given: {
          type: 'presence.status',
          user: seven,
          state: presence({ userId: '7', status: 'busy', connectionCount: 2 }),
        },
        want: [
          {
            to: [SIGNED_IN],
            except: [],
            event: 'presence_updated',
            args: [
              {
                userId: 7,
                userDisplayName: 'Seven',
                status: 'busy',
                statusMessage: null,
                customStatus: null,
                timestamp: T1,
                reason: 'status_change',
              },
            ],
          },
          {
            to: [SIGNED_IN],
            except: [],
            event: 'presence:update',
            args: [{ userId: 7, status: 'busy', connectionCount: 2 }],
          },
        ],
      },
    ],
    [
      'message.edited: ignored',
      { given: { type: 'message.edited', message: message(), editor: alice }, want: [] },
    ],
  ];
  it.each(cases)('%s', async (_name, { given, want }) => {
    expect(await told((emit) => helpdeskEvents(emit, { chat }), given)).toEqual(want);
  });
});
