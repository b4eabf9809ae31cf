// validate.ts — validator throughput over a warm key cache (validations/s of a typical positive
// answer and of an NSEC3 NXDOMAIN), and the KeyTrap worst case (CPU per query, cold cache) on
// in-memory signed zones (test/helpers). Run: node dist/bench/validate.js [--json]. Medians of 5.
import { newStats } from '../src/dnssec/budget.js';
import { Validator } from '../src/dnssec/validator.js';
import { RecordValue } from '../src/wire/message.js';
import { Name } from '../src/wire/name.js';
import { keyTag } from '../src/wire/rdata/dnskey.js';
import { encodeRRSIG } from '../src/wire/rdata/rrsig.js';
import { anchorsFor, MemoryHierarchy, T } from '../test/helpers/memory-zones.js';
import { collidingKey, generateKey } from '../test/helpers/signer.js';

const NOW = 1_780_000_000;
const REPEATS = 5;
const MIN_MS = 300;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? 0;
}

async function throughput(world: MemoryHierarchy, qname: string, qtype: number): Promise<{ perSec: number; security: string }> {
  const v = new Validator({ anchors: anchorsFor(world, NOW) });
  const q = Name.fromText(qname);
  const steps = world.steps(q, qtype);
  const fetcher = world.fetcher();
  const first = await v.validate({ qname: q, qtype, steps }, fetcher, { nowSec: NOW }); // warms the key cache
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < MIN_MS) {
      await v.validate({ qname: q, qtype, steps }, fetcher, { nowSec: NOW });
      n++;
    }
    rates.push((n * 1000) / (performance.now() - t0));
  }
  return { perSec: median(rates), security: first.security };
}

async function keyTrap(): Promise<{ cpuMsWorst: number; cpuMsMedian: number; verifyJobs: number; cryptoOps: number }> {
  const probe = generateKey(15, 256);
  const colliding = Array.from({ length: 200 }, (_, i) => collidingKey(probe, i)).filter((k) => keyTag(k) === probe.tag);
  const world = new MemoryHierarchy([
    { apex: '.' },
    {
      apex: 'trap.', alg: 15, records: ['www 300 IN A 192.0.2.66'],
      faults: {
        extraDnskeys: colliding,
        extraSigs: (z) => Array.from({ length: 100 }, (_, i) => new RecordValue(Name.fromText('www.trap.'), T.RRSIG, 1, 300, encodeRRSIG({
          type: 'RRSIG', typeCovered: T.A, algorithm: 15, labels: 2, originalTtl: 300, expiration: NOW + 86400, inception: NOW - 60,
          keyTag: probe.tag, signerName: z.apex, signature: new Uint8Array(64).fill(i & 0xff),
        }))),
      },
    },
  ], NOW);
  const q = Name.fromText('www.trap.');
  const steps = world.steps(q, T.A);
  const cpu: number[] = [];
  let last = newStats();
  for (let i = 0; i < 20; i++) {
    const v = new Validator({ anchors: anchorsFor(world, NOW) });
    const stats = newStats();
    const c0 = process.cpuUsage();
    await v.validate({ qname: q, qtype: T.A, steps }, world.fetcher(), { nowSec: NOW, stats });
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    last = stats;
  }
  return { cpuMsWorst: Math.max(...cpu), cpuMsMedian: median(cpu), verifyJobs: last.verifyJobs, cryptoOps: last.cryptoOps };
}

const world = new MemoryHierarchy([
  { apex: '.' },
  { apex: 'test.' },
  { apex: 'p256.test.', records: ['www 300 IN A 192.0.2.1'] },
  { apex: 'n3.test.', denial: 'nsec3', nsec3: { iterations: 0, salt: 'aabb' }, records: ['www 300 IN A 192.0.2.2', 'mail 300 IN A 192.0.2.3'] },
], NOW);

const positive = await throughput(world, 'www.p256.test.', T.A);
const nxdomain = await throughput(world, 'nope.n3.test.', T.A);
const trap = await keyTrap();
const result = {
  positiveP256PerSec: Math.round(positive.perSec), positiveSecurity: positive.security,
  nsec3NxdomainPerSec: Math.round(nxdomain.perSec), nxdomainSecurity: nxdomain.security,
  keyTrap: { ...trap, cpuMsWorst: Number(trap.cpuMsWorst.toFixed(2)), cpuMsMedian: Number(trap.cpuMsMedian.toFixed(2)) },
};
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result));
} else {
  console.log(`warm key cache, one core:`);
  console.log(`  positive A (ECDSA P-256, 1 RRSIG)       ${result.positiveP256PerSec} validations/s (${positive.security})`);
  console.log(`  NSEC3 NXDOMAIN (3 NSEC3 + SOA RRSIGs)    ${result.nsec3NxdomainPerSec} validations/s (${nxdomain.security})`);
  console.log(`KeyTrap (${'200'} colliding-key candidates, 100 RRSIGs, cold cache): worst ${result.keyTrap.cpuMsWorst} ms CPU, median ${result.keyTrap.cpuMsMedian} ms; ${trap.verifyJobs} verify jobs, ${trap.cryptoOps} crypto ops`);
}
