#!/usr/bin/env node
/** The `parley` command line. Each command loads its own modules: `generate` must not pay for the server. */
import { Command } from 'commander';
import { ownPackage } from './package.js';
import { loadServe } from './reference-server.js';

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
    ownPackage().manifest.name,
  )
  .option('--check', 'write nothing; exit 1 and name every stale file')
  .option('--watch', 'regenerate whenever the spec or a file it $refs changes')
  .option(
    '--strict',
    'refuse the spec on any warning (as `x-parley-strict: true` at the root of the document does)',
  )
  .action(
    async (opts: {
      spec: string;
      out: string;
      stubs: string | boolean;
      runtime: string;
      check?: boolean;
      watch?: boolean;
      strict?: boolean;
    }) => {
      const { runGenerate, watchGenerate } = await import('./generate.js');
      const flags = { ...opts, stubs: opts.stubs === true ? 'server/handlers' : opts.stubs };
      if (opts.watch) return watchGenerate(flags);
      process.exitCode = (await runGenerate(flags)).code;
    },
  );

program
  .command('init')
  .description(
    'start a contract-first project: a small spec, generated code, a server with handlers and the reset hook, a client, conformance fixtures, CI',
  )
  .argument('[dir]', 'the folder (created if missing; an existing package.json is extended)', '.')
  .option('--no-install', 'do not run npm install')
  .action(async (dir: string, flags: { install: boolean }) => {
    process.exitCode = await (await import('./init.js')).runInit(dir, flags);
  });

program
  .command('serve')
  .description('run the reference server (SQLite in the data folder unless DATABASE_URL is set)')
  .option('--port <port>', 'port to listen on', process.env.PORT ?? '3000')
  .option('--data <dir>', 'data folder: SQLite file, development secret, uploads', './data')
  .option(
    '--root <namespace>',
    'also mount this dialect at / (e.g. /messenger), for its clients to connect unchanged',
  )
  .option('--no-demo', 'do not create the demo workspace')
  .option(
    '--cors <origins>',
    'comma-separated origins whose pages may connect and call the REST endpoints, or * (default: same-origin only)',
    process.env.PARLEY_CORS_ORIGINS,
  )
  .option(
    '--recovery',
    'connection state recovery: socket.io-client gets missed events after a short disconnect; every event then carries an offset argument (PARLEY_RECOVERY=1)',
    process.env.PARLEY_RECOVERY === '1',
  )
  .action(async (flags) => (await loadServe())?.serve(flags));

program
  .command('token')
  .description('print a JWT the server accepts for a user (JWT_SECRET, or the development secret in --data)')
  .argument('<userId>', 'the user, e.g. alice')
  .option('--data <dir>', 'data folder holding the development secret', './data')
  .option('--expires <duration>', 'lifetime, e.g. 2h or 7d', '7d')
  .action(async (userId, flags) => (await loadServe())?.token(userId, flags));

program
  .command('seed')
  .description('load users, rooms, memberships and messages from a YAML file')
  .argument('<file>', 'the seed file')
  .option('--data <dir>', 'data folder', './data')
  .action(async (file, flags) => (await loadServe())?.seed(file, flags));

program
  .command('docs')
  .description(
    'write a static docs site (HTML with search and sequence diagrams, plus Markdown) that works offline',
  )
  .option('--spec <file>', 'the AsyncAPI document', 'asyncapi.yaml')
  .option('--out <dir>', 'where the site goes', 'site')
  .option('--no-asyncapi-view', 'leave out the AsyncAPI React view (asyncapi.html, about 3 MB)')
  .action(async (opts: { spec: string; out: string; asyncapiView: boolean }) => {
    process.exitCode = await (await import('./docs.js')).runDocs(opts);
  });

program
  .command('diff')
  .description(
    'compare two versions of the spec: every change per namespace, event and field, and what breaks old clients',
  )
  .argument('<base>', 'the old spec: a file, or git:<ref>:<path> (e.g. git:origin/main:asyncapi.yaml)')
  .argument('<head>', 'the new spec, likewise')
  .option('--format <format>', 'text, markdown (for a pull-request comment) or json', 'text')
  .option('--allow-breaking', 'exit 0 even when a change breaks old clients')
  .action(
    async (
      base: string,
      head: string,
      opts: { format: 'text' | 'markdown' | 'json'; allowBreaking?: boolean },
    ) => {
      process.exitCode = await (await import('./diff.js')).runDiff(base, head, opts);
    },
  );

program
  .command('conformance')
  .description(
    'prove a running server keeps the contract: every documented case, invalid payloads, auth, coverage',
  )
  .option('--url <url>', 'the server, e.g. http://localhost:3000 (required unless --serve)')
  .option(
    '--serve <command>',
    'start the server with this command first (PORT, and PARLEY_TEST_SECRET for its reset hook, set), and stop it after',
  )
  .option(
    '--no-reset',
    'for a server without the reset hook: run only what needs none (invalid payloads, auth refusals, examples whose fixtures load no data)',
  )
  .option('--token <user=token...>', 'with --no-reset: the token a user connects with')
  .option('--spec <file>', 'the AsyncAPI document', 'asyncapi.yaml')
  .option('--fixtures <file>', 'the conformance fixtures', 'conformance/fixtures.yaml')
  .option('--secret <secret>', "the reset hook's secret (default: $PARLEY_TEST_SECRET)")
  .option(
    '--namespace <address...>',
    'only these namespaces, e.g. /messenger (default: every namespace of the spec)',
  )
  .option(
    '--without <feature...>',
    'features of the fixtures the server runs without, e.g. ai: their cases are skipped, those documenting their absence run',
  )
  .option('--grep <text>', 'only the cases whose name contains this text')
  .option(
    '--fuzz <n>',
    'fuzz instead: per client operation, n payloads drawn from its schema (valid and one-fault invalid)',
  )
  .option('--fuzz-seed <seed>', 'the seed of --fuzz (default: random, printed in each case name)')
  .option('--wait <seconds>', 'wait up to this long for the server to start listening', '0')
  .option('--junit <file>', 'also write a JUnit XML report')
  .option('--timeout <ms>', 'how long to wait for an ack, an event or a connection', '2000')
  .action(async (flags) => {
    process.exitCode = await (await import('./conformance.js')).runConformanceCommand(flags);
  });

await program.parseAsync();
