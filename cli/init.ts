/**
 * `parley init [dir]`: a new contract-first project in one command. Copies templates/init/ (a small spec, a
 * server with its handlers and reset hook, a client, the conformance fixtures, a CI workflow, a README), adds
 * scripts and dependencies to the folder's package.json (created if missing; an existing one keeps its module
 * system and every entry it has), generates the code and installs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runGenerate } from './generate.js';
import { ownPackage, testedVersion } from './package.js';

export interface InitFlags {
  install: boolean;
}

/** Template files published without a leading dot (npm drops `.gitignore` from a tarball). */
const RENAMED: Record<string, string> = { gitignore: '.gitignore', github: '.github' };

/** npm's placeholder test script, which `init` replaces. */
const NPM_INIT_TEST = 'echo "Error: no test specified" && exit 1';

export async function runInit(dir: string, flags: InitFlags): Promise<number> {
  const target = path.resolve(dir);
  const { manifest, root } = ownPackage();
  const templates = path.join(root, 'templates', 'init');
  const files = await templateFiles(templates);
  const clashes = files.filter((file) => existsSync(path.join(target, destination(file))));
  if (clashes.length > 0) {
    console.error(
      `parley init: ${target} already has ${clashes.map(destination).join(', ')}. Nothing was written: run it in a new or empty folder.`,
    );
    return 1;
  }
  const name = path.basename(target);
  await mkdir(target, { recursive: true });
  for (const file of files) {
    const text = (await readFile(path.join(templates, file), 'utf8'))
      .replaceAll('{{name}}', name)
      .replaceAll('{{runtime}}', `${manifest.name}/runtime`);
    const out = path.join(target, destination(file));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, text);
  }
  await writeManifest(target, name);
  console.log(`${target}: ${files.length} files written (${files.map(destination).join(', ')}).`);

  const generated = await runGenerate({
    spec: path.join(target, 'asyncapi.yaml'),
    out: path.join(target, 'generated'),
    stubs: path.join(target, 'server', 'handlers'),
    runtime: manifest.name,
  });
  if (generated.code !== 0) return generated.code;

  if (flags.install) {
    console.log('npm install …');
    const code = await run('npm', ['install', '--no-fund', '--no-audit'], target);
    if (code !== 0) {
      console.error(`npm install failed (exit ${code}); run it in ${target} once the cause is fixed.`);
      return code;
    }
  }
  const cd = path.relative(process.cwd(), target);
  console.log(
    [
      '',
      'Next:',
      ...(cd ? [`  cd ${cd}`] : []),
      ...(flags.install ? [] : ['  npm install']),
      '  npm test          # generated code fresh, types check, conformance against this server',
      '  npm run build && npm start',
      '  npm run client    # in another terminal',
    ].join('\n'),
  );
  return 0;
}

async function templateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function destination(file: string): string {
  const [first, ...rest] = file.split(path.sep);
  return path.join(RENAMED[first as string] ?? (first as string), ...rest);
}

/** Adds what the project needs to its package.json, never replacing an entry that is there (but npm's placeholder test). */
async function writeManifest(target: string, name: string): Promise<void> {
  const file = path.join(target, 'package.json');
  const existing = existsSync(file)
    ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>)
    : // A new project is an ES module project; an existing one keeps its "type" (CommonJS works as well).
      { name, version: '0.1.0', private: true, type: 'module' };
  const { manifest } = ownPackage();
  const scripts = {
    generate: 'parley generate',
    build: 'tsc',
    start: 'node dist/server/index.js',
    client: 'node dist/client/hello.js',
    docs: 'parley docs --out site',
    test: 'parley generate --check && tsc && parley conformance --serve "node dist/server/index.js"',
  };
  const dependencies = {
    [manifest.name]: `^${manifest.version}`,
    'socket.io': testedVersion('socket.io'),
    'socket.io-client': testedVersion('socket.io-client'),
    zod: testedVersion('zod'),
  };
  const devDependencies = {
    typescript: testedVersion('typescript'),
    '@types/node': testedVersion('@types/node'),
  };
  const merged = (current: unknown, added: Record<string, string>) => {
    const have = (current ?? {}) as Record<string, string>;
    return { ...added, ...have };
  };
  const currentScripts = (existing.scripts ?? {}) as Record<string, string>;
  if (currentScripts.test === NPM_INIT_TEST) delete currentScripts.test;
  const next = {
    ...existing,
    scripts: merged(currentScripts, scripts),
    dependencies: merged(existing.dependencies, dependencies),
    devDependencies: merged(existing.devDependencies, devDependencies),
  };
  await writeFile(file, `${JSON.stringify(next, null, 2)}\n`);
}

function run(command: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}
