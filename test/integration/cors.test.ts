/**
 * Cross-origin access (`--cors`, `PARLEY_CORS_ORIGINS`): none by default; for the allowed origins, Socket.IO's
 * handshake and the REST endpoints answer with CORS headers, preflight included. (A browser on another origin:
 * test/client/browser.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrigins } from '../../server/transport/cors.js';
import { startTestServer, type TestServer } from './helpers.js';

const APP = 'http://app.example:8080';
const OTHER = 'http://evil.example';

let open: TestServer;
let closed: TestServer;

beforeAll(async () => {
  [open, closed] = await Promise.all([startTestServer({ corsOrigins: [APP] }), startTestServer()]);
});
afterAll(async () => {
  await Promise.all([open?.close(), closed?.close()]);
});

const preflight = (t: TestServer, path: string, origin: string) =>
  fetch(`${t.server.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization',
    },
  });

const handshake = (t: TestServer, origin: string) =>
  fetch(`${t.server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });

describe('CORS', () => {
  it('answers the preflight of an upload from an allowed origin, Authorization allowed', async () => {
    const res = await preflight(open, '/api/upload', APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('lets an allowed origin read REST answers and the Socket.IO handshake', async () => {
    const token = await open.server.auth.issueToken!('alice');
    const res = await fetch(`${open.server.url}/api/messages?channelId=general`, {
      headers: { origin: APP, authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    const polling = await handshake(open, APP);
    expect(polling.status).toBe(200);
    expect(polling.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('gives another origin no CORS header, on REST and the handshake', async () => {
    expect(
      (await preflight(open, '/api/upload', OTHER)).headers.get('access-control-allow-origin'),
    ).toBeNull();
    expect((await handshake(open, OTHER)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is same-origin only by default: no CORS header for any origin', async () => {
    expect(
      (await preflight(closed, '/api/upload', APP)).headers.get('access-control-allow-origin'),
    ).toBeNull();
    expect((await handshake(closed, APP)).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('parseOrigins (--cors, PARLEY_CORS_ORIGINS)', () => {
  it.each([
    [
      'a list, spaces and trailing slashes dropped',
      {
        given: 'https://a.example, http://b.example:8080/',
        want: ['https://a.example', 'http://b.example:8080'],
      },
    ],
    ['any origin', { given: '*', want: ['*'] }],
    ['nothing', { given: ' , ', want: undefined }],
  ])('%s', (_name, { given, want }) => {
    expect(parseOrigins(given)).toEqual(want);
  });

  it('refuses what is not an origin, saying what one is', () => {
    expect(() => parseOrigins('chat.example.com')).toThrow(
      '"chat.example.com" is not an origin: give scheme, host and port only (https://chat.example.com), or * for any',
    );
    expect(() => parseOrigins('https://a.example/app')).toThrow(
      /"https:\/\/a.example\/app" is not an origin/,
    );
  });
});
