// bench/report.ts — the `adbit bench --json` contract (issue 9) and its terminal table:
// {"machine":{"cpus","node","openssl"},"results":[{"benchmark","case","unit","adbit","spread":[min,max],
// "peers":{...}}]}, one row per benchmark and case. Also the statistics every row is built from
// (median over repeated runs, spread = [min, max] of the same runs) and the contract checker.

export const BENCHMARKS = ['verify', 'parse', 'resolve', 'serve'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];
export const UNITS = ['verifies/s', 'messages/s', 'queries/s', 'MB'] as const;
export type Unit = (typeof UNITS)[number];

export interface Machine { readonly cpus: number; readonly node: string; readonly openssl: string }
export interface BenchRow {
  readonly benchmark: BenchmarkName;
  readonly case: string;
  readonly unit: Unit;
  /** Median over the repeated runs. */
  readonly adbit: number;
  /** [min, max] over the same runs. */
  readonly spread: readonly [number, number];
  /** Peer name → median measured in the same run (openssl-multi, node-crypto-naive, dns-packet, unbound, …). */
  readonly peers: Readonly<Record<string, number>>;
}
export interface BenchReport { readonly machine: Machine; readonly results: readonly BenchRow[] }

export interface Summary { readonly median: number; readonly min: number; readonly max: number }

/** Median (mean of the middle two for an even count), min and max; NaN for no samples. */
export function summarize(samples: readonly number[]): Summary {
  const xs = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = xs.length >> 1;
  const median = xs.length % 2 === 1 ? (xs[mid] ?? NaN) : ((xs[mid - 1] ?? NaN) + (xs[mid] ?? NaN)) / 2;
  return { median, min: xs[0] ?? NaN, max: xs[xs.length - 1] ?? NaN };
}

/** Rounds rates to integers and small figures (MB) to 2 decimals, so the JSON stays readable. */
export function roundFigure(x: number): number {
  if (!Number.isFinite(x)) return x;
  return Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100;
}

/** adbit's figure over the peer's (for MB, lower is better, the ratio is still adbit/peer). */
export function ratio(row: BenchRow, peer: string): number {
  const p = row.peers[peer];
  return p === undefined || p === 0 ? NaN : row.adbit / p;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Lists every way `x` departs from the contract (empty when it conforms exactly). */
export function contractErrors(x: unknown): string[] {
  const errs: string[] = [];
  if (!isObj(x)) return ['top level is not an object'];
  const extra = Object.keys(x).filter((k) => k !== 'machine' && k !== 'results');
  if (extra.length > 0) errs.push(`unexpected top-level keys: ${extra.join(', ')}`);
  const m = x['machine'];
  if (!isObj(m)) errs.push('machine is not an object');
  else {
    if (!isNum(m['cpus']) || !Number.isInteger(m['cpus']) || m['cpus'] < 1) errs.push('machine.cpus is not a positive integer');
    if (typeof m['node'] !== 'string' || m['node'] === '') errs.push('machine.node is not a string');
    if (typeof m['openssl'] !== 'string' || m['openssl'] === '') errs.push('machine.openssl is not a string');
  }
  const rs = x['results'];
  if (!Array.isArray(rs)) return [...errs, 'results is not an array'];
  const seen = new Set<string>();
  rs.forEach((r: unknown, i) => {
    const at = `results[${i}]`;
    if (!isObj(r)) { errs.push(`${at} is not an object`); return; }
    const keys = Object.keys(r).sort().join(',');
    if (keys !== 'adbit,benchmark,case,peers,spread,unit') errs.push(`${at} has keys ${keys}`);
    if (!(BENCHMARKS as readonly unknown[]).includes(r['benchmark'])) errs.push(`${at}.benchmark ${String(r['benchmark'])}`);
    if (typeof r['case'] !== 'string' || r['case'] === '') errs.push(`${at}.case is not a string`);
    if (!(UNITS as readonly unknown[]).includes(r['unit'])) errs.push(`${at}.unit ${String(r['unit'])}`);
    if (!isNum(r['adbit'])) errs.push(`${at}.adbit is not a finite number`);
    const sp = r['spread'];
    if (!Array.isArray(sp) || sp.length !== 2 || !isNum(sp[0]) || !isNum(sp[1])) errs.push(`${at}.spread is not [min,max]`);
    else if (isNum(r['adbit']) && !(sp[0] <= r['adbit'] && r['adbit'] <= sp[1])) errs.push(`${at}: median outside [min,max]`);
    const peers = r['peers'];
    if (!isObj(peers)) errs.push(`${at}.peers is not an object`);
    else for (const [k, v] of Object.entries(peers)) if (!isNum(v)) errs.push(`${at}.peers.${k} is not a finite number`);
    const key = `${String(r['benchmark'])}/${String(r['case'])}`;
    if (seen.has(key)) errs.push(`${at}: duplicate row ${key}`);
    seen.add(key);
  });
  return errs;
}

const fmt = (x: number, unit: Unit): string =>
  !Number.isFinite(x) ? '—' : unit === 'MB' ? x.toFixed(2) : Math.round(x).toLocaleString('en-US');

/** Markdown table: one line per row, peers with adbit/peer ratios (the README pastes it). */
export function formatTable(r: BenchReport): string {
  const out = [`machine: ${r.machine.cpus} CPUs, Node ${r.machine.node}, ${r.machine.openssl}`, '',
    '| benchmark | case | unit | adbit median [min–max] | peers (median, adbit/peer) |', '|---|---|---|---|---|'];
  for (const row of r.results) {
    const peers = Object.keys(row.peers).map((k) => `${k} ${fmt(row.peers[k] ?? NaN, row.unit)} (${ratio(row, k).toFixed(2)}×)`);
    out.push(`| ${row.benchmark} | ${row.case} | ${row.unit} | ${fmt(row.adbit, row.unit)} [${fmt(row.spread[0], row.unit)}–${fmt(row.spread[1], row.unit)}] | ${peers.join('; ') || '—'} |`);
  }
  return out.join('\n');
}
