/**
 * The browser build (`npm run build:client`) as a web page uses it: served from another origin than the
 * Parley server, loaded in headless Chromium, connecting with socket.io-client's default transports (HTTP
 * long-polling, then the upgrade to WebSocket), which need the server's CORS headers (`--cors`). A page of an
 * origin the server does not allow is refused. Also: the schemas (zod) load only when a client validates.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetProblems, buildClient, type EntrySize } from '../../scripts/build-client.js';
import { chromiumMissing, launchChromium } from '../docs/chromium.js';
import { startTestServer, type TestServer } from '../integration/helpers.js';

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the browser client test: ${missing}.`);

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.map': 'application/json',
};
const PAGE = '<!doctype html><meta charset="utf-8"><title>Parley in a browser</title>';
/** The page's own script (plain JavaScript, beside the build): what a web page does with it. */
const PAGE_SCRIPT = path.join(import.meta.dirname, 'page.js');

/** Runs `page.js`'s `name` in the page (as a string: the test runner must not rewrite its `import()`). */
function run<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  const call = `import('/page.js').then((m) => m.${name}(...${JSON.stringify(args)}))`;
  return page.evaluate(call) as Promise<T>;
}

/** A static server for the build on 127.0.0.1 (another origin than the Parley server's `localhost`). */
async function pageServer(dir: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const file = new URL(req.url ?? '/', 'http://x').pathname;
    if (file === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html']! }).end(PAGE);
      return;
    }
    readFile(file === '/page.js' ? PAGE_SCRIPT : path.join(dir, path.normalize(file)))
      .then((body) =>
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'text/plain' }).end(body),
      )
      .catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface Exchange {
  transports: { opened: string; upgraded: string };
  ack: { success: boolean; message: { _id: string } };
  received: unknown;
  upload: number;
  history: number;
}

describe.skipIf(missing !== undefined)('the browser build, from another origin', () => {
  let dir: string;
  let sizes: EntrySize[];
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };
  let t: TestServer;
  let browser: Browser;
  let tokens: { alice: string; bob: string };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'parley-browser-'));
    sizes = await buildClient(dir);
    [allowed, other] = await Promise.all([pageServer(dir), pageServer(dir)]);
    t = await startTestServer({ corsOrigins: [allowed.origin] });
    tokens = { alice: await t.server.auth.issueToken!('alice'), bob: await t.server.auth.issueToken!('bob') };
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    for (const page of [allowed, other]) page?.server.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A page of `origin`, with the URLs of the scripts it fetched. */
  async function open(origin: string): Promise<{ page: Page; scripts: string[] }> {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.js')) scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(`${origin}/`);
    return { page, scripts };
  }

  it('is within its budget and loads no zod up front (npm run build:client checks the same)', () => {
    expect(budgetProblems(sizes)).toEqual([]);
    expect(sizes.find((s) => s.entry === 'messenger')?.validateGzipBytes).toBeGreaterThan(50_000); // zod is there, later
  });

  it('exchanges a message on /messenger with the default transports: polling, then the upgrade to WebSocket', async () => {
    const { page, scripts } = await open(allowed.origin);
    const result = await run<Exchange>(page, 'exchange', t.server.url, tokens);
    expect(result.transports).toEqual({ opened: 'polling', upgraded: 'websocket' });
    expect(result.ack).toMatchObject({ success: true, message: { content: 'from a browser' } });
    expect(result.received).toMatchObject({
      message: { _id: result.ack.message._id, content: 'from a browser' },
    });
    expect(result.upload).toBe(201);
    expect(result.history).toBe(200);
    expect(scripts.some((s) => s.includes('contract.gen'))).toBe(false);
    await page.close();
  });

  it('loads the schemas only when a client validates, and then validates', async () => {
    const { page, scripts } = await open(allowed.origin);
    expect(await run<boolean>(page, 'validated', t.server.url, tokens.alice)).toBe(true);
    expect(scripts.filter((s) => s.includes('contract.gen'))).toHaveLength(1);
    await page.close();
  });

  it('is refused from an origin the server does not allow: no handshake, no REST', async () => {
    const { page } = await open(other.origin);
    const result = await run(page, 'refused', t.server.url, tokens.alice);
    expect(result).toEqual({ handshake: 'xhr poll error', rest: 'TypeError' });
    await page.close();
  });
});
