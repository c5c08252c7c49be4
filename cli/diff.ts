/**
 * `parley diff <base> <head>`: compare two versions of the spec and say what breaks old clients.
 *
 * A side is a file path or `git:<ref>:<path>` (`git:origin/main:asyncapi.yaml`). A git side is checked out
 * under `.parley-tmp/` in the repository: the spec and every YAML and JSON file beside or below it at that
 * ref, so that its relative `$ref`s resolve to the files of the same ref.
 *
 * Exit codes: 0 no breaking change (or `--allow-breaking`), 1 breaking changes, 2 a side could not be read.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { SpecError } from '../codegen/diagnostics.js';
import { diffDocuments, type Format, formatReport } from '../codegen/diff/index.js';
import { compile } from '../codegen/index.js';

const run = promisify(execFile);

export interface DiffFlags {
  format: Format;
  allowBreaking?: boolean;
  /** Where paths and `git:` sides are read from; the current folder by default. */
  cwd?: string;
}

class InputError extends Error {}

export async function runDiff(base: string, head: string, flags: DiffFlags): Promise<number> {
  if (!['text', 'markdown', 'json'].includes(flags.format)) {
    console.error(`--format ${flags.format}: expected text, markdown or json.`);
    return 2;
  }
  const cleanup: string[] = [];
  try {
    const cwd = flags.cwd ?? process.cwd();
    const [b, h] = await Promise.all([load(base, cwd, cleanup), load(head, cwd, cleanup)]);
    const report = diffDocuments(b, h);
    report.base.source = base;
    report.head.source = head;
    process.stdout.write(formatReport(report, flags.format));
    if (report.counts.breaking > 0 && !flags.allowBreaking) {
      console.error(
        `${report.counts.breaking} breaking change${report.counts.breaking === 1 ? '' : 's'} for old clients. ` +
          'Fix: make the change compatible, or release it as a new major version and pass --allow-breaking.',
      );
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof InputError || error instanceof SpecError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

async function load(
  spec: string,
  cwd: string,
  cleanup: string[],
): Promise<Awaited<ReturnType<typeof compile>>['ir']> {
  if (!spec.startsWith('git:')) return (await compile(path.resolve(cwd, spec))).ir;
  const rest = spec.slice('git:'.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) {
    throw new InputError(`${spec}: expected git:<ref>:<path>, e.g. git:origin/main:asyncapi.yaml.`);
  }
  const ref = rest.slice(0, colon);
  const file = rest.slice(colon + 1);
  const dir = await checkout(spec, ref, file, cwd);
  cleanup.push(dir.root);
  try {
    return (await compile(dir.spec)).ir;
  } catch (error) {
    if (error instanceof SpecError) {
      throw new InputError(error.message.replaceAll(`${dir.root}${path.sep}`, `${ref}:`));
    }
    throw error;
  }
}

async function git(args: string[], what: string, cwd: string): Promise<string> {
  try {
    return (await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new InputError(`${what}: git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/** The spec at `ref`, with the YAML and JSON files of its folder and below, under `.parley-tmp/`. */
async function checkout(
  spec: string,
  ref: string,
  file: string,
  cwd: string,
): Promise<{ root: string; spec: string }> {
  const top = (await git(['rev-parse', '--show-toplevel'], spec, cwd)).trim();
  const prefix = (await git(['rev-parse', '--show-prefix'], spec, cwd)).trim();
  // Like `git show`, a path is from the repository's root unless it starts with ./ or ../.
  const inRepo = /^\.\.?\//.test(file) ? path.posix.normalize(path.posix.join(prefix, file)) : file;
  const commit = (
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], spec, cwd).catch(() => '')
  ).trim();
  if (!commit) {
    throw new InputError(
      `${spec}: there is no ref ${ref} in this repository. Fix: fetch it (git fetch origin main) or name another ref.`,
    );
  }
  const folder = path.posix.dirname(inRepo);
  const listed = (
    await git(
      ['ls-tree', '--full-tree', '-r', '-z', '--name-only', commit, '--', folder === '.' ? '.' : folder],
      spec,
      cwd,
    )
  )
    .split('\0')
    .filter((f) => /\.(ya?ml|json)$/i.test(f));
  if (!listed.includes(inRepo)) {
    throw new InputError(`${spec}: there is no file ${inRepo} at ${ref}.`);
  }
  const tmpParent = path.join(top, '.parley-tmp');
  await mkdir(tmpParent, { recursive: true });
  const root = await mkdtemp(path.join(tmpParent, 'diff-'));
  const blobs = await readBlobs(commit, listed, cwd);
  for (const [name, contents] of blobs) {
    const target = path.join(root, ...name.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, contents);
  }
  return { root, spec: path.join(root, ...inRepo.split('/')) };
}

/** Every file's contents at `commit`, through one `git cat-file --batch`. */
function readBlobs(commit: string, files: string[], cwd: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new InputError(`git cat-file --batch failed: ${stderr.trim()}`));
      const out = Buffer.concat(chunks);
      const blobs = new Map<string, Buffer>();
      let at = 0;
      for (const name of files) {
        const eol = out.indexOf(0x0a, at);
        const header = out.subarray(at, eol).toString();
        const size = Number(header.split(' ')[2]);
        if (!header.includes(' blob ') || Number.isNaN(size)) {
          return reject(new InputError(`git cat-file: unexpected answer for ${name}: ${header}`));
        }
        blobs.set(name, out.subarray(eol + 1, eol + 1 + size));
        at = eol + 1 + size + 1;
      }
      resolve(blobs);
    });
    child.stdin.end(files.map((f) => `${commit}:${f}\n`).join(''));
  });
}
