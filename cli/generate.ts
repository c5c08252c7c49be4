/** `parley generate`: compile the spec, write `generated/`, insert handler stubs; `--check` and `--watch`. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatDiagnostic, SpecError } from '../codegen/diagnostics.js';
import { relativeImport, runtimeImportFrom } from '../codegen/emit/context.js';
import { filePath } from '../codegen/emit/names.js';
import { planStubs } from '../codegen/emit/stubs/index.js';
import { generate } from '../codegen/index.js';
import { readGenerated, writeFiles } from '../codegen/write/index.js';

export interface GenerateFlags {
  spec: string;
  out: string;
  /** Handler module folder, or false for `--no-stubs`. */
  stubs: string | false;
  runtime: string;
  check?: boolean;
  watch?: boolean;
  /** Every warning is an error (also set by `x-parley-strict: true` in the document). */
  strict?: boolean;
}

/** One run; returns the exit code and the spec files read (for `--watch`). */
export async function runGenerate(flags: GenerateFlags): Promise<{ code: number; specFiles: string[] }> {
  const started = performance.now();
  const outDir = path.resolve(flags.out);
  const previous = await readGenerated(outDir);
  let result: Awaited<ReturnType<typeof generate>>;
  try {
    result = await generate(flags.spec, {
      outDir,
      runtime: flags.runtime,
      previous,
      strict: flags.strict,
      // --check is what CI runs: the parser's full rulesets too.
      fullRulesets: flags.check === true,
    });
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(error.message);
    return { code: 1, specFiles: [flags.spec] };
  }
  for (const d of result.diagnostics) console.error(formatDiagnostic(d));
  if (result.diagnostics.length) {
    const n = result.diagnostics.length;
    console.error(
      `${n} warning${n === 1 ? '' : 's'}: code generated with the documented defaults; --strict (or x-parley-strict: true) refuses ${n === 1 ? 'it' : 'them'}.`,
    );
  }

  const report = await writeFiles(outDir, result.files, previous, flags.check);
  const stale = [
    ...report.changed.map((f) => path.join(flags.out, f)),
    ...report.removed.map((f) => `${path.join(flags.out, f)} (no longer produced)`),
  ];
  const orphans: string[] = [];
  if (flags.stubs !== false) {
    const stubsDir = path.resolve(flags.stubs);
    for (const ns of result.ir.namespaces) {
      const file = path.join(stubsDir, `${ns.ident}.ts`);
      const current = await readFile(file, 'utf8').catch(() => undefined);
      const plan = await planStubs(ns, current, {
        runtime: runtimeImportFrom(flags.runtime, stubsDir),
        server: relativeImport(stubsDir, path.join(outDir, filePath(ns, 'server'))),
      });
      const shown = path.relative(process.cwd(), file);
      for (const event of plan.orphaned)
        orphans.push(`${shown}: handler '${event}' has no operation in the spec any more`);
      if (plan.contents === current) continue;
      if (flags.check) {
        stale.push(`${shown} (${plan.created ? 'missing' : `no handler for ${plan.inserted.join(', ')}`})`);
        continue;
      }
      await mkdir(stubsDir, { recursive: true });
      await writeFile(file, plan.contents);
      console.log(
        `${shown}: ${plan.created ? 'created with' : 'inserted'} stubs for ${plan.inserted.join(', ') || 'no events'}`,
      );
    }
  }
  for (const orphan of orphans) console.warn(`warning: ${orphan}; remove it or restore the operation.`);

  const ms = Math.round(performance.now() - started);
  if (flags.check) {
    if (stale.length === 0) {
      console.log(`${flags.out}/ is up to date with ${flags.spec} (${result.files.length} files, ${ms} ms).`);
      return { code: 0, specFiles: result.specFiles };
    }
    console.error(`These files are stale against ${flags.spec}:\n${stale.map((s) => `  ${s}`).join('\n')}`);
    console.error('Fix: run `npm run codegen` (parley generate) and commit the result.');
    return { code: 1, specFiles: result.specFiles };
  }
  const converted = result.convertedFrom ? ` (converted from AsyncAPI ${result.convertedFrom})` : '';
  console.log(
    `${flags.spec}${converted} → ${flags.out}/: ${report.changed.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed (${ms} ms).`,
  );
  return { code: 0, specFiles: result.specFiles };
}

/**
 * Regenerate on every change of the spec or a file it `$ref`s, until interrupted. What one run can hand the
 * next stays in this process: the parser, the compiled AsyncAPI schema validator, TypeScript's printer, and
 * Modelina, loaded while waiting for the first change (a changed payload re-runs it).
 */
export async function watchGenerate(flags: GenerateFlags): Promise<void> {
  const { watch } = await import('chokidar');
  let { specFiles } = await runGenerate(flags);
  // Editors save in several writes: wait until the file is still for 30 ms, then for 20 ms of quiet.
  const watcher = watch(specFiles, {
    ignoreInitial: true,
    awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 },
  });
  let running = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        const next = await runGenerate(flags).catch((error: unknown) => {
          console.error(error);
          return { code: 1, specFiles };
        });
        const added = next.specFiles.filter((f) => !specFiles.includes(f));
        if (added.length) watcher.add(added);
        specFiles = [...new Set([...specFiles, ...next.specFiles])];
      });
    }, 20);
  });
  // Only once chokidar has its watches in place is a change sure to be seen.
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  await import('@asyncapi/modelina');
  console.log(`watching ${specFiles.join(', ')}`);
}
