#!/usr/bin/env node
// In a checkout, run the TypeScript sources through tsx (never a stale build); in the published package,
// which ships dist/ only, run the build.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
