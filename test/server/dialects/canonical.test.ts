/** `/`'s wire mappers and its rate-limit notice: given records, the exact wire. */
import { describe, expect, it } from 'vitest';
import { RateLimited } from '../../../server/core/limits.js';
import {
  attachmentOut,
  callOut,
  canonicalRateLimited,
  messageOut,
  presenceOut,
  reactionUpdated,
  userRef,
} from '../../../server/outbound/canonical.js';
import { call, message, presence, recorder, T0, T1, user } from './fixtures.js';

const alice = user('alice');

describe('userRef', () => {
  const cases: [string, { given: Parameters<typeof userRef>[0]; want: unknown }][] = [
    [
      'display name and avatar',
      {
        given: user('bob', { displayName: 'Bob B', avatar: 'https://x/b.png' }),
        want: { id: 'bob', username: 'bob', displayName: 'Bob B', avatar: 'https://x/b.png' },
      },
    ],
    [
      'no display name: the username; an empty avatar is none',
      {
        given: user('bob', { displayName: '', avatar: '' }),
        want: { id: 'bob', username: 'bob', displayName: 'bob', avatar: null },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(userRef(given)).toEqual(want);
  });
});

describe('attachmentOut', () => {
  const cases: [string, { given: Parameters<typeof attachmentOut>; want: unknown }][] = [
    [
      'an upload of this server is fetched through its message',
      {
        given: [{ uploadId: 'up1', filename: 'a.pdf', mimeType: 'application/pdf', size: 3 }, 'm1'],
        want: {
          uploadId: 'up1',
          url: '/api/uploads/up1?messageId=m1',
          filename: 'a.pdf',
          mimeType: 'application/pdf',
          size: 3,
        },
      },
    ],
    [
      'a link keeps its URL; a size that is not a whole number is left out',
      {
        given: [{ url: 'https://x/a.png', type: 'image', size: -1 }, 'm1'],
        want: { url: 'https://x/a.png', type: 'image' },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(attachmentOut(...given)).toEqual(want);
  });
});

describe('messageOut', () => {
  it('carries the sender, the attachments and the given reactions', () => {
    const reactions = [{ emoji: '👍', count: 2, userIds: ['alice', 'bob'] }];
    expect(
      messageOut(
        message({ editedAt: T1, metadata: { attachments: [{ uploadId: 'up1' }] } }),
        alice,
        reactions,
      ),
    ).toEqual({
      id: 'm1',
      roomId: 'general',
      sender: { id: 'alice', username: 'alice', displayName: 'Alice', avatar: null },
      type: 'text',
      content: 'hello',
      replyToId: null,
      forwardedFromId: null,
      clientMessageId: null,
      attachments: [{ uploadId: 'up1', url: '/api/uploads/up1?messageId=m1' }],
      reactions,
      seq: 7,
      changeSeq: 7,
      createdAt: T0,
      editedAt: T1,
      deletedAt: null,
    });
  });
});

describe('presenceOut', () => {
  const cases: [string, { given: Parameters<typeof presenceOut>[0]; want: unknown }][] = [
    [
      'connected: no last seen',
      {
        given: presence({ lastSeen: T0 }),
        want: { userId: 'alice', status: 'online', statusMessage: null, connectionCount: 1, lastSeen: null },
      },
    ],
    [
      'gone: when they were last seen',
      {
        given: presence({ status: 'offline', connectionCount: 0, lastSeen: T0 }),
        want: { userId: 'alice', status: 'offline', statusMessage: null, connectionCount: 0, lastSeen: T0 },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(presenceOut(given)).toEqual(want);
  });
});

describe('callOut and reactionUpdated', () => {
  it('say the call and the reaction as they are', () => {
    expect(callOut(call({ state: 'accepted', answeredAt: T1 }))).toEqual({
      id: 'call1',
      callerId: 'alice',
      calleeId: 'bob',
      callType: 'audio',
      state: 'accepted',
      createdAt: T0,
      answeredAt: T1,
      endedAt: null,
      endedBy: null,
    });
    expect(reactionUpdated({ message: message(), user: alice, emoji: '🎉', counts: [] }, 'removed')).toEqual({
      roomId: 'general',
      messageId: 'm1',
      userId: 'alice',
      emoji: '🎉',
      action: 'removed',
      reactions: [],
    });
  });
});

describe('canonicalRateLimited', () => {
  it('sends rate_limit:exceeded to the refused socket and keeps the core error', () => {
    const { emit, sent } = recorder();
    const result = { allowed: false, limit: 10, remaining: 0, resetMs: 5000, retryAfterMs: 500 };
    const refusal = new RateLimited('message', result, 0);
    const ctx = { socket: { id: 's1' }, emit, event: 'message:send' } as never;
    expect(canonicalRateLimited(refusal, ctx)).toBeUndefined();
    expect(refusal.message).toBe('too many messages: at most 10 at once; retry in 500 ms');
    expect(sent).toEqual([
      {
        to: ['s1'],
        except: [],
        event: 'rate_limit:exceeded',
        args: [{ event: 'message:send', limit: 10, remaining: 0, resetMs: 5000, retryAfterMs: 500 }],
      },
    ]);
  });
});
