#!/usr/bin/env node
// main.ts — the adbit command line: a table from subcommand name to module path, loaded with a
// dynamic import so each command pays only for what it uses. Exit codes: 0 success, 1 the command
// ran but the result is a failure (SERVFAIL, bogus, unreachable), 2 usage or configuration error.
// A command module exports `run(args: string[]): Promise<number>` and `usage: string`.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Subcommand → module (relative to this file). dane-check and bench are written by other parts. */
export const COMMANDS: Readonly<Record<string, string>> = {
  serve: './commands/serve.js',
  query: './commands/query.js',
  stats: './commands/stats.js',
  demo: './commands/demo.js',
  'dane-check': './commands/dane-check.js',
  bench: './commands/bench.js',
};

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

interface CommandModule {
  run(args: string[]): Promise<number>;
  usage?: string;
}

const HELP = `adbit — a DNSSEC-validating recursive resolver for mail hosts

usage: adbit <command> [options]     (adbit <command> --help for its options)

commands:
  serve        run the resolver for MTAs (UDP+TCP, default 127.0.0.1:53 and [::1]:53)
  query        resolve one name, in process or through a server, optionally as JSON
  stats        print the counters of a running server (Prometheus text)
  demo         bring up a local signed test hierarchy and show secure/insecure/bogus answers
  dane-check   check DANE for SMTP (RFC 7672) for a mail domain
  bench        run the benchmarks

exit codes: 0 success, 1 failure result (SERVFAIL, bogus, unreachable), 2 usage or config error`;

async function load(name: string): Promise<CommandModule | null> {
  const path = COMMANDS[name];
  if (path === undefined) return null;
  try {
    return (await import(new URL(path, import.meta.url).href)) as CommandModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(path.slice(2))) return null;
    throw e;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP + '\n');
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version') {
    process.stdout.write('adbit 0.1.0\n');
    return EXIT_OK;
  }
  if (!(name in COMMANDS)) {
    process.stderr.write(`adbit: unknown command "${name}"\n\n${HELP}\n`);
    return EXIT_USAGE;
  }
  const mod = await load(name);
  if (mod === null) {
    process.stderr.write(`adbit ${name}: not available yet in this build (${COMMANDS[name]} is missing)\n`);
    return EXIT_USAGE;
  }
  return mod.run(rest);
}

const self = process.argv[1];
if (self !== undefined && import.meta.url === pathToFileURL(realpathSync(self)).href) {
  main(process.argv.slice(2)).then((code) => {
    // serve keeps the event loop alive itself; others end here.
    if (code >= 0) process.exitCode = code;
  }, (e: unknown) => {
    process.stderr.write(`adbit: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = EXIT_USAGE;
  });
}
