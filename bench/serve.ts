// serve.ts — cache-hit throughput of `adbit serve` against Unbound on the test hierarchy: same
// query mix (every manifest scenario except the TC one, DO set), caches warmed first, the same
// number of workers/threads, dnsperf as the load generator. Prints QPS, latency percentiles (from
// dnsperf -v per-query lines) and the adbit/Unbound ratio, then a JSON line. Needs root (hierarchy).
// Usage: node dist/bench/serve.js [--threads 1,2] [--workers 2] [--seconds 10] [--clients 8]
//        --threads N: one adbit process with N native I/O threads vs Unbound num-threads N;
//        --workers N: N adbit cluster workers with one I/O thread each vs Unbound num-threads N.
//        node dist/bench/serve.js --overload 60 --qps 50000 [--io-threads N] [--loaders N] [--miss]   (overload, 1 worker: queries
//        offered at a fixed rate; samples RSS and checks answers with dig every 2 s while it runs)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { acquireHierarchy, type Hierarchy } from '../test/hierarchy/fixture.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const MAIN = join(HERE, '..', 'src', 'cli', 'main.js');
const ADBIT_PORT = 5391;
const UNBOUND_PORT = 5392;

interface Result { who: string; mode: string; workers: number; qps: number; p50ms: number; p90ms: number; p99ms: number; lost: number }

