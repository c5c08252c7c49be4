/** `/chatterbox`'s wire mappers and outbound table: given records and chat events, the exact wire. */
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../server/core/events.js';
import {
  chatterboxEvents,
  chatterboxMessage,
  roomMessage,
  typist,
} from '../../../server/outbound/chatterbox.js';
import { message, room, type Sent, T0, told, user } from './fixtures.js';

const alice = user('alice');

describe('chatterboxMessage', () => {
  const cases: [string, { given: Parameters<typeof chatterboxMessage>; want: unknown }][] = [
    [
      'text only',
      {
        given: [message(), alice],
        want: {
          _id: 'm1',
          conversationId: 'general',
          sender: { _id: 'alice', username: 'alice' },
          content: 'hello',
          createdAt: T0,
        },
      },
    ],
    [
      'attachments as upload ids, else URLs; empty ones left out',
      {
        given: [
          message({ metadata: { attachments: [{ uploadId: 'up1' }, { url: 'https://x/a' }, { url: '' }] } }),
          alice,
        ],
        want: {
          _id: 'm1',
          conversationId: 'general',
          sender: { _id: 'alice', username: 'alice' },
          content: 'hello',
          attachments: ['up1', 'https://x/a'],
          createdAt: T0,
        },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(chatterboxMessage(...given)).toEqual(want);
  });
});

describe('roomMessage and typist', () => {
  it('names the room and the sender', () => {
    expect(roomMessage(message(), alice, 'lobby')).toEqual({
      _id: 'm1',
      roomName: 'lobby',
      sender: { _id: 'alice', username: 'alice' },
      content: 'hello',
      createdAt: T0,
    });
    expect(typist('c1', alice)).toEqual({ conversationId: 'c1', userId: 'alice', username: 'alice' });
  });
});

describe('chatterboxEvents', () => {
  const lobby = room({ id: 'r1', kind: 'public', name: 'lobby' });
  const cases: [string, { given: ChatEvent; want: Sent[] }][] = [
    [
      'message.created in a public room: new-message to its conversation followers, room-message to its joiners',
      {
        given: { type: 'message.created', message: message({ roomId: 'r1' }), sender: alice, room: lobby },
        want: [
          {
            to: ['conversation:r1'],
            except: [],
            event: 'new-message',
            args: [chatterboxMessage(message({ roomId: 'r1' }), alice)],
          },
          {
            to: ['public:r1'],
            except: [],
            event: 'room-message',
            args: [roomMessage(message({ roomId: 'r1' }), alice, 'lobby')],
          },
        ],
      },
    ],
    [
      'message.created without content: nothing',
      {
        given: { type: 'message.created', message: message({ content: '' }), sender: alice, room: room() },
        want: [],
      },
    ],
    [
      "typing.changed (stopped): user-stop-typing to the conversation but the typist's tabs",
      {
        given: { type: 'typing.changed', roomId: 'c1', user: alice, isTyping: false, typing: [] },
        want: [
          {
            to: ['conversation:c1'],
            except: ['user:alice'],
            event: 'user-stop-typing',
            args: [typist('c1', alice)],
          },
        ],
      },
    ],
    [
      'room.joined: ignored (the joining socket tells it)',
      { given: { type: 'room.joined', room: lobby, user: alice, newMember: true, at: T0 }, want: [] },
    ],
  ];
  it.each(cases)('%s', async (_name, { given, want }) => {
    expect(await told((emit) => chatterboxEvents(emit), given)).toEqual(want);
  });
});
