/**
 * Uploads at their edges: the size limit is inclusive as documented, and a file name cannot carry the controls
 * that make it read otherwise than it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareName } from '../../server/transport/upload.js';
import { startTestServer, type TestServer } from '../integration/helpers.js';

const MAX_UPLOAD = 4096;
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ domain: { maxUploadBytes: MAX_UPLOAD } });
});
afterAll(async () => {
  await t.close();
});

async function upload(
  bytes: Buffer,
  filename: string,
): Promise<{ status: number; body: { data: { size: number; originalName: string } } }> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'text/plain' }), filename);
  const token = await t.server.auth.issueToken!('alice');
  const response = await fetch(`${t.server.url}/api/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return {
    status: response.status,
    body: (await response.json()) as { data: { size: number; originalName: string } },
  };
}

describe('the upload size limit', () => {
  it('accepts a file of exactly the limit and refuses one byte more', async () => {
    const exact = await upload(Buffer.alloc(MAX_UPLOAD, 'a'), 'exact.txt');
    expect(exact.status).toBe(201);
    expect(exact.body.data).toMatchObject({ size: MAX_UPLOAD });
    const over = await upload(Buffer.alloc(MAX_UPLOAD + 1, 'a'), 'over.txt');
    expect(over.status).toBe(413);
  });
});

describe('upload names', () => {
  it.each<[string, { given: string; want: string | undefined }]>([
    ['a plain name', { given: 'report.pdf', want: 'report.pdf' }],
    ['a path', { given: '../../etc/passwd', want: 'passwd' }],
    ['the right-to-left override', { given: 'invoice\u202Efdp.exe', want: 'invoicefdp.exe' }],
    ['isolates and marks', { given: '\u2066a\u2069\u200Fb\u200E\u061Cc.txt', want: 'abc.txt' }],
    ['C0 and C1 controls', { given: 'a\u0000b\u001Fc\u0085d.txt', want: 'abcd.txt' }],
    ['nothing left', { given: '\u202E\u0000', want: undefined }],
  ])('%s', (_name, { given, want }) => {
    expect(bareName(given)).toBe(want);
  });

  it('stores the cleaned name', async () => {
    const { status, body } = await upload(Buffer.from('hello'), 'invoice\u202Etxt.exe');
    expect(status).toBe(201);
    expect(body.data.originalName).toBe('invoicetxt.exe');
  });
});
