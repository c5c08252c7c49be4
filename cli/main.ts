#!/usr/bin/env node
/** The `parley` command line. */
import { Command } from 'commander';
import { runGenerate, watchGenerate } from './generate.js';

const program = new Command('parley').description(
  'Contract-first real-time chat over Socket.IO, from one AsyncAPI document.',
);

program
  .command('generate')
  .description('compile the AsyncAPI document into generated/ and insert handler stubs')
  .option('--spec <file>', 'the AsyncAPI document', 'asyncapi.yaml')
  .option('--out <dir>', 'where generated files go', 'generated')
  .option(
    '--stubs <dir>',
    'folder of the handler modules that get stubs for new operations',
    'server/handlers',
  )
  .option('--no-stubs', 'do not touch handler modules')
  .option(
    '--runtime <package-or-path>',
    'what generated code imports the runtime from: a package name, or a path to a Parley checkout',
    'parley',
  )
  .option('--check', 'write nothing; exit 1 and name every stale file')
  .option('--watch', 'regenerate whenever the spec or a file it $refs changes')
  .action(
    async (opts: {
      spec: string;
      out: string;
      stubs: string | boolean;
      runtime: string;
      check?: boolean;
      watch?: boolean;
    }) => {
      const flags = { ...opts, stubs: opts.stubs === true ? 'server/handlers' : opts.stubs };
      if (opts.watch) return watchGenerate(flags);
      process.exitCode = (await runGenerate(flags)).code;
    },
  );

await program.parseAsync();
