/**
 * The docs site as a reader gets it: built from the repository's spec into a temp folder, opened from
 * `file://` in headless Chromium with no server. Every operation of the spec (the IR's list, not the site's)
 * must be on the pages, the search box must filter, and any console error, failed request or request that
 * leaves `file://` fails the test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDocs } from '../../cli/docs.js';
import { compile, type IRDocument } from '../../codegen/index.js';
import { chromiumMissing, launchChromium } from './chromium.js';

const root = path.resolve(import.meta.dirname, '../..');
const missing = chromiumMissing();
if (missing) console.warn(`Skipping the docs browser test: ${missing}.`);

describe.skipIf(missing !== undefined)('the docs site in a browser, from file://', () => {
  let dir: string;
  let ir: IRDocument;
  let browser: Browser;
  const problems: string[] = [];

  const open = async (file: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error on ${file}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught error on ${file}: ${e.message}`));
    page.on('requestfailed', (r) =>
      problems.push(`failed request on ${file}: ${r.url()} (${r.failure()?.errorText})`),
    );
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) problems.push(`request off file:// on ${file}: ${r.url()}`);
    });
    await page.goto(pathToFileURL(path.join(dir, file)).href);
    return page;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'parley-docs-'));
    const spec = path.join(root, 'asyncapi.yaml');
    let code: number;
    [{ ir }, browser, code] = await Promise.all([
      compile(spec),
      launchChromium(),
      runDocs({ spec, out: dir, asyncapiView: true }),
    ]);
    expect(code).toBe(0);
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists every operation of the spec on the index, under its namespace, and the search box filters them', async () => {
    const page = await open('index.html');
    const groups = await page.$$eval('[data-group]', (els) =>
      els.map((g) => ({
        address: g.querySelector('h3 code')?.textContent,
        events: [...g.querySelectorAll('.op-item')].map((li) => ({
          event: li.querySelector('code.event')?.textContent,
          direction: li.querySelector('.badge')?.textContent,
        })),
      })),
    );
    expect(groups).toEqual(
      ir.namespaces.map((ns) => ({
        address: ns.address,
        events: [...ns.receive, ...ns.send].map((op) => ({
          event: op.event,
          direction: op.action === 'receive' ? 'client → server' : 'server → client',
        })),
      })),
    );

    const total = ir.namespaces.reduce((n, ns) => n + ns.receive.length + ns.send.length, 0);
    const visible = (): Promise<string[]> =>
      page.$$eval('.op-item:not([hidden]) code.event', (els) => els.map((e) => e.textContent ?? ''));
    const count = (): Promise<string | null> => page.locator('#search-count').textContent();
    expect(await count()).toBe(`${total} operations`);

    // A word from one operation's event name: only operations that mention it stay.
    const target = ir.namespaces[0]?.receive.find((op) => op.reply) ?? ir.namespaces[0]?.receive[0];
    if (!target) throw new Error('the spec has no client event');
    await page.fill('#search', target.event);
    const shown = await visible();
    expect(shown).toContain(target.event);
    expect(shown.length).toBeLessThan(total);
    expect(await count()).toBe(`${shown.length} of ${total} operations`);

    // Summaries and descriptions are searched too, every word wherever it is.
    const words = (target.summary ?? '').split(/\s+/).slice(0, 3).join(' ');
    await page.fill('#search', words.toUpperCase());
    expect(await visible()).toContain(target.event);

    await page.fill('#search', 'zzz-no-such-operation');
    expect(await visible()).toEqual([]);
    expect(await page.locator('#search-empty').isVisible()).toBe(true);
    expect(await page.locator('[data-group]:not([hidden])').count()).toBe(0);

    await page.fill('#search', '');
    expect(await visible()).toHaveLength(total);
    await page.close();
  });

  it('documents every operation on its namespace page: payload, sequence diagram, and a working link from the index', async () => {
    for (const ns of ir.namespaces) {
      const file = `namespaces/${ns.ident}.html`;
      const page = await open(file);
      const sections = await page.$$eval('section.op', (els) =>
        els.map((s) => ({
          id: s.querySelector('.ids code')?.textContent,
          event: s.querySelector('h3 code.event')?.textContent,
          hasPayload: s.querySelector('table.fields, p.none') !== null,
          arrows: s.querySelectorAll('svg.seq .seq-step').length,
        })),
      );
      const ops = [...ns.receive, ...ns.send];
      expect(sections.map((s) => [s.id, s.event])).toEqual(ops.map((op) => [op.id, op.event]));
      for (const s of sections) {
        expect(s.hasPayload, `${s.id} has a payload table`).toBe(true);
        expect(s.arrows, `${s.id} has a sequence diagram`).toBeGreaterThan(0);
      }
      // Searching on the namespace page hides the other operations' sections.
      const first = ops[0];
      if (first) {
        await page.fill('#search', first.id.toLowerCase());
        const shownIds = await page.$$eval('section.op:not([hidden]) .ids code', (els) =>
          els.map((e) => e.textContent),
        );
        expect(shownIds).toContain(first.id);
      }
      await page.close();
    }
  });

  it('shows the same document in the AsyncAPI React view, offline', async () => {
    const page = await open('asyncapi.html');
    const op = ir.namespaces[0]?.send[0];
    if (!op) throw new Error('the spec has no server event');
    // The component parses the document in the page, then renders the operations.
    await page.waitForFunction(
      `document.getElementById('asyncapi')?.textContent?.includes(${JSON.stringify(op.event)})`,
      undefined,
      // It parses the whole document in the browser: ~25 s for six namespaces on a busy 2-core machine.
      { timeout: 60_000 },
    );
    expect(await page.locator('#asyncapi').textContent()).toContain(ir.title);
    await page.close();
  }, 90_000);

  afterEach(() => {
    const found = problems.splice(0);
    expect(found).toEqual([]);
  });
});
