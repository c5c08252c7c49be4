/**
 * Builds the docs site and saves screenshots of its index and of one operation (`site/screenshots/*.png`),
 * taken in headless Chromium from `file://`, to look at what a reader sees.
 *
 *   npx tsx scripts/docs-screenshots.ts [--spec asyncapi.yaml] [--out site]
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runDocs } from '../cli/docs.js';
import { compile } from '../codegen/index.js';
import { chromiumMissing, launchChromium } from '../test/docs/chromium.js';

const { values } = parseArgs({
  options: { spec: { type: 'string', default: 'asyncapi.yaml' }, out: { type: 'string', default: 'site' } },
});
const spec = values.spec ?? 'asyncapi.yaml';
const out = values.out ?? 'site';

const missing = chromiumMissing();
if (missing) {
  console.error(`Cannot take screenshots: ${missing}.`);
  process.exit(1);
}
if ((await runDocs({ spec, out, asyncapiView: true })) !== 0) process.exit(1);

const { ir } = await compile(spec);
// The first operation with an ack and effects shows the most: payload, examples, ack, errors, sequence.
const ns =
  ir.namespaces.find((n) => n.receive.some((op) => op.reply && op.effects.length)) ?? ir.namespaces[0];
const op = ns?.receive.find((o) => o.reply && o.effects.length) ?? ns?.receive[0];
if (!ns || !op) throw new Error(`${spec} has no client event to show.`);
const anchor = `op-${op.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const shots = path.join(out, 'screenshots');
await mkdir(shots, { recursive: true });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(path.resolve(out, 'index.html')).href);
  await page.screenshot({ path: path.join(shots, 'index.png'), fullPage: false });
  await page.fill('#search', op.event);
  await page.locator('h2', { hasText: 'Operations' }).evaluate((h) => h.scrollIntoView());
  await page.screenshot({ path: path.join(shots, 'index-search.png'), fullPage: false });
  await page.goto(pathToFileURL(path.resolve(out, `namespaces/${ns.ident}.html`)).href);
  // The sticky header would be drawn over a screenshot of a section taller than the window.
  await page.addStyleTag({ content: '.top { position: static; }' });
  const section = page.locator(`[id="${anchor}"]`);
  await section.screenshot({ path: path.join(shots, 'operation.png') });
  await page.goto(pathToFileURL(path.resolve(out, 'asyncapi.html')).href).catch(() => undefined);
  await page
    .waitForFunction(
      `document.getElementById('asyncapi')?.textContent?.includes(${JSON.stringify(op.event)})`,
      undefined,
      {
        timeout: 20_000,
      },
    )
    .then(() => page.screenshot({ path: path.join(shots, 'asyncapi-view.png'), fullPage: false }))
    .catch(() => console.warn('The AsyncAPI view did not render; no asyncapi-view.png.'));
  console.log(`Screenshots of ${op.event} (${ns.address}) and the index in ${shots}/.`);
} finally {
  await browser.close();
}
