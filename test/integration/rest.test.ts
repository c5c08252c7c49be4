/**
 * The REST endpoints of the `/workspace` seed against a real server on port 0: history pages, uploads and
 * downloads, with their refusals (401, 403, 400, 413, 415). Uploads are limited to 64 KiB on this server.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, connectAs, nextEvent, startTestServer, type TestServer } from './kit.js';

const MAX_UPLOAD = 64 * 1024;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ domain: { maxUploadBytes: MAX_UPLOAD } });
  await t.server.domain.users.ensure('dave');
});
afterAll(async () => {
  await closeAll();
  await t.close();
});

const uploadsDir = () => path.join(t.dataDir, 'uploads');
const storedFiles = async () => (existsSync(uploadsDir()) ? (await readdir(uploadsDir())).sort() : []);

async function request(
  route: string,
  user: string | null,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (user) headers.Authorization = `Bearer ${await t.server.auth.issueToken!(user)}`;
  return fetch(`${t.server.url}${route}`, { ...init, headers });
}

interface ErrorBody {
  error: { code: string; message: string };
}

interface Attachment {
  id: string;
  filename: string;
  originalName: string;
  mimeType: string;
  size: number;
  url: string;
  createdAt: string;
}

interface Page {
  data: {
    id: string;
    content: string;
    channelId?: string;
    conversationId?: string;
    replyToId: string | null;
    replyTo: { id: string } | null;
    attachments: Attachment[];
    reactions: { emoji: string; userId: string; user: { name: string } }[];
  }[];
  page: number;
  hasMore: boolean;
}

/** A multipart upload of one part `field` (default `file`). */
function upload(user: string | null, bytes: Buffer | string, type: string, filename: string, field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), filename);
  return request('/api/upload', user, { method: 'POST', body: form });
}

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

describe('REST: authentication', () => {
  const routes: [string, string][] = [
    ['GET', '/api/messages?channelId=general'],
    ['GET', '/api/conversations/alice-bob/messages'],
    ['POST', '/api/upload'],
    ['GET', '/api/uploads/upl_anything'],
  ];
  const credentials: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a token with a bad signature', { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln' }],
    ['another scheme', { Authorization: 'Basic YWxpY2U6c2VjcmV0' }],
  ];
  const cases = routes.flatMap(([method, route]) =>
    credentials.map(([name, headers]) => [method, route, name, headers] as const),
  );

  it.each(cases)('%s %s with %s is 401 with a JSON error', async (method, route, _name, headers) => {
    const before = await storedFiles();
    const body = method === 'POST' ? new FormData() : undefined;
    body?.append('file', new Blob([PNG], { type: 'image/png' }), 'cat.png');
    const response = await request(route, null, { method, headers, body });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = (await response.json()) as ErrorBody;
    expect(answer.error.code).toBe('UNAUTHENTICATED');
    expect(answer.error.message).not.toBe('');
    expect(await storedFiles()).toEqual(before);
  });

  it('refuses a valid token for a user the server does not know', async () => {
    const response = await request('/api/messages?channelId=general', 'ghost');
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
  });
});

