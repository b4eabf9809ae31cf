// bench/resolve.ts — resolver load test on the test hierarchy: 10,000 distinct names under the
// wildcard zones (*.wild.alg8.test, *.wild.nsec3.test) resolved with bounded concurrency by adbit
// (cold cache, no validator) and, in the same run, by the Unbound oracle (names it has not seen)
// through a plain Node UDP client. Reports resolutions/s, wrong answers and adbit's peak RSS.
// Usage: node dist/bench/resolve.js [--json] [--names N] [--concurrency C] [--runs R]
import { createSocket } from 'node:dgram';
import { Resolver } from '../src/resolver/resolver.js';
import { readRootHintsFile } from '../src/resolver/hints.js';
import { Rcode, RRType } from '../src/wire/constants.js';
import { buildQuery } from '../src/wire/encode.js';
import { Message } from '../src/wire/message.js';
import { Name } from '../src/wire/name.js';
import { channels } from '../src/util/log.js';
import { acquireHierarchy } from '../test/hierarchy/fixture.js';

const args = process.argv.slice(2);
const opt = (k: string, d: number): number => { const i = args.indexOf(k); return i >= 0 ? Number(args[i + 1]) : d; };
const json = args.includes('--json');
const COUNT = opt('--names', 10_000);
const CONC = opt('--concurrency', 100);
const RUNS = opt('--runs', 3);

async function pool(n: number, conc: number, job: (i: number) => Promise<boolean>): Promise<{ ms: number; bad: number }> {
  let next = 0;
  let bad = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < n) { const i = next++; if (!(await job(i))) bad++; }
  }));
  return { ms: performance.now() - t0, bad };
}

const nameFor = (run: string, i: number): string => `b${run}-${i}.wild.${i % 2 === 0 ? 'alg8' : 'nsec3'}.test.`;

/** A minimal stub client to Unbound: one UDP socket per query, 5 s timeout. */
function unboundQuery(server: string, qname: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const id = Math.floor(Math.random() * 65536);
    const timer = setTimeout(() => { s.close(); resolve(false); }, 5000);
    s.on('message', (buf) => {
      const m = Message.fromWire(new Uint8Array(buf));
      if (!m.ok || m.message.id !== id) return;
      clearTimeout(timer);
      s.close();
      resolve(m.message.rcode === Rcode.NOERROR && m.message.answer.some((r) => r.type === RRType.A));
    });
    s.send(buildQuery({ id, name: Name.fromText(qname), type: RRType.A, rd: true, cd: true }), 53, server);
  });
}

/** Upstream exchanges and their timeouts in the current adbit run (from the diagnostics channel). */
const upstream = { exchanges: 0, timeouts: 0, rtts: [] as number[] };
channels.upstreamReply.subscribe((ev) => {
  upstream.exchanges++;
  const e = ev as { kind?: string; rttMs?: number };
  if (e.kind === 'timeout') upstream.timeouts++;
  if (e.rttMs !== undefined && e.rttMs >= 0) upstream.rtts.push(e.rttMs);
});
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const h = await acquireHierarchy();
const hints = readRootHintsFile(h.rootHintsFile);
let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
const rows: Array<{
  run: number; adbitRps: number; adbitBad: number; unboundRps: number; unboundBad: number; upstream: number; timeouts: number;
  rttP50Ms: number; rttP99Ms: number; cpuUsPerName: number;
}> = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const tag = `${Date.now().toString(36)}${run}`;
    upstream.exchanges = 0;
    upstream.timeouts = 0;
    upstream.rtts = [];
    const r = new Resolver({ rootHints: hints });
    // CPU time is the robust figure on a shared machine: wall-clock rates move with other load.
    const cpu0 = process.cpuUsage();
    const a = await pool(COUNT, CONC, async (i) => {
      const qname = nameFor(`a${tag}`, i);
      const ans = await r.resolve({ name: Name.fromText(qname), type: RRType.A });
      const good = ans.rcode === Rcode.NOERROR && ans.answer.some((x) => x.type === RRType.A);
      // Every wrong answer is logged with what explains it: rcode, EDE texts and the zones asked.
      if (!good) {
        const ede = ans.ede.map((e) => `${e.code}:${e.text}`).join('; ');
        const steps = ans.steps.map((s) => s.zone.toText()).join(',');
        console.error(`wrong ${qname} rcode=${ans.rcode} ede=[${ede}] steps=[${steps}]`);
      }
      return good;
    });
    r.close();
    const cpu = process.cpuUsage(cpu0);
    const sent = {
      cpuUsPerName: (cpu.user + cpu.system) / COUNT,
      upstream: upstream.exchanges, timeouts: upstream.timeouts, rttP50Ms: pct(upstream.rtts, 0.5), rttP99Ms: pct(upstream.rtts, 0.99),
    };
    const u = await pool(COUNT, CONC, (i) => unboundQuery(h.unboundAddr, nameFor(`u${tag}`, i)));
    rows.push({ run, adbitRps: COUNT / (a.ms / 1000), adbitBad: a.bad, unboundRps: COUNT / (u.ms / 1000), unboundBad: u.bad, ...sent });
  }
} finally {
  clearInterval(sampler);
  await h.stop();
}
const result = {
  names: COUNT, concurrency: CONC, runs: rows,
  median: { adbitRps: median(rows.map((x) => x.adbitRps)), unboundRps: median(rows.map((x) => x.unboundRps)) },
  peakRssMiB: peakRss / 1024 / 1024,
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`names ${COUNT}, concurrency ${CONC}, runs ${rows.length}`);
  console.log('run | adbit res/s | adbit wrong | adbit CPU µs/name | upstream exchanges | timeouts | RTT p50/p99 ms | unbound res/s | unbound wrong');
  for (const x of rows) {
    const rtt = `${x.rttP50Ms.toFixed(1)}/${x.rttP99Ms.toFixed(1)}`;
    console.log(`${x.run} | ${x.adbitRps.toFixed(0)} | ${x.adbitBad} | ${x.cpuUsPerName.toFixed(0)} | ${x.upstream} | ${x.timeouts} | ${rtt} | ${x.unboundRps.toFixed(0)} | ${x.unboundBad}`);
  }
  console.log(`median adbit ${result.median.adbitRps.toFixed(0)} res/s, unbound ${result.median.unboundRps.toFixed(0)} res/s; adbit peak RSS ${result.peakRssMiB.toFixed(1)} MiB`);
}
