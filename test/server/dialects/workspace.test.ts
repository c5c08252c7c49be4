/** `/workspace`'s wire mappers and rate-limit wording: given records, the exact wire. */
import { describe, expect, it } from 'vitest';
import { RateLimited } from '../../../server/core/limits.js';
import {
  attachmentOf,
  attachmentsOf,
  person,
  placeOf,
  reactionId,
  reactionOf,
  workspaceRateLimited,
} from '../../../server/outbound/workspace.js';
import { message, T0, upload, user } from './fixtures.js';

describe('placeOf', () => {
  const cases: [string, { given: Parameters<typeof placeOf>[0]; want: string }][] = [
    ['a direct room is a conversation', { given: { kind: 'direct' }, want: 'conversation' }],
    ['a group is a conversation', { given: { kind: 'group' }, want: 'conversation' }],
    ['a channel is a channel', { given: { kind: 'channel' }, want: 'channel' }],
    ['so are public rooms and threads', { given: { kind: 'thread' }, want: 'channel' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(placeOf(given)).toBe(want);
  });
});

describe('attachmentOf', () => {
  const cases: [string, { given: Parameters<typeof attachmentOf>; want: unknown }][] = [
    [
      'as the upload API answers it',
      {
        given: [upload()],
        want: {
          id: 'up1',
          filename: 'up1-plan.pdf',
          originalName: 'plan.pdf',
          mimeType: 'application/pdf',
          size: 1234,
          url: '/api/uploads/up1',
          createdAt: T0,
        },
      },
    ],
    [
      'on a message, the link names it',
      {
        given: [upload({ id: 'a b' }), 'm/1'],
        want: {
          id: 'a b',
          filename: 'up1-plan.pdf',
          originalName: 'plan.pdf',
          mimeType: 'application/pdf',
          size: 1234,
          url: '/api/uploads/a%20b?messageId=m%2F1',
          createdAt: T0,
        },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(attachmentOf(...given)).toEqual(want);
  });
});

describe('attachmentsOf', () => {
  const uploads = new Map([['up1', upload()]]);
  const cases: [string, { given: Parameters<typeof attachmentsOf>[0]; want: unknown }][] = [
    [
      'uploads in full; unknown uploads left out; links with what is known; messenger fileUrl last',
      {
        given: message({
          metadata: {
            attachments: [{ uploadId: 'up1' }, { uploadId: 'gone' }, { url: 'https://x/dir/pic.png?s=1' }],
            fileUrl: 'https://x/f.pdf',
            fileName: 'f.pdf',
          },
        }),
        want: [
          attachmentOf(upload(), 'm1'),
          {
            id: 'm1:2',
            filename: 'pic.png',
            originalName: 'pic.png',
            mimeType: 'application/octet-stream',
            size: 0,
            url: 'https://x/dir/pic.png?s=1',
            createdAt: T0,
          },
          {
            id: 'm1:3',
            filename: 'f.pdf',
            originalName: 'f.pdf',
            mimeType: 'application/octet-stream',
            size: 0,
            url: 'https://x/f.pdf',
            createdAt: T0,
          },
        ],
      },
    ],
    ['none', { given: message(), want: [] }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(attachmentsOf(given, uploads)).toEqual(want);
  });
});

describe('reactions and people', () => {
  it('derives a stable id from message, user and emoji', () => {
    const reaction = { messageId: 'm1', userId: 'bob', emoji: '👍', createdAt: T0 };
    expect(reactionId(reaction)).toMatch(/^rxn_[0-9a-f]{20}$/);
    expect(reactionId(reaction)).toBe(reactionId({ ...reaction }));
    expect(reactionId(reaction)).not.toBe(reactionId({ ...reaction, emoji: '🎉' }));
    expect(reactionOf(reaction, new Map())).toEqual({
      id: reactionId(reaction),
      emoji: '👍',
      messageId: 'm1',
      userId: 'bob',
      createdAt: T0,
      user: { id: 'bob', name: 'bob' },
    });
    expect(person(user('bob', { displayName: '', avatar: '' }))).toEqual({
      id: 'bob',
      name: 'bob',
      image: null,
    });
  });
});

describe('workspaceRateLimited', () => {
  it('names the bucket, as the seed did', () => {
    const result = { allowed: false, limit: 20, remaining: 0, resetMs: 4000, retryAfterMs: 200 };
    const error = workspaceRateLimited(new RateLimited('reaction', result, 0));
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'too many reaction events: at most 20 at once; retry in 200 ms',
      details: result,
    });
  });
});
