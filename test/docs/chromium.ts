/**
 * Headless Chromium for the docs tests and `scripts/docs-screenshots.ts`: Debian's package
 * (`apt-get install chromium`), driven by `playwright-core` (Playwright's own browser download does not work
 * here). Without it, tests skip and say why, unless `PARLEY_REQUIRE_SERVICES=1` (CI), where they fail.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or undefined when they can. Throws when CI requires them. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\``;
  if (process.env.PARLEY_REQUIRE_SERVICES === '1') {
    throw new Error(`${reason} (PARLEY_REQUIRE_SERVICES=1: browser tests must run).`);
  }
  return reason;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
