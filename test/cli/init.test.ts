/**
 * `parley init` as a user runs it (`--no-install`; test/package/install.test.ts installs and runs the result):
 * what it writes, how it extends an existing package.json, and that it never overwrites a file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
};

async function parley(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'bin/parley.js'), ...args], {
      cwd,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-init-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parley init', () => {
  it('writes the project into a new folder, generated, with a package.json of its own (ES modules)', async () => {
    const { code, stdout } = await parley(dir, 'init', 'my-chat', '--no-install');
    expect(code).toBe(0);
    const project = path.join(dir, 'my-chat');
    for (const file of [
      'asyncapi.yaml',
      'server/index.ts',
      'server/handlers/chat.ts',
      'server/reset.ts',
      'server/store.ts',
      'client/hello.ts',
      'conformance/fixtures.yaml',
      '.github/workflows/parley.yml',
      '.gitignore',
      'README.md',
      'tsconfig.json',
      'generated/chat/server.gen.ts',
      'generated/chat/client.gen.ts',
    ]) {
      expect(existsSync(path.join(project, file)), file).toBe(true);
    }
    expect(stdout).toContain('asyncapi.yaml → ');
    expect(stdout).toMatch(/Next:\n {2}cd my-chat\n {2}npm install\n/);
    const pkg = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'my-chat', private: true, type: 'module' });
    expect(pkg.dependencies).toEqual({
      [manifest.name]: `^${manifest.version}`,
      'socket.io': manifest.dependencies['socket.io'],
      'socket.io-client': manifest.dependencies['socket.io-client'],
      zod: manifest.dependencies.zod,
    });
    expect(pkg.scripts.test).toBe(
      'parley generate --check && tsc && parley conformance --serve "node dist/server/index.js"',
    );
    expect(await readFile(path.join(project, 'asyncapi.yaml'), 'utf8')).toContain('title: "my-chat"');
    // The handlers import the runtime from the package, as the generated code does.
    expect(await readFile(path.join(project, 'server/handlers/chat.ts'), 'utf8')).toContain(
      `from '${manifest.name}/runtime'`,
    );
    expect(await readFile(path.join(project, 'generated/chat/server.gen.ts'), 'utf8')).toContain(
      `from '${manifest.name}/runtime'`,
    );
  }, 60_000);

  it("extends an existing package.json, keeping its module system and entries (npm init's test script aside)", async () => {
    const project = path.join(dir, 'existing');
    await mkdir(project);
    const before = {
      name: 'existing',
      version: '1.0.0',
      scripts: { test: 'echo "Error: no test specified" && exit 1', lint: 'eslint .' },
      dependencies: { [manifest.name]: 'file:../parley.tgz' },
    };
    await writeFile(path.join(project, 'package.json'), JSON.stringify(before));
    expect((await parley(project, 'init', '--no-install')).code).toBe(0);
    const pkg = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8'));
    expect(pkg.type).toBeUndefined();
    expect(pkg.scripts.lint).toBe('eslint .');
    expect(pkg.scripts.test).toMatch(/^parley generate --check && tsc && parley conformance --serve/);
    expect(pkg.dependencies[manifest.name]).toBe('file:../parley.tgz');
    expect(pkg.devDependencies.typescript).toBeDefined();
  }, 60_000);

  it('refuses to overwrite a file, naming each, and writes nothing', async () => {
    const project = path.join(dir, 'taken');
    await mkdir(path.join(project, 'server'), { recursive: true });
    await writeFile(path.join(project, 'asyncapi.yaml'), 'mine');
    await writeFile(path.join(project, 'server/index.ts'), 'mine');
    const { code, stderr } = await parley(project, 'init', '--no-install');
    expect(code).toBe(1);
    expect(stderr).toBe(
      `parley init: ${project} already has asyncapi.yaml, server/index.ts. Nothing was written: run it in a new or empty folder.\n`,
    );
    expect(await readFile(path.join(project, 'asyncapi.yaml'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(project, 'package.json'))).toBe(false);
    expect(existsSync(path.join(project, 'generated'))).toBe(false);
  });
});