describe('REST: history', () => {
  let channel: string;
  const ids: string[] = [];
  beforeAll(async () => {
    const { rooms } = t.server.domain;
    channel = (await rooms.create('alice', { kind: 'channel', name: 'paging', members: ['bob'] })).room.id;
    for (let i = 1; i <= 7; i++)
      ids.push((await t.server.chat.sendMessage('bob', { roomId: channel, content: `m${i}` })).message.id);
  });

  const page = async (query: string, user = 'alice') => {
    const response = await request(`/api/messages?channelId=${channel}&${query}`, user);
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };

  it('pages from the newest, each page oldest first, with hasMore', async () => {
    const first = await page('page=1&limit=3');
    expect(first.data.map((m) => m.content)).toEqual(['m5', 'm6', 'm7']);
    expect(first).toMatchObject({ page: 1, hasMore: true });
    const second = await page('page=2&limit=3');
    expect(second.data.map((m) => m.content)).toEqual(['m2', 'm3', 'm4']);
    expect(second).toMatchObject({ page: 2, hasMore: true });
    const third = await page('page=3&limit=3');
    expect(third.data.map((m) => m.content)).toEqual(['m1']);
    expect(third).toMatchObject({ page: 3, hasMore: false });
    expect(await page('page=4&limit=3')).toEqual({ data: [], page: 4, hasMore: false });
  });

  it("defaults to page 1 of 50 and gives the seed's Message shape", async () => {
    const all = await page('');
    expect(all.page).toBe(1);
    expect(all.hasMore).toBe(false);
    expect(all.data.map((m) => m.id)).toEqual(ids);
    expect(all.data[0]).toEqual({
      id: ids[0],
      content: 'm1',
      channelId: channel,
      userId: 'bob',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      replyToId: null,
      user: { id: 'bob', name: 'Bob', image: null },
      replyTo: null,
      attachments: [],
      reactions: [],
    });
  });

  it('leaves deleted messages out, and a reply to one keeps replyToId with replyTo null', async () => {
    const { chat } = t.server;
    const doomed = await chat.sendMessage('alice', { roomId: channel, content: 'doomed' });
    const reply = await chat.sendMessage('bob', {
      roomId: channel,
      content: 'reply',
      replyToId: doomed.message.id,
    });
    let latest = await page('limit=2');
    expect(latest.data.map((m) => m.content)).toEqual(['doomed', 'reply']);
    expect(latest.data[1]?.replyTo).toMatchObject({ id: doomed.message.id });

    await chat.deleteMessage('alice', doomed.message.id);
    latest = await page('limit=2');
    expect(latest.data.map((m) => m.content)).toEqual(['m7', 'reply']);
    expect(latest.data[1]).toMatchObject({
      id: reply.message.id,
      replyToId: doomed.message.id,
      replyTo: null,
    });
  });

  it('shows reactions with who reacted', async () => {
    await t.server.chat.addReaction('alice', ids[0]!, '👍');
    const [first] = (await page('page=1&limit=100')).data;
    expect(first?.reactions).toEqual([
      {
        id: expect.stringMatching(/^rxn_/),
        emoji: '👍',
        messageId: ids[0],
        userId: 'alice',
        createdAt: expect.any(String),
        user: { id: 'alice', name: 'Alice' },
      },
    ]);
  });

  it("pages a conversation's messages for its participants", async () => {
    const response = await request('/api/conversations/alice-bob/messages?page=1', 'bob');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Page;
    expect(body.data.map((m) => m.content)).toContain('Hi Bob!');
    for (const m of body.data) {
      expect(m.conversationId).toBe('alice-bob');
      expect(m).not.toHaveProperty('channelId');
    }
  });

  it.each([
    [
      'a channel the user is not a member of',
      '/api/messages?channelId=general',
      'dave',
      'Access denied to channel',
    ],
    ['an unknown channel', '/api/messages?channelId=nope', 'alice', 'Access denied to channel'],
    [
      'a conversation asked for as a channel',
      '/api/messages?channelId=alice-bob',
      'alice',
      'Access denied to channel',
    ],
    [
      'a conversation the user is not in',
      '/api/conversations/alice-bob/messages',
      'carol',
      'Access denied to conversation',
    ],
    [
      'a channel asked for as a conversation',
      '/api/conversations/general/messages',
      'alice',
      'Access denied to conversation',
    ],
  ])('refuses %s with 403', async (_name, route, user, message) => {
    const response = await request(route, user);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'FORBIDDEN', message } });
  });

  it.each([
    ['no channelId', '/api/messages?page=1'],
    ['page 0', '/api/messages?channelId=general&page=0'],
    ['a page that is not a number', '/api/messages?channelId=general&page=two'],
    ['a fractional page', '/api/messages?channelId=general&page=1.5'],
    ['a limit over 100', '/api/messages?channelId=general&limit=101'],
  ])('answers %s with 400', async (_name, route) => {
    const response = await request(route, 'alice');
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('VALIDATION_FAILED');
  });

  it('answers another method with 405 and Allow', async () => {
    const response = await request('/api/messages?channelId=general', 'alice', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});

describe('REST: uploads', () => {
  it('stores an allowed file under a generated name and answers { data: Attachment }', async () => {
    const response = await upload('alice', PNG, 'image/png', 'cat.png');
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: Attachment };
    expect(data).toEqual({
      id: expect.stringMatching(/^upl_/),
      filename: expect.stringMatching(/^\d+-[0-9a-f-]{36}\.png$/),
      originalName: 'cat.png',
      mimeType: 'image/png',
      size: PNG.length,
      url: `/api/uploads/${data.id}`,
      createdAt: expect.any(String),
    });
    expect(await readFile(path.join(uploadsDir(), data.filename))).toEqual(PNG);
    expect(await t.server.store.getUpload(data.id)).toMatchObject({ ownerId: 'alice', path: data.filename });
  });

  it("never uses the client's path: a name with directories is reduced to its last part", async () => {
    const response = await upload('alice', PNG, 'image/png', '../../../etc/evil.png');
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: Attachment };
    expect(data.originalName).toBe('evil.png');
    expect(data.filename).not.toContain('evil');
    expect(await storedFiles()).toContain(data.filename);
  });

  it('takes the type from the extension when the client sends application/octet-stream', async () => {
    const response = await upload('alice', PDF, 'application/octet-stream', 'report.pdf');
    expect(response.status).toBe(201);
    expect(((await response.json()) as { data: Attachment }).data.mimeType).toBe('application/pdf');
  });

  it.each([
    ['an SVG image', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml', 'x.svg', 415],
    ['an HTML page', '<script>alert(1)</script>', 'text/html', 'x.html', 415],
    ['an executable', 'MZ\x90\x00', 'application/octet-stream', 'setup.exe', 415],
    ['text that claims to be a PNG', 'not a png at all', 'image/png', 'fake.png', 415],
    ['a file over the size limit', Buffer.alloc(MAX_UPLOAD + 1, 'a'), 'text/plain', 'big.txt', 413],
    ['an empty file', '', 'text/plain', 'empty.txt', 400],
  ])('refuses %s, leaving nothing behind', async (_name, bytes, type, filename, status) => {
    const before = await storedFiles();
    const response = await upload('alice', bytes, type, filename);
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).not.toBe('');
    if (status === 413) expect(body.error.message).toContain(String(MAX_UPLOAD));
    expect(await storedFiles()).toEqual(before);
  });

  it('refuses a body far over the limit without reading it all', async () => {
    const before = await storedFiles();
    const response = await upload('alice', Buffer.alloc(4 * MAX_UPLOAD, 'a'), 'text/plain', 'huge.txt');
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.code).toBe('VALIDATION_FAILED');
    expect(await storedFiles()).toEqual(before);
  });

  it('refuses a file in another form field, and a form without a file, with 400', async () => {
    const elsewhere = await upload('alice', PNG, 'image/png', 'cat.png', 'picture');
    expect(elsewhere.status).toBe(400);
    const form = new FormData();
    form.append('note', 'no file here');
    const empty = await request('/api/upload', 'alice', { method: 'POST', body: form });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as ErrorBody).error.message).toMatch(/file/);
  });

  it('refuses a body that is not multipart with 415', async () => {
    const response = await request('/api/upload', 'alice', {
      method: 'POST',
      body: JSON.stringify({ file: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as ErrorBody).error.code).toBe('VALIDATION_FAILED');
  });
});

