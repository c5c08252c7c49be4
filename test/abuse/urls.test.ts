/**
 * URL fields a client sends, and the server passes on to other clients, take http(s) URLs or paths on this
 * server only: a `javascript:` or `data:` URL would run in the browser of whoever clicks it.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { SendMessagePayload as MessengerSend } from '../../generated/messenger/schemas.gen.js';
import { ThreadsNewAttachment } from '../../generated/threads/schemas.gen.js';
import { WorkspaceAttachmentRef } from '../../generated/workspace/schemas.gen.js';

const fields: [string, (url: string) => unknown, z.ZodType][] = [
  [
    '/messenger send_message.fileUrl',
    (fileUrl) => ({ conversationId: 'c1', content: 'see', type: 'file', fileUrl }),
    MessengerSend,
  ],
  ['/threads attachment url', (url) => ({ type: 'file', url }), ThreadsNewAttachment],
  ['/workspace attachment url', (url) => ({ id: 'upl_1', url }), WorkspaceAttachmentRef],
];

describe.each(fields)('%s', (_name, payload, schema) => {
  it.each(['https://files.example.com/a.png', 'http://localhost:3000/x', '/api/uploads/upl_1'])(
    'accepts %s',
    (url) => {
      expect(schema.safeParse(payload(url)).success).toBe(true);
    },
  );

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    ' https://x.test',
  ])('refuses %s', (url) => {
    expect(schema.safeParse(payload(url)).success).toBe(false);
  });
});
