// report.test.ts — the `adbit bench --json` contract checker, the median/[min,max] statistics and
// the row builder of bench/report.ts (issue 9).
import test from 'ava';
import { contractErrors, formatTable, ratio, roundFigure, summarize, type BenchReport } from '../../../bench/report.js';
import { Collector } from '../../../bench/run.js';

const good: BenchReport = {
  machine: { cpus: 2, node: '20.19.0', openssl: 'OpenSSL 3.0.15' },
  results: [
    { benchmark: 'verify', case: 'ECDSAP256SHA256', unit: 'verifies/s', adbit: 12000, spread: [11000, 13000], peers: { 'openssl-multi': 24000, 'node-crypto-naive': 2500 } },
    { benchmark: 'serve', case: 'rss-growth-2000-cached-names', unit: 'MB', adbit: 4.5, spread: [4, 5], peers: { unbound: 2 } },
  ],
};

test('summarize: odd count takes the middle, even count the mean of the middle two', (t) => {
  t.deepEqual(summarize([5, 1, 3]), { median: 3, min: 1, max: 5 });
  t.deepEqual(summarize([4, 1, 3, 10]), { median: 3.5, min: 1, max: 10 });
  t.deepEqual(summarize([7]), { median: 7, min: 7, max: 7 });
});

test('summarize ignores non-finite samples and gives NaN for none', (t) => {
  t.deepEqual(summarize([NaN, 2, Infinity, 4]), { median: 3, min: 2, max: 4 });
  t.true(Number.isNaN(summarize([]).median));
});

test('Collector: median of trial medians, spread over every trial and its rounds, peer medians', (t) => {
  const c = new Collector();
  c.add('parse', 'decode', 'messages/s', 300.4, { 'dns-packet': 50, unbound: NaN });
  c.add('parse', 'decode', 'messages/s', 100.2, { 'dns-packet': 70 }, 90, 110);
  c.add('parse', 'decode', 'messages/s', 200.6, { 'dns-packet': 60 }, 150, 420);
  c.add('resolve', 'cold', 'queries/s', NaN, { unbound: 5 }); // adbit not validated: no row
  const rows = c.rows();
  t.is(rows.length, 1);
  const r = rows[0]!;
  t.like(r, { benchmark: 'parse', case: 'decode', unit: 'messages/s', adbit: 201 });
  t.deepEqual(r.spread, [90, 420]);
  t.deepEqual(r.peers, { 'dns-packet': 60 });
  t.is(ratio(r, 'dns-packet'), 201 / 60);
  t.true(Number.isNaN(ratio(r, 'unbound')));
  t.deepEqual(contractErrors({ machine: { cpus: 1, node: 'v', openssl: 'o' }, results: rows }), []);
  t.is(roundFigure(1.23456), 1.23);
});

test('a conforming report has no contract errors', (t) => {
  t.deepEqual(contractErrors(good), []);
  t.deepEqual(contractErrors(JSON.parse(JSON.stringify(good))), []);
});

test('contract violations are each named', (t) => {
  const row = good.results[0]!;
  t.true(contractErrors({ ...good, extra: 1 }).some((e) => e.includes('extra')));
  t.true(contractErrors({ ...good, machine: { cpus: 0, node: 'x', openssl: 'y' } }).some((e) => e.includes('cpus')));
  t.true(contractErrors({ ...good, results: [{ ...row, benchmark: 'fuzz' }] }).some((e) => e.includes('benchmark')));
  t.true(contractErrors({ ...good, results: [{ ...row, unit: 'ops' }] }).some((e) => e.includes('unit')));
  t.true(contractErrors({ ...good, results: [{ ...row, spread: [1] }] }).some((e) => e.includes('spread')));
  t.true(contractErrors({ ...good, results: [{ ...row, spread: [13001, 14000] }] }).some((e) => e.includes('outside')));
  t.true(contractErrors({ ...good, results: [{ ...row, peers: { unbound: 'fast' } }] }).some((e) => e.includes('peers.unbound')));
  t.true(contractErrors({ ...good, results: [row, row] }).some((e) => e.includes('duplicate')));
  t.true(contractErrors({ ...good, results: [{ ...row, note: 'x' }] }).some((e) => e.includes('keys')));
  t.deepEqual(contractErrors([]), ['top level is not an object']);
});

test('the table has one line per row with adbit/peer ratios', (t) => {
  const lines = formatTable(good).split('\n');
  t.is(lines.filter((l) => l.startsWith('| verify') || l.startsWith('| serve')).length, 2);
  t.true(lines.some((l) => l.includes('openssl-multi 24,000 (0.50×)')));
  t.true(lines.some((l) => l.includes('4.50 [4.00–5.00]')));
});
