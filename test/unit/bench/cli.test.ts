// cli.test.ts — `adbit bench` option parsing (src/cli/commands/bench.ts): defaults, --quick sizes,
// --target, and usage errors that exit 2 with a message naming the flag; plus one real run of
// `adbit bench parse --quick --json` checked against the JSON contract.
import test from 'ava';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BenchUsageError, parseBenchArgs } from '../../../src/cli/commands/bench.js';
import { contractErrors } from '../../../bench/report.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'cli', 'main.js');
const run = promisify(execFile);

test('defaults: all workloads, 3 repeats, 10 zones, 2000 names', (t) => {
  const a = parseBenchArgs([]);
  t.deepEqual(a.benchmarks, ['verify', 'parse', 'resolve', 'serve']);
  t.like(a, { repeats: 3, names: 2000, json: false, quick: false, help: false });
  t.deepEqual(a.zones, [10]);
  t.is(a.target, undefined);
});

test('--quick shrinks sizes; explicit flags win', (t) => {
  t.like(parseBenchArgs(['verify', '--quick', '--json']), { benchmarks: ['verify'], repeats: 1, names: 500, json: true });
  t.like(parseBenchArgs(['serve', '--quick', '--repeats', '2', '--names', '100']), { repeats: 2, names: 100 });
  t.deepEqual(parseBenchArgs(['resolve', '--zones', '10,100, 1000']).zones, [10, 100, 1000]);
});

test('--target parses ADDR:PORT and defaults to a growing hierarchy', (t) => {
  const a = parseBenchArgs(['--target', '127.0.0.1:5353']);
  t.deepEqual(a.target, { host: '127.0.0.1', port: 5353 });
  t.deepEqual(a.benchmarks, ['resolve', 'serve']);
  t.deepEqual(a.zones, [10, 100, 1000]);
  t.deepEqual(parseBenchArgs(['--target', '[::1]:53']).target, { host: '::1', port: 53 });
});

test('bad options throw BenchUsageError naming the flag', (t) => {
  const bad: [string[], RegExp][] = [
    [['frob'], /unknown workload "frob"/], [['verify', 'parse'], /at most one workload/], [['--zones', '5'], /--zones/],
    [['--zones', '20000'], /--zones/], [['--repeats', '0'], /--repeats/], [['--names', 'many'], /--names/],
    [['--target', 'example.com:53'], /--target/], [['--target', '127.0.0.1:99999'], /--target/],
    [['verify', '--target', '127.0.0.1:53'], /applies to resolve and serve/], [['--nope'], /nope/],
  ];
  for (const [args, re] of bad) t.throws(() => parseBenchArgs(args), { instanceOf: BenchUsageError, message: re }, args.join(' '));
});

test('usage errors exit 2 with the message on stderr', async (t) => {
  const e = await run(process.execPath, [MAIN, 'bench', '--zones', '3']).then(() => null, (x: unknown) => x as { code: number; stderr: string });
  t.not(e, null);
  t.is(e?.code, 2);
  t.regex(e?.stderr ?? '', /--zones: expected an integer 10\.\.10000, got "3"/);
});

test('bench parse --quick --json prints the exact contract', async (t) => {
  const { stdout } = await run(process.execPath, [MAIN, 'bench', 'parse', '--quick', '--json'], { timeout: 110_000 });
  const report = JSON.parse(stdout) as { results: { benchmark: string; peers: Record<string, number> }[] };
  t.deepEqual(contractErrors(report), []);
  t.true(report.results.length >= 4);
  t.true(report.results.every((r) => r.benchmark === 'parse' && typeof r.peers['dns-packet'] === 'number'));
});
