/** `/messenger`'s wire mappers and outbound table: given records and chat events, the exact wire. */
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../server/core/events.js';
import { messageEdited, messengerEvents, messengerMessage } from '../../../server/outbound/messenger.js';
import { message, presence, room, type Sent, T0, T1, told, user } from './fixtures.js';

const alice = user('alice', { avatar: 'https://example.com/a.png' });
const bob = user('bob');

describe('messengerMessage', () => {
  const cases: [string, { given: Parameters<typeof messengerMessage>; want: unknown }][] = [
    [
      'a text message, the sender with their avatar',
      {
        given: [message(), alice],
        want: {
          _id: 'm1',
          conversationId: 'general',
          sender: { _id: 'alice', username: 'alice', avatar: 'https://example.com/a.png' },
          content: 'hello',
          type: 'text',
          status: 'sent',
          createdAt: T0,
        },
      },
    ],
    [
      'a file from messenger metadata, edited; a sender without avatar',
      {
        given: [
          message({
            type: 'file',
            metadata: { fileUrl: 'https://x/f.pdf', fileName: 'f.pdf' },
            editedAt: T1,
          }),
          bob,
        ],
        want: {
          _id: 'm1',
          conversationId: 'general',
          sender: { _id: 'bob', username: 'bob' },
          content: 'hello',
          type: 'file',
          fileUrl: 'https://x/f.pdf',
          fileName: 'f.pdf',
          status: 'sent',
          createdAt: T0,
          edited: true,
          editedAt: T1,
        },
      },
    ],
    [
      'a type the seed does not know reads as text; deleted',
      {
        given: [message({ type: 'system', content: 'This message was deleted', deletedAt: T1 }), bob],
        want: {
          _id: 'm1',
          conversationId: 'general',
          sender: { _id: 'bob', username: 'bob' },
          content: 'This message was deleted',
          type: 'text',
          status: 'sent',
          createdAt: T0,
          deleted: true,
          deletedAt: T1,
        },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(messengerMessage(...given)).toEqual(want);
  });
});

describe('messageEdited', () => {
  const cases: [string, { given: Parameters<typeof messageEdited>; want: unknown }][] = [
    [
      'edited: its edit time',
      {
        given: [message({ content: 'fixed', editedAt: T1 })],
        want: { messageId: 'm1', newContent: 'fixed', editedAt: T1, conversationId: 'general' },
      },
    ],
    [
      'never edited: its creation time',
      {
        given: [message()],
        want: { messageId: 'm1', newContent: 'hello', editedAt: T0, conversationId: 'general' },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(messageEdited(...given)).toEqual(want);
  });
});

describe('messengerEvents', () => {
  const cases: [string, { given: ChatEvent; want: Sent[] }][] = [
    [
      'message.created: receive_message to the room',
      {
        given: { type: 'message.created', message: message(), sender: bob, room: room() },
        want: [
          {
            to: ['room:general'],
            except: [],
            event: 'receive_message',
            args: [{ message: messengerMessage(message(), bob), conversationId: 'general' }],
          },
        ],
      },
    ],
    [
      'message.deleted: message_deleted to the room',
      {
        given: { type: 'message.deleted', message: message(), deleter: bob, removedReactions: [] },
        want: [
          {
            to: ['room:general'],
            except: [],
            event: 'message_deleted',
            args: [{ messageId: 'm1', conversationId: 'general' }],
          },
        ],
      },
    ],
    [
      'messages.read: messages_read to the room',
      {
        given: { type: 'messages.read', roomId: 'general', reader: bob, messageIds: ['m1'], readAt: T1 },
        want: [
          {
            to: ['room:general'],
            except: [],
            event: 'messages_read',
            args: [{ conversationId: 'general', messageIds: ['m1'], readBy: 'bob' }],
          },
        ],
      },
    ],
    [
      "typing.changed: typing_status to the room but the typist's tabs",
      {
        given: { type: 'typing.changed', roomId: 'general', user: bob, isTyping: false, typing: [] },
        want: [
          {
            to: ['room:general'],
            except: ['user:bob'],
            event: 'typing_status',
            args: [{ userId: 'bob', username: 'bob', conversationId: 'general', isTyping: false }],
          },
        ],
      },
    ],
    [
      'presence.offline: user_offline to everyone else',
      {
        given: { type: 'presence.offline', user: bob, lastSeen: T1 },
        want: [
          {
            to: [],
            except: ['user:bob'],
            event: 'user_offline',
            args: [{ userId: 'bob', username: 'bob', lastSeen: T1 }],
          },
        ],
      },
    ],
    [
      'presence.status: ignored (the seed has no words for it)',
      { given: { type: 'presence.status', user: bob, state: presence({ userId: 'bob' }) }, want: [] },
    ],
  ];
  it.each(cases)('%s', async (_name, { given, want }) => {
    expect(await told((emit) => messengerEvents(emit), given)).toEqual(want);
  });
});
