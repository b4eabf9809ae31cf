// keytrap.test.ts — CVE-2023-50387 (KeyTrap) and CVE-2023-50868: a zone with many DNSKEYs sharing
// one key tag and many RRSIGs per RRset must cost a bounded number of crypto operations per query
// (MAX_SIGS_PER_RRSET, MAX_KEYS_PER_KEY_TAG, MAX_CRYPTO_OPS_PER_QUERY), counted from the jobs the
// validator submits; the worst-case CPU per query is measured with process.cpuUsage and printed.
import test from 'ava';
import { newStats } from '../../../src/dnssec/budget.js';
import { MAX_CRYPTO_OPS_PER_QUERY, MAX_KEYS_PER_KEY_TAG, MAX_SIGS_PER_RRSET } from '../../../src/dnssec/limits.js';
import { Validator } from '../../../src/dnssec/validator.js';
import { RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { keyTag } from '../../../src/wire/rdata/dnskey.js';
import { encodeRRSIG } from '../../../src/wire/rdata/rrsig.js';
import { anchorsFor, MemoryHierarchy, T, type MemoryZone } from '../../helpers/memory-zones.js';
import { collidingKey, generateKey } from '../../helpers/signer.js';

const NOW = 1_780_000_000;
const COLLIDING_KEYS = 60;
const EVIL_SIGS = 40;

function evilSigs(z: MemoryZone): RecordValue[] {
  const owner = Name.fromText('www.trap.');
  const out: RecordValue[] = [];
  for (let i = 0; i < EVIL_SIGS; i++) {
    const sig = new Uint8Array(64).map((_, j) => (i * 31 + j * 7) & 0xff);
    out.push(new RecordValue(owner, T.RRSIG, 1, 300, encodeRRSIG({
      type: 'RRSIG', typeCovered: T.A, algorithm: 15, labels: 2, originalTtl: 300, expiration: NOW + 86400, inception: NOW - 60,
      keyTag: z.zsk.tag, signerName: z.apex, signature: sig,
    })));
  }
  return out;
}

test('colliding keys really share one key tag', (t) => {
  const probe = generateKey(15, 256);
  const keys = Array.from({ length: COLLIDING_KEYS }, (_, i) => collidingKey(probe, i)).filter((k) => keyTag(k) === probe.tag);
  t.true(keys.length >= 20, `${keys.length} colliding keys`);
  t.is(new Set(keys.map((k) => Buffer.from(k).toString('hex'))).size, keys.length, 'all different keys');
});

/** A world whose DNSKEY RRset carries the colliding keys (signed by the KSK, so it validates). */
function trapWorld(): MemoryHierarchy {
  const probe = generateKey(15, 256);
  const colliding = Array.from({ length: COLLIDING_KEYS }, (_, i) => collidingKey(probe, i)).filter((k) => keyTag(k) === probe.tag);
  const w = new MemoryHierarchy([
    { apex: '.' },
    { apex: 'trap.', alg: 15, records: ['www 300 IN A 192.0.2.66'], faults: { extraDnskeys: colliding, extraSigs: (z) => evilSigs(z).map((r) => retag(r, probe.tag)) } },
  ], NOW);
  return w;
}

function retag(r: RecordValue, tag: number): RecordValue {
  const rd = new Uint8Array(r.rdata);
  rd[16] = tag >> 8;
  rd[17] = tag & 0xff;
  return new RecordValue(r.name, r.type, r.class, r.ttl, rd);
}

test('KeyTrap: crypto operations per query stay bounded; worst-case CPU is measured', async (t) => {
  const w = trapWorld();
  const q = Name.fromText('www.trap.');
  const steps = w.steps(q, T.A);
  const sigCount = steps[0]!.message.answer.filter((r) => r.type === T.RRSIG).length;
  t.true(sigCount > EVIL_SIGS, `${sigCount} RRSIGs on the RRset`);
  let worstUs = 0;
  let worst = newStats();
  for (let i = 0; i < 5; i++) {
    const v = new Validator({ anchors: anchorsFor(w, NOW) }); // cold key cache: the whole chain each time
    const stats = newStats();
    const cpu0 = process.cpuUsage();
    const o = await v.validate({ qname: q, qtype: T.A, steps }, w.fetcher(), { nowSec: NOW, stats });
    const cpu = process.cpuUsage(cpu0);
    const us = cpu.user + cpu.system;
    if (us > worstUs) { worstUs = us; worst = stats; }
    t.is(o.security, 'bogus', JSON.stringify(o));
    if (o.security === 'bogus') t.true(['SIGNATURE_INVALID', 'VALIDATION_BUDGET_EXCEEDED'].includes(o.reason.code));
    t.true(stats.cryptoOps <= MAX_CRYPTO_OPS_PER_QUERY, `${stats.cryptoOps} crypto ops`);
    // Per RRset: ≤ MAX_SIGS_PER_RRSET signatures × ≤ MAX_KEYS_PER_KEY_TAG keys submitted.
    t.true(stats.verifyJobs <= 3 * MAX_SIGS_PER_RRSET * MAX_KEYS_PER_KEY_TAG, `${stats.verifyJobs} verify jobs`);
  }
  t.log(`KeyTrap worst case: ${(worstUs / 1000).toFixed(2)} ms CPU per query (cold key cache), ${worst.verifyJobs} verify jobs submitted, ${worst.cryptoOps} crypto ops, ${worst.batches} batches`);
  t.true(worstUs < 250_000, 'well under a quarter second of CPU per query');
});
