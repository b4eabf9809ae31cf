// bench.ts — `adbit bench [verify|parse|resolve|serve|all] [--json] [--target ADDR:PORT] [--zones N[,N…]]
// [--names M] [--repeats R] [--quick] [--out DIR]` (issue 9). Options are checked here (exit 2 with a
// message); the runner lives in bench/ (loaded at run time, outside src/'s layering) and runs every
// workload in child processes. Writes the table (or JSON) to stdout, progress to stderr on a TTY.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseListen } from '../../server/config.js';

export const usage = `usage: adbit bench [verify|parse|resolve|serve|all] [--json] [--target ADDR:PORT]
                   [--zones N[,N...]] [--names M] [--repeats R] [--quick] [--out DIR]

  verify    RRSIG verifications/s per algorithm vs openssl speed -multi and node:crypto
  parse     DNS messages/s decoded/encoded vs dns-packet
  resolve   cold validated resolutions/s on a generated signed hierarchy vs Unbound
  serve     cache-hit queries/s and RSS growth vs Unbound
  all       every one of the above (default)
  --target ADDR:PORT  benchmark a running resolver (started with the printed root hints and
                      trust anchor) beside adbit; --zones defaults to 10,100,1000
  --zones N[,N...]    leaf zones of the generated hierarchy, 10..10000 (default 10)
  --names M           names queried per run (default 2000; 500 with --quick)
  --repeats R         trials per workload, each in its own process (default 3; 1 with --quick)
  --quick             small sizes for CI smoke tests
  --out DIR           also write DIR/latest.json and DIR/latest.svg`;

const WORKLOADS = ['verify', 'parse', 'resolve', 'serve'] as const;
type Workload = (typeof WORKLOADS)[number];

export interface BenchArgs {
  readonly benchmarks: readonly Workload[];
  readonly json: boolean;
  readonly quick: boolean;
  readonly repeats: number;
  readonly zones: readonly number[];
  readonly names: number;
  readonly target?: { readonly host: string; readonly port: number };
  readonly out?: string;
  readonly help: boolean;
}

/** A usage error: the command prints the message and exits 2. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

function int(v: string, flag: string, lo: number, hi: number): number {
  if (!/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) throw new BenchUsageError(`${flag}: expected an integer ${lo}..${hi}, got "${v}"`);
  return Number(v);
}

/** Parses and checks the arguments; throws BenchUsageError with a message naming the flag. */
export function parseBenchArgs(args: readonly string[]): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: {
      json: { type: 'boolean' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      target: { type: 'string' }, zones: { type: 'string' }, names: { type: 'string' }, repeats: { type: 'string' }, out: { type: 'string' },
    } });
  } catch (e) {
    throw new BenchUsageError((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) throw new BenchUsageError(`expected at most one workload, got ${positionals.join(' ')}`);
  const w = positionals[0] ?? 'all';
  if (w !== 'all' && !(WORKLOADS as readonly string[]).includes(w)) throw new BenchUsageError(`unknown workload "${w}" (verify, parse, resolve, serve, all)`);
  const quick = v.quick === true;
  let target: BenchArgs['target'];
  if (v.target !== undefined) {
    try {
      const l = parseListen(v.target, '--target');
      target = { host: l.host, port: l.port };
    } catch (e) {
      throw new BenchUsageError((e as Error).message);
    }
  }
  let benchmarks: readonly Workload[] = w === 'all' ? WORKLOADS : [w as Workload];
  if (target !== undefined) {
    if (w === 'verify' || w === 'parse') throw new BenchUsageError(`--target applies to resolve and serve, not ${w}`);
    benchmarks = benchmarks.filter((b) => b === 'resolve' || b === 'serve');
  }
  const zones = (v.zones ?? (target === undefined ? '10' : '10,100,1000')).split(',').map((z) => int(z.trim(), '--zones', 10, 10_000));
  const names = v.names === undefined ? (quick ? 500 : 2000) : int(v.names, '--names', 10, 1_000_000);
  const repeats = v.repeats === undefined ? (quick ? 1 : 3) : int(v.repeats, '--repeats', 1, 50);
  return { benchmarks, json: v.json === true, quick, repeats, zones, names, help: v.help === true,
    ...(target === undefined ? {} : { target }), ...(v.out === undefined ? {} : { out: v.out }) };
}

interface BenchModules {
  run: typeof import('../../../bench/run.js');
  report: typeof import('../../../bench/report.js');
  chart: typeof import('../../../bench/chart.js');
}

async function loadBench(): Promise<BenchModules> {
  // bench/ sits beside src/ (dist/bench from dist/src/cli/commands); it is not part of the library.
  const at = (f: string): string => new URL(`../../../bench/${f}`, import.meta.url).href;
  return { run: await import(at('run.js')), report: await import(at('report.js')), chart: await import(at('chart.js')) };
}

export async function run(argv: string[]): Promise<number> {
  let a: BenchArgs;
  try {
    a = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    process.stderr.write(`adbit bench: ${e.message}\n\n${usage}\n`);
    return 2;
  }
  if (a.help) { process.stdout.write(`${usage}\n`); return 0; }
  const m = await loadBench();
  const tty = process.stderr.isTTY === true;
  const t0 = Date.now();
  const progress = (msg: string): void => {
    if (tty) process.stderr.write(`\r\x1b[K[${Math.round((Date.now() - t0) / 1000)}s] ${msg.slice(0, (process.stderr.columns || 100) - 10)}`);
  };
  const { report, failures } = await m.run.runBench({ benchmarks: a.benchmarks, repeats: a.repeats, quick: a.quick, zones: a.zones,
    names: a.names, progress, notice: (msg) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}adbit bench: ${msg}\n`), ...(a.target === undefined ? {} : { target: a.target }) });
  if (tty) process.stderr.write('\r\x1b[K');
  for (const f of failures) process.stderr.write(`adbit bench: workload failed: ${f}\n`);
  const errs = m.report.contractErrors(report);
  if (errs.length > 0) process.stderr.write(`adbit bench: output departs from the JSON contract: ${errs.join('; ')}\n`);
  if (a.out !== undefined) {
    mkdirSync(a.out, { recursive: true });
    writeFileSync(`${a.out}/latest.json`, `${JSON.stringify(report, null, 1)}\n`);
    writeFileSync(`${a.out}/latest.svg`, m.chart.renderChart(report, `adbit bench ${argv.join(' ')}`.trim()));
  }
  process.stdout.write(a.json ? `${JSON.stringify(report)}\n` : `${m.report.formatTable(report)}\n`);
  return errs.length > 0 || failures.length > 0 || report.results.length === 0 ? 1 : 0;
}
