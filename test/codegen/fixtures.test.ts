/**
 * Fixture specs → generated files, compared with committed snapshots. The snapshots are `.gen.ts` files inside
 * the tsconfig, so `npm run typecheck` compiles every one of them (hey-api style).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../codegen/index.js';

const fixtures = ['idioms'];

describe.each(fixtures)('fixture %s', (name) => {
  const spec = `test/fixtures/${name}.yaml`;
  const outDir = path.resolve('test/fixtures/__snapshots__', name);

  it('generates the snapshot files', async () => {
    const { files } = await generate(spec, { outDir, runtime: '.' });
    expect(files.map((f) => f.path)).toContain(`${name}/server.gen.ts`);
    for (const file of files) await expect(file.contents).toMatchFileSnapshot(path.join(outDir, file.path));
  });

  it('is deterministic: two runs give byte-identical files', async () => {
    const first = await generate(spec, { outDir, runtime: '.' });
    const second = await generate(spec, { outDir, runtime: '.' });
    expect(second.files).toEqual(first.files);
  });
});