describe('REST: downloads', () => {
  let png: Attachment;
  let pdf: Attachment;
  beforeAll(async () => {
    png = ((await (await upload('alice', PNG, 'image/png', 'cat.png')).json()) as { data: Attachment }).data;
    pdf = (
      (await (await upload('alice', PDF, 'application/pdf', 'résumé 2024.pdf')).json()) as {
        data: Attachment;
      }
    ).data;
  });

  it('serves the owner their file with its type, its name and nosniff', async () => {
    const response = await request(png.url, 'alice');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(PNG.length));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="cat.png"; filename*=UTF-8''cat.png`,
    );
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG);

    const document = await request(pdf.url, 'alice');
    expect(document.headers.get('content-disposition')).toBe(
      `attachment; filename="r_sum_ 2024.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%202024.pdf`,
    );
  });

  it('refuses anyone else without a message that carries the file', async () => {
    const response = await request(png.url, 'bob');
    expect(response.status).toBe(403);
    expect(((await response.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
  });

  it("serves the members of the message's room through the message's url, until it is deleted", async () => {
    const { message } = await t.server.chat.sendMessage('alice', {
      roomId: 'alice-bob',
      content: 'the cat',
      attachments: [{ uploadId: png.id }],
    });
    const history = (await (await request('/api/conversations/alice-bob/messages', 'bob')).json()) as Page;
    const url = history.data.find((m) => m.id === message.id)?.attachments[0]?.url;
    expect(url).toBeDefined();
    expect((await request(url!, 'bob')).status).toBe(200);
    expect((await request(url!, 'carol')).status).toBe(403);

    await t.server.chat.deleteMessage('alice', message.id);
    expect((await request(url!, 'bob')).status).toBe(403);
    expect((await request(url!, 'alice')).status).toBe(200);
  });

  it('answers an unknown upload with 404', async () => {
    const response = await request('/api/uploads/upl_missing', 'alice');
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.code).toBe('NOT_FOUND');
  });
});

describe('REST: uploading into a room', () => {
  it('announces the file to the room (file:uploaded on /), and refuses a non-member before storing anything', async () => {
    const bob = await connectAs(t, '/', 'bob');
    const announced = nextEvent<{ fileName: string; roomId: string }>(bob, 'file:uploaded');
    const form = new FormData();
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'minutes.pdf');
    const ok = await request('/api/upload?roomId=general', 'alice', { method: 'POST', body: form });
    expect(ok.status).toBe(201);
    expect(await announced).toMatchObject({ fileName: 'minutes.pdf', roomId: 'general' });

    const before = await storedFiles();
    const again = new FormData();
    again.append('file', new Blob([PDF], { type: 'application/pdf' }), 'secret.pdf');
    const refused = await request('/api/upload?roomId=alice-bob', 'carol', { method: 'POST', body: again });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
    expect(await storedFiles()).toEqual(before);
  });
});
