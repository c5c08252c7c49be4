/** `/threads`' wire mappers and outbound table: given records and chat events, the exact wire. */
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../server/core/events.js';
import {
  STATUS_TO_WIRE,
  threadChanges,
  threadsEvents,
  threadsMessage,
  typingUsers,
} from '../../../server/outbound/threads.js';
import { message, presence, room, type Sent, T0, T1, told, user } from './fixtures.js';

const alice = user('alice');
const bob = user('bob', { displayName: '' });

describe('threadsMessage', () => {
  const cases: [string, { given: Parameters<typeof threadsMessage>; want: unknown }][] = [
    [
      'text only',
      {
        given: [message()],
        want: { id: 'm1', threadId: 'general', content: 'hello', userId: 'alice', createdAt: T0 },
      },
    ],
    [
      'attachments with a URL only; the type from the MIME type when none is given',
      {
        given: [
          message({
            metadata: {
              attachments: [
                { url: 'https://x/a.png', mimeType: 'image/png' },
                { url: 'https://x/b.pdf', type: 'document' },
                { uploadId: 'up1', mimeType: 'image/png' },
                { url: 'https://x/c.bin' },
              ],
            },
          }),
        ],
        want: {
          id: 'm1',
          threadId: 'general',
          content: 'hello',
          userId: 'alice',
          createdAt: T0,
          attachments: [
            { type: 'image', url: 'https://x/a.png' },
            { type: 'document', url: 'https://x/b.pdf' },
            { type: 'file', url: 'https://x/c.bin' },
          ],
        },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(threadsMessage(...given)).toEqual(want);
  });
});

describe('threadChanges', () => {
  const cases: [string, { given: Parameters<typeof threadChanges>[0]; want: unknown }][] = [
    ['a name is a title', { given: { name: 'Launch' }, want: { title: 'Launch' } }],
    [
      'description and topic, cleared or set',
      { given: { description: null, topic: 'dates' }, want: { description: null, topic: 'dates' } },
    ],
    ['nothing', { given: {}, want: {} }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(threadChanges(given)).toEqual(want);
  });
});

describe('typingUsers', () => {
  const cases: [string, { given: Parameters<typeof typingUsers>; want: unknown }][] = [
    [
      'started: who types now',
      { given: [alice, true, [alice]], want: [{ id: 'alice', name: 'Alice', isTyping: true }] },
    ],
    [
      'stopped: who still types, then who stopped (by username when there is no display name)',
      {
        given: [bob, false, [alice]],
        want: [
          { id: 'alice', name: 'Alice', isTyping: true },
          { id: 'bob', name: 'bob', isTyping: false },
        ],
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(typingUsers(...given)).toEqual(want);
  });
});

describe('STATUS_TO_WIRE', () => {
  it('has no busy: a busy user is away', () => {
    expect(STATUS_TO_WIRE).toEqual({ online: 'ONLINE', away: 'AWAY', busy: 'AWAY', offline: 'OFFLINE' });
  });
});

describe('threadsEvents', () => {
  const cases: [string, { given: ChatEvent; want: Sent[] }][] = [
    [
      'message.created: message:new to the thread',
      {
        given: { type: 'message.created', message: message(), sender: alice, room: room() },
        want: [
          { to: ['thread:general'], except: [], event: 'message:new', args: [threadsMessage(message())] },
        ],
      },
    ],
    [
      'message.created without content (attachments only): nothing',
      {
        given: { type: 'message.created', message: message({ content: '' }), sender: alice, room: room() },
        want: [],
      },
    ],
    [
      'message.deleted: the bare id to every socket',
      {
        given: { type: 'message.deleted', message: message(), deleter: alice, removedReactions: [] },
        want: [{ to: [], except: [], event: 'message:delete', args: ['m1'] }],
      },
    ],
    [
      'message.edited: message:update to the thread',
      {
        given: { type: 'message.edited', message: message({ content: 'new', editedAt: T1 }), editor: alice },
        want: [
          {
            to: ['thread:general'],
            except: [],
            event: 'message:update',
            args: [{ messageId: 'm1', content: 'new', editedAt: T1, threadId: 'general' }],
          },
        ],
      },
    ],
    [
      'presence.status: busy goes out as AWAY',
      {
        given: { type: 'presence.status', user: alice, state: presence({ status: 'busy' }) },
        want: [
          { to: [], except: [], event: 'presence:update', args: [[{ userId: 'alice', status: 'AWAY' }]] },
        ],
      },
    ],
    [
      'room.left: participant_left to the thread',
      {
        given: { type: 'room.left', room: room(), user: bob, reason: 'disconnect', at: T1 },
        want: [
          {
            to: ['thread:general'],
            except: [],
            event: 'thread:update',
            args: [{ threadId: 'general', type: 'participant_left', data: { userId: 'bob', name: 'bob' } }],
          },
        ],
      },
    ],
    [
      'room.updated with nothing the seed names: nothing',
      { given: { type: 'room.updated', room: room(), changes: {}, by: alice, at: T1 }, want: [] },
    ],
    [
      'broadcast: ignored',
      {
        given: {
          type: 'broadcast',
          broadcast: {
            id: 'b1',
            message: 'hi',
            priority: 'normal',
            from: 'alice',
            fromName: 'Alice',
            broadcastAt: T1,
          },
        },
        want: [],
      },
    ],
  ];
  it.each(cases)('%s', async (_name, { given, want }) => {
    expect(await told((emit) => threadsEvents(emit), given)).toEqual(want);
  });
});