function dnsperf(port: number, file: string, seconds: number, clients: number, verbose: boolean): string {
  const args = ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-D', '-c', String(clients), '-l', String(seconds), '-t', '2'];
  const r = spawnSync('dnsperf', verbose ? [...args, '-v'] : args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  return r.stdout + r.stderr;
}

function summarise(who: string, mode: string, workers: number, out: string): Result {
  const qps = Number(/Queries per second:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const lost = Number(/Queries lost:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  // -v lines: "> NOERROR www.alg13.test A 0.000123"
  const lat = [...out.matchAll(/^> \S+ .* ([\d.]+)$/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
  const pct = (p: number): number => Number((((lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? NaN) * 1000)).toFixed(3));
  return { who, mode, workers, qps, p50ms: pct(0.5), p90ms: pct(0.9), p99ms: pct(0.99), lost };
}

function waitPort(port: number): void {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('dig', ['@127.0.0.1', '-p', String(port), '+time=1', '+tries=1', '.', 'SOA'], { encoding: 'utf8' });
    if (r.stdout.includes('status:')) return;
    spawnSync('sleep', ['0.1']);
  }
  throw new Error(`nothing answers on port ${port}`);
}

function unboundConf(dir: string, hints: string, anchor: string, threads: number): string {
  const conf = join(dir, 'unbound.conf');
  writeFileSync(conf, [
    'server:', '  interface: 127.0.0.1', `  port: ${UNBOUND_PORT}`, '  do-ip6: no', `  num-threads: ${threads}`,
    '  so-reuseport: yes', '  outgoing-interface: 127.0.0.1', '  access-control: 127.0.0.0/8 allow', '  username: ""', '  chroot: ""',
    `  directory: "${dir}"`, `  pidfile: "${join(dir, 'unbound.pid')}"`, '  use-syslog: no', '  verbosity: 0', '  ede: yes',
    `  root-hints: "${hints}"`, `  trust-anchor-file: "${anchor}"`, '  do-not-query-localhost: no',
    '  module-config: "validator iterator"', '  local-zone: "test." nodefault', '  harden-algo-downgrade: no',
    '  val-permissive-mode: no', 'remote-control:', '  control-enable: no', '',
  ].join('\n'));
  return conf;
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const done = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await done;
}

/** RSS in KiB of a process and its direct children (cluster workers). */
function treeRssKb(pid: number): number {
  const rss = (p: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
  let kids: number[] = [];
  try { kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { /* none */ }
  return rss(pid) + kids.reduce((a, k) => a + rss(k), 0);
}

/** One dig of a scenario: true when rcode and AD match the manifest (bogus → SERVFAIL, RFC 6840 §5.8). */
/**
 * One dig against the server: 'ok', 'wrong' (an answer that contradicts the manifest) or
 * 'no-answer' (dropped under overload — a lost query, not a wrong answer).
 */
function digCheck(port: number, sc: Hierarchy['manifest'][number]): { verdict: 'ok' | 'wrong' | 'no-answer'; got: string } {
  const r = spawnSync('dig', ['@127.0.0.1', '-p', String(port), '+dnssec', '+time=2', '+tries=1', sc.qname, sc.qtype], { encoding: 'utf8' });
  const status = /status: (\w+)/.exec(r.stdout)?.[1];
  if (status === undefined) return { verdict: 'no-answer', got: 'no answer' };
  const ad = /flags:[^;]*\bad\b/.test(r.stdout);
  const want = sc.security === 'bogus' ? 'SERVFAIL' : sc.rcode;
  const ok = status === want && ad === (sc.security === 'secure' && want !== 'SERVFAIL');
  return { verdict: ok ? 'ok' : 'wrong', got: `${status}${ad ? ' ad' : ''}` };
}

async function overload(h: Hierarchy, file: string, seconds: number, qps: number, clients: number, ioThreads: string, loaders: number): Promise<void> {
  const adbit = spawn(process.execPath, [MAIN, 'serve', '--listen', `127.0.0.1:${ADBIT_PORT}`, '--root-hints', h.rootHintsFile,
    '--trust-anchor', h.trustAnchorDsFile, '--workers', '1', '--io-threads', ioThreads, '--log-level', 'warn'], { stdio: 'ignore' });
  try {
    waitPort(ADBIT_PORT);
    dnsperf(ADBIT_PORT, file, 3, clients, false);
    const sample = h.manifest.filter((sc) => sc.id !== 'tc-tcp');
    // Several dnsperf processes when one cannot send fast enough on its own; each offers qps/loaders.
    const loads = Array.from({ length: loaders }, () => spawn('dnsperf', ['-s', '127.0.0.1', '-p', String(ADBIT_PORT), '-d', file, '-D',
      '-c', String(clients), '-l', String(seconds), '-Q', String(Math.ceil(qps / loaders)), '-q', '5000', '-t', '2'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const outs = loads.map(() => '');
    let errs = '';
    loads.forEach((l, i) => {
      l.stdout.on('data', (c: Buffer) => { outs[i] += c.toString(); });
      // Drained too: a full stderr pipe would block dnsperf.
      l.stderr.on('data', (c: Buffer) => { if (errs.length < 2000) errs += c.toString(); });
    });
    let running = true;
    const done = Promise.all(loads.map((l) => new Promise((r) => l.once('exit', r)))).then(() => { running = false; });
    let peakKb = 0;
    let noAnswer = 0;
    let checks = 0;
    let wrong = 0;
    const startKb = treeRssKb(adbit.pid!);
    for (let i = 0; running; i++) {
      peakKb = Math.max(peakKb, treeRssKb(adbit.pid!));
      const sc = sample[i % sample.length]!;
      checks++;
      const d = digCheck(ADBIT_PORT, sc);
      if (d.verdict === 'no-answer') noAnswer++;
      if (d.verdict === 'wrong') { wrong++; process.stdout.write(`dig mismatch: ${sc.id} ${sc.qname} ${sc.qtype}: got ${d.got}\n`); }
      await new Promise((r) => setTimeout(r, 2000));
    }
    await done;
    const sum = (re: RegExp): number => outs.reduce((a, o) => a + Number(re.exec(o)?.[1] ?? NaN), 0);
    const alive = adbit.exitCode === null && adbit.signalCode === null;
    const res = {
      bench: 'serve-overload', seconds, ioThreads, loaders, offeredQps: qps,
      sentQps: Math.round(sum(/Queries sent:\s+(\d+)/) / seconds), answeredQps: Math.round(sum(/Queries per second:\s+([\d.]+)/)),
      lostPct: +(100 * sum(/Queries lost:\s+(\d+)/) / Math.max(1, sum(/Queries sent:\s+(\d+)/))).toFixed(2), alive, startRssMiB: +(startKb / 1024).toFixed(1),
      peakRssMiB: +(peakKb / 1024).toFixed(1), endRssMiB: +(alive ? treeRssKb(adbit.pid!) / 1024 : NaN).toFixed(1), digChecks: checks, digWrong: wrong, digNoAnswer: noAnswer,
    };
    process.stdout.write(JSON.stringify(res) + '\n');
    if (errs !== '') process.stdout.write(`dnsperf stderr: ${errs.slice(0, 500)}\n`);
  } finally {
    await stop(adbit);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    threads: { type: 'string' }, workers: { type: 'string' }, 'io-threads': { type: 'string' }, loaders: { type: 'string' }, miss: { type: 'boolean' }, seconds: { type: 'string' }, clients: { type: 'string' }, overload: { type: 'string' }, qps: { type: 'string' },
  } });
  const runs = [
    ...(values.threads ?? '1,2').split(',').filter(Boolean).map((x) => ({ mode: 'threads', n: Number(x), args: ['--workers', '1', '--io-threads', x] })),
    ...(values.workers ?? '').split(',').filter(Boolean).map((x) => ({ mode: 'workers', n: Number(x), args: ['--workers', x, '--io-threads', '1'] })),
  ];
  const seconds = Number(values.seconds ?? 10);
  const clients = Number(values.clients ?? 8);
  const h = await acquireHierarchy();
  const dir = mkdtempSync(join(tmpdir(), 'adbit-bench-'));
  const file = join(dir, 'queries.txt');
  writeFileSync(file, h.manifest.filter((s) => s.id !== 'tc-tcp').map((s) => `${s.qname} ${s.qtype}`).join('\n') + '\n');
  if (values.overload !== undefined) {
    try {
      // --miss: every query a fresh name under the NSEC3 wildcard (no aggressive NSEC3 synthesis, RFC
      // 8198 §5.2 use is off): each one is a full upstream resolution and validation in JS.
      const missFile = join(dir, 'miss.txt');
      if (values.miss === true) {
        const n = Math.min(3_000_000, Number(values.overload) * Number(values.qps ?? 50000) + 10_000);
        writeFileSync(missFile, Array.from({ length: n }, (_, i) => `m${i.toString(36)}.wild.nsec3.test A`).join('\n') + '\n');
      }
      await overload(h, values.miss === true ? missFile : file, Number(values.overload), Number(values.qps ?? 50000), clients, values['io-threads'] ?? 'auto', Number(values.loaders ?? 1));
    } finally {
      await h.stop();
    }
    return;
  }
  const results: Result[] = [];
  try {
    for (const { mode, n, args } of runs) {
      const adbit = spawn(process.execPath, [MAIN, 'serve', '--listen', `127.0.0.1:${ADBIT_PORT}`, '--root-hints', h.rootHintsFile,
        '--trust-anchor', h.trustAnchorDsFile, ...args, '--log-level', 'warn'], { stdio: 'ignore' });
      try {
        waitPort(ADBIT_PORT);
        // Warm every worker's cache (each has its own): several passes spread over the workers.
        dnsperf(ADBIT_PORT, file, 3, clients, false);
        results.push(summarise('adbit', mode, n, dnsperf(ADBIT_PORT, file, seconds, clients, true)));
      } finally {
        await stop(adbit);
      }
      const ub = spawn('unbound', ['-d', '-c', unboundConf(dir, h.rootHintsFile, h.trustAnchorDsFile, n)], { stdio: 'ignore' });
      try {
        waitPort(UNBOUND_PORT);
        dnsperf(UNBOUND_PORT, file, 3, clients, false);
        results.push(summarise('unbound', mode, n, dnsperf(UNBOUND_PORT, file, seconds, clients, true)));
      } finally {
        await stop(ub);
      }
    }
  } finally {
    await h.stop();
  }
  process.stdout.write('who      mode      n        qps   p50 ms   p90 ms   p99 ms   lost\n');
  for (const r of results) {
    process.stdout.write(`${r.who.padEnd(8)} ${r.mode.padEnd(8)} ${String(r.workers).padStart(2)} ${r.qps.toFixed(0).padStart(10)} ${String(r.p50ms).padStart(8)} ` +
      `${String(r.p90ms).padStart(8)} ${String(r.p99ms).padStart(8)} ${String(r.lost).padStart(6)}\n`);
  }
  for (const { mode, n } of runs) {
    const a = results.find((r) => r.who === 'adbit' && r.mode === mode && r.workers === n);
    const u = results.find((r) => r.who === 'unbound' && r.mode === mode && r.workers === n);
    if (a !== undefined && u !== undefined) process.stdout.write(`ratio adbit/unbound, ${mode} ${n}: ${(a.qps / u.qps).toFixed(2)}\n`);
  }
  process.stdout.write(JSON.stringify({ bench: 'serve', seconds, clients, results }) + '\n');
}

await main();
