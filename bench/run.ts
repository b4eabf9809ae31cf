// bench/run.ts — the runner behind `adbit bench`: every workload trial is its own child process
// (better-sqlite3's bench design), peers are measured in the same trial, and adapters turn each
// workload's own JSON (verify.js, parse.js, target.js) into contract rows (report.ts).
// Median over trials; spread [min, max] covers every trial (and a trial's own rounds when it reports them).
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchmarkName, type BenchReport, type BenchRow, type Machine, type Unit, roundFigure, summarize } from './report.js';
import type { TargetResult } from './target.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface RunOptions {
  readonly benchmarks: readonly BenchmarkName[];
  readonly repeats: number;
  readonly quick: boolean;
  readonly zones: readonly number[];
  readonly names: number;
  readonly target?: { readonly host: string; readonly port: number };
  readonly progress: (msg: string) => void;
  /** Messages the user must see even without a TTY (target setup, peers found but not run). */
  readonly notice: (msg: string) => void;
}

/** Runs `node dist/bench/<file> ...args` in a child process and parses its last stdout JSON. */
function child(file: string, args: readonly string[], progress: (s: string) => void, notice = progress): Promise<unknown> {
  return new Promise((res, rej) => {
    const c = execFile(process.execPath, [join(HERE, file), ...args], { maxBuffer: 64 << 20, timeout: 30 * 60_000 }, (err, out, errOut) => {
      if (err !== null) { rej(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${errOut.slice(-2000)}`)); return; }
      const start = out.indexOf('{');
      try { res(JSON.parse(out.slice(start))); } catch (e) { rej(new Error(`${file}: no JSON on stdout (${(e as Error).message})`)); }
    });
    c.stderr?.on('data', (d: Buffer) => { for (const l of d.toString().split('\n')) if (l.trim() !== '') (l.startsWith('target ') ? notice : progress)(l.trim()); });
  });
}

/** Collects samples per (benchmark, case): adbit trial medians (and a trial's own min/max when it
 *  reports its rounds), peer trial medians; rows() gives medians and the [min, max] of all of them. */
export class Collector {
  readonly #rows = new Map<string, { b: BenchmarkName; c: string; u: Unit; a: number[]; lo: number[]; hi: number[]; p: Map<string, number[]> }>();
  add(b: BenchmarkName, c: string, u: Unit, adbit: number, peers: Record<string, number>, lo = adbit, hi = adbit): void {
    const k = `${b}/${c}`;
    const r = this.#rows.get(k) ?? { b, c, u, a: [], lo: [], hi: [], p: new Map<string, number[]>() };
    if (Number.isFinite(adbit)) { r.a.push(adbit); r.lo.push(lo); r.hi.push(hi); }
    for (const [name, v] of Object.entries(peers)) if (Number.isFinite(v)) r.p.set(name, [...(r.p.get(name) ?? []), v]);
    this.#rows.set(k, r);
  }
  rows(): BenchRow[] {
    const out: BenchRow[] = [];
    for (const r of this.#rows.values()) {
      if (r.a.length === 0) continue;
      const peers: Record<string, number> = {};
      for (const [n, xs] of r.p) peers[n] = roundFigure(summarize(xs).median);
      out.push({ benchmark: r.b, case: r.c, unit: r.u, adbit: roundFigure(summarize(r.a).median),
        spread: [roundFigure(Math.min(...r.lo)), roundFigure(Math.max(...r.hi))], peers });
    }
    return out;
  }
}

interface VerifyOut { rows: { algorithm: string; nativeAllCores: number; nodeNaive: number; nodeCached: number; opensslMulti: number }[] }
interface ParseStat { wall: { median: number; min: number; max: number } }
interface ParseOut { results: Record<string, ParseStat> }

async function verify(o: RunOptions, col: Collector): Promise<void> {
  for (let t = 0; t < o.repeats; t++) {
    o.progress(`verify: trial ${t + 1}/${o.repeats} (openssl speed -multi, node:crypto, native batch)`);
    const v = (await child('verify.js', ['--json'], o.progress)) as VerifyOut;
    for (const r of v.rows) {
      col.add('verify', r.algorithm, 'verifies/s', r.nativeAllCores,
        { 'openssl-multi': r.opensslMulti, 'node-crypto-naive': r.nodeNaive, 'node-crypto-cached': r.nodeCached });
    }
  }
}

/** parse.js variants → contract cases (wall-clock messages/s, its rounds widen the spread). */
const PARSE_CASES: readonly [string, string, string][] = [
  ['decode-record-table', 'decode.nativeTable', 'decode.dnsPacket'],
  ['decode-materialised', 'decode.materialised', 'decode.dnsPacket'],
  ['decode-tiny-query', 'tiny.nativeTable', 'tiny.dnsPacket'],
  ['encode', 'encode.adbit', 'encode.dnsPacket'],
];

async function parse(o: RunOptions, col: Collector): Promise<void> {
  for (let t = 0; t < o.repeats; t++) {
    o.progress(`parse: trial ${t + 1}/${o.repeats} (native vs dns-packet)`);
    const p = (await child('parse.js', ['--json'], o.progress)) as ParseOut;
    for (const [c, mine, peer] of PARSE_CASES) {
      const a = p.results[mine]?.wall;
      const b = p.results[peer]?.wall;
      if (a !== undefined) col.add('parse', c, 'messages/s', a.median, b === undefined ? {} : { 'dns-packet': b.median }, a.min, a.max);
    }
  }
}

/** resolve + serve rows from target.js trials on the generated hierarchy (restarted per repeat). */
async function resolvers(o: RunOptions, col: Collector): Promise<void> {
  const want = (b: BenchmarkName): boolean => o.benchmarks.includes(b);
  const hitSeconds = o.quick ? 2 : 5;
  const peers = o.target === undefined ? ['unbound'] : [`${o.target.host.includes(':') ? `[${o.target.host}]` : o.target.host}:${o.target.port}`];
  for (const other of ['kresd', 'pdns_recursor']) {
    // Knot Resolver / PowerDNS Recursor are peers only when installed; the harness has no managed
    // configuration for them yet, so it says how to measure them instead of guessing one.
    try {
      execFileSync('which', [other], { stdio: 'ignore' });
      o.notice(`${other} is installed: start it with the root hints and trust anchor under bench/.cache/keys-*/ and run adbit bench --target ADDR:PORT`);
    } catch { /* not installed: not a peer */ }
  }
  if (o.target !== undefined) {
    o.notice(`--target: the resolver at ${peers[0] ?? ''} must use the generated root hints and trust anchor (root.hints and root-ds.txt ` +
      'under bench/.cache/keys-<bucket>/, printed below) and may query loopback authorities 127.30.0.1, 127.30.1.1, 127.30.2.1 ' +
      '(Unbound: do-not-query-localhost: no); its cache must be empty, so only the first cold pass counts.');
    o.notice('  (the files are shared by every --zones size of the same 23-day signature bucket)');
  }
  for (const zones of o.zones) {
    const common = ['--zones', String(zones), '--names', String(Math.max(o.names, zones)), '--repeats', String(o.repeats), '--hit-seconds', String(hitSeconds)];
    const res: TargetResult[] = [];
    for (const r of ['adbit', ...peers]) {
      o.progress(`resolve/serve: ${r}, ${zones} zones, ${Math.max(o.names, zones)} names`);
      res.push((await child('target.js', ['--resolver', r, ...common], o.progress, o.notice)) as TargetResult);
    }
    const [mine, ...others] = res;
    if (mine === undefined) continue;
    const label = (x: TargetResult): string => (x.resolver === 'target' ? 'target' : x.resolver);
    const med = (x: TargetResult, f: (r: TargetResult['runs'][number]) => number | null): number =>
      summarize(x.runs.map((r) => f(r) ?? NaN)).median;
    const size = `${zones}-zones-${mine.names}-names`;
    for (const x of res) {
      const bad = x.runs.filter((r) => Number.isFinite(r.coldAnswered) && r.coldSecure < r.coldAnswered);
      if (bad.length > 0) o.notice(`${label(x)} N=${zones}: ${bad.length} cold run(s) had answers without AD; adbit's are left out of the validated figure`);
    }
    mine.runs.forEach((run, i) => {
      const peerAt = (f: (r: TargetResult['runs'][number]) => number | null): Record<string, number> =>
        Object.fromEntries(others.map((x) => [label(x), f(x.runs[i] ?? x.runs[0]!) ?? NaN]));
      if (want('resolve')) col.add('resolve', `cold-validated-${size}`, 'queries/s', run.coldSecure === run.coldAnswered ? run.coldQps : NaN, peerAt((r) => r.coldQps));
      if (want('serve')) {
        col.add('serve', `cache-hit-${size}`, 'queries/s', run.hitQps, peerAt((r) => r.hitQps));
        if (run.rssGrowthMB !== null) col.add('serve', `rss-growth-${mine.names}-cached-names`, 'MB', run.rssGrowthMB, peerAt((r) => r.rssGrowthMB));
      }
    });
    o.progress(`N=${zones}: adbit cold ${Math.round(med(mine, (r) => r.coldQps))}/s, hit ${Math.round(med(mine, (r) => r.hitQps))} qps`);
  }
}

/** The machine block of the contract. OpenSSL is the one Node carries (the addon uses it). */
export function machine(): Machine {
  return { cpus: availableParallelism(), node: process.versions.node, openssl: `OpenSSL ${process.versions.openssl}` };
}

export interface RunOutcome { readonly report: BenchReport; readonly failures: readonly string[] }

/** Runs the chosen workloads; a failing workload is reported in `failures`, the others still run. */
export async function runBench(o: RunOptions): Promise<RunOutcome> {
  const col = new Collector();
  const failures: string[] = [];
  const attempt = async (name: string, fn: (o: RunOptions, c: Collector) => Promise<void>): Promise<void> => {
    try { await fn(o, col); } catch (e) { failures.push(`${name}: ${(e as Error).message.split('\n').slice(0, 6).join(' | ')}`); }
  };
  if (o.target === undefined && o.benchmarks.includes('verify')) await attempt('verify', verify);
  if (o.target === undefined && o.benchmarks.includes('parse')) await attempt('parse', parse);
  if (o.benchmarks.includes('resolve') || o.benchmarks.includes('serve')) await attempt('resolve/serve', resolvers);
  return { report: { machine: machine(), results: col.rows() }, failures };
}
