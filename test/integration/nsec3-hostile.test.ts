// nsec3-hostile.test.ts — the resolver + validator against the NSEC3 zones of the test hierarchy
// built for CVE-2023-50868 (closest-encloser hashing: 150 iterations, a 255-octet salt, an apex
// wildcard, deep fresh QNAMEs): outcomes are right (RFC 5155 §8.3–8.8, RFC 9276 §3.2) up to 110
// labels, each proof hashes only what RFC 5155 needs (§8.8: one name; §8.4/§8.7: the walk to the
// closest encloser + its wildcard), hashes per client query stay within the budget (a lowered cap
// still stops them), CPU per query is bounded, and another zone keeps being answered in a burst.
import { randomBytes } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { newStats, type ValidationStats } from '../../src/dnssec/budget.js';
import { Ede } from '../../src/dnssec/ede.js';
import type { Fetcher, ValidationInput } from '../../src/dnssec/fetcher.js';
import { KeyCache } from '../../src/dnssec/key-cache.js';
import { MAX_NSEC3_HASHES_PER_QUERY } from '../../src/dnssec/limits.js';
import type { Outcome } from '../../src/dnssec/outcome.js';
import { Validator } from '../../src/dnssec/validator.js';
import type { Answer } from '../../src/resolver/answer.js';
import { readRootHintsFile } from '../../src/resolver/hints.js';
import { Resolver, type ResolverValidator } from '../../src/resolver/resolver.js';
import { Rcode, RRType } from '../../src/wire/constants.js';
import { Name } from '../../src/wire/name.js';
import { useHierarchy } from '../hierarchy/fixture.js';
import { hierarchyAnchors } from '../helpers/hierarchy-resolver.js';

const hierarchy = useHierarchy(test);
const resolvers: Resolver[] = [];
test.after.always(() => { for (const r of resolvers) r.close(); });

const ZONE = 'nsec3trap.test.';
const OVER = 'nsec3trap-over.test.';
/** Generous bounds for a shared 2-core machine; the measured figures are logged. */
const MAX_MEDIAN_CPU_MS_PER_QUERY = 250;
const MAX_SECURE_P99_MS = 3000;

/** The Validator with every validate() call's ValidationStats kept, so hashes per query can be read. */
class CountingValidator implements ResolverValidator {
  readonly #inner: Validator;
  readonly #maxHashes: number | undefined;
  calls: ValidationStats[] = [];
  constructor(inner: Validator, maxHashes?: number) { this.#inner = inner; this.#maxHashes = maxHashes; }
  validate(input: ValidationInput, fetcher: Fetcher, opts: { nowSec: number; signal?: AbortSignal }): Promise<Outcome> {
    const stats = newStats();
    this.calls.push(stats);
    return this.#inner.validate(input, fetcher, { ...opts, stats, ...(this.#maxHashes === undefined ? {} : { maxNsec3Hashes: this.#maxHashes }) });
  }
}

/** A resolver whose validator may compute at most `maxHashes` NSEC3 hashes per query (default: the budget). */
async function makeResolver(maxHashes?: number): Promise<{ r: Resolver; v: CountingValidator }> {
  const h = hierarchy();
  const v = new CountingValidator(new Validator({ anchors: await hierarchyAnchors(h), keyCache: new KeyCache() }), maxHashes);
  const r = new Resolver({ rootHints: readRootHintsFile(h.rootHintsFile), validator: v });
  resolvers.push(r);
  return { r, v };
}

/** A fresh name `labels` labels below `suffix`: one random label, then single-letter ones (short wire). */
const fresh = (labels: number, suffix: string): string =>
  `${['r' + randomBytes(4).toString('hex'), ...Array.from({ length: labels - 1 }, () => 'a')].join('.')}.${suffix}`;

interface Measured { readonly a: Answer; readonly hashes: number; readonly cpuMs: number }

/** Resolves one question alone (sequentially), returning its answer, NSEC3 hashes and CPU time. */
async function measure(r: Resolver, v: CountingValidator, qname: string, type: number): Promise<Measured> {
  v.calls = [];
  const before = process.cpuUsage();
  const a = await r.resolve({ name: Name.fromText(qname), type });
  const u = process.cpuUsage(before);
  return { a, hashes: v.calls.reduce((n, s) => n + s.nsec3Hashes, 0), cpuMs: (u.user + u.system) / 1000 };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const edeOf = (o: Outcome): number | null => (o.security === 'secure' ? null : o.reason.ede);
const info = (qname: string, m: Measured): string =>
  `${qname}: rcode ${m.a.rcode} ${JSON.stringify(m.a.outcome)} hashes ${m.hashes}`;

function expectOutcome(t: ExecutionContext, qname: string, m: Measured, rcode: number, security: Outcome['security'], ede: number | null): void {
  t.is(m.a.rcode, rcode, info(qname, m));
  t.is(m.a.outcome.security, security, info(qname, m));
  t.is(edeOf(m.a.outcome), ede, info(qname, m));
  t.true(m.hashes <= MAX_NSEC3_HASHES_PER_QUERY, info(qname, m));
}

test.serial('fresh names 1–110 labels deep at 150 iterations: secure, hashing only what RFC 5155 §8 needs', async (t) => {
  const { r, v } = await makeResolver();
  // Warm the chain (DS/DNSKEY of test. and the zone) so the figures below are the proofs alone.
  t.is((await measure(r, v, `www.${ZONE}`, RRType.A)).a.outcome.security, 'secure');
  const rows: string[] = [];
  const cpu: number[] = [];
  // 110 labels below www is close to the 255-octet limit (a 10-octet first label, then 'a's).
  for (const depth of [1, 10, 30, 60, 100, 110]) {
    const wild = fresh(depth, ZONE);
    const w = await measure(r, v, wild, RRType.A); // wildcard expansion, RFC 5155 §8.8
    expectOutcome(t, wild, w, Rcode.NOERROR, 'secure', null);
    t.true(w.a.answer.some((rr) => rr.type === RRType.A), info(wild, w));
    const ndName = fresh(depth, ZONE);
    const nd = await measure(r, v, ndName, RRType.MX); // wildcard NODATA, §8.7
    expectOutcome(t, ndName, nd, Rcode.NOERROR, 'secure', null);
    const nxName = fresh(depth, `www.${ZONE}`);
    const nx = await measure(r, v, nxName, RRType.A); // NXDOMAIN below www (no *.www), §8.4
    expectOutcome(t, nxName, nx, Rcode.NXDOMAIN, 'secure', null);
    // §8.8: the RRSIG labels field names the closest encloser; only the next closer name is hashed.
    t.is(w.hashes, 1, info(wild, w));
    // §8.7: qname and each ancestor up to the apex (depth + 1 names), then *.apex.
    t.is(nd.hashes, depth + 2, info(ndName, nd));
    // §8.4: qname up to the closest encloser www (depth + 1 names), then *.www.
    t.is(nx.hashes, depth + 2, info(nxName, nx));
    cpu.push(w.cpuMs, nd.cpuMs, nx.cpuMs);
    rows.push(`depth ${depth}: hashes wildcard/nodata/nxdomain ${w.hashes}/${nd.hashes}/${nx.hashes}, ` +
      `CPU ms ${w.cpuMs.toFixed(1)}/${nd.cpuMs.toFixed(1)}/${nx.cpuMs.toFixed(1)}`);
  }
  t.log(`NSEC3 150 iterations, 255-octet salt (budget ${MAX_NSEC3_HASHES_PER_QUERY} hashes/query):\n  ${rows.join('\n  ')}`);
  t.log(`median CPU per query ${median(cpu).toFixed(1)} ms (bound ${MAX_MEDIAN_CPU_MS_PER_QUERY} ms)`);
  t.true(median(cpu) < MAX_MEDIAN_CPU_MS_PER_QUERY);
});

test.serial('a lowered hash cap stops the hashing of a deep proof: bogus with EDE 6, never more hashes than the cap', async (t) => {
  // No single name can need more than MAX_NSEC3_HASHES_PER_QUERY hashes any more (≤ 127 labels),
  // so the cap is lowered to 64 to exercise the CVE-2023-50868 stop against the real zone.
  const CAP = 64;
  const { r, v } = await makeResolver(CAP);
  t.is((await measure(r, v, `www.${ZONE}`, RRType.A)).a.outcome.security, 'secure');
  const cpu: number[] = [];
  const hashes: number[] = [];
  for (let i = 0; i < 10; i++) {
    // 110 labels: the NXDOMAIN and wildcard NODATA walks need 112 hashes, over the cap.
    const qname = fresh(110, i % 2 === 0 ? ZONE : `www.${ZONE}`);
    const qtype = i % 2 === 0 ? RRType.MX : RRType.A;
    const m = await measure(r, v, qname, qtype);
    t.is(m.a.rcode, Rcode.SERVFAIL, info(qname, m));
    t.is(m.a.outcome.security, 'bogus', info(qname, m));
    t.is(edeOf(m.a.outcome), Ede.DNSSEC_BOGUS, info(qname, m));
    t.is(m.hashes, CAP, info(qname, m));
    cpu.push(m.cpuMs);
    hashes.push(m.hashes);
  }
  // The wildcard answer needs one hash and stays secure under the same cap.
  const wild = fresh(110, ZONE);
  const w = await measure(r, v, wild, RRType.A);
  expectOutcome(t, wild, w, Rcode.NOERROR, 'secure', null);
  t.log(`110-label fresh names, cap ${CAP}: hashes per query max ${Math.max(...hashes)}, ` +
    `CPU per query median ${median(cpu).toFixed(1)} ms, worst ${Math.max(...cpu).toFixed(1)} ms; wildcard answer ${w.hashes} hash`);
  t.true(median(cpu) < MAX_MEDIAN_CPU_MS_PER_QUERY);
});

test.serial('151 iterations: insecure with EDE 27 and not one hash computed (RFC 9276 §3.2)', async (t) => {
  const { r, v } = await makeResolver();
  const cpu: number[] = [];
  for (const depth of [5, 60, 110]) {
    const wild = fresh(depth, OVER);
    const w = await measure(r, v, wild, RRType.A);
    expectOutcome(t, wild, w, Rcode.NOERROR, 'insecure', Ede.UNSUPPORTED_NSEC3_ITERATIONS_VALUE);
    const nxName = fresh(depth, `www.${OVER}`);
    const nx = await measure(r, v, nxName, RRType.A);
    expectOutcome(t, nxName, nx, Rcode.NXDOMAIN, 'insecure', Ede.UNSUPPORTED_NSEC3_ITERATIONS_VALUE);
    t.is(w.hashes + nx.hashes, 0);
    cpu.push(w.cpuMs, nx.cpuMs);
  }
  t.log(`151 iterations: 0 hashes, median CPU per query ${median(cpu).toFixed(1)} ms`);
});

test.serial('a secure name in another zone keeps being answered during a burst of hostile queries', async (t) => {
  const { r } = await makeResolver();
  t.is((await r.resolve({ name: Name.fromText('warm.wild.alg8.test.'), type: RRType.A })).outcome.security, 'secure');
  t.is((await r.resolve({ name: Name.fromText(`www.${ZONE}`), type: RRType.A })).outcome.security, 'secure');
  // 10 waves of 4 fresh deep names: 110-label NXDOMAINs below www (112 hashes each, the most a
  // name can cost) and 60-label wildcard NODATAs (62 hashes).
  let attacking = true;
  const attack = (async (): Promise<{ n: number; secure: number }> => {
    let n = 0;
    let secure = 0;
    for (let w = 0; w < 10; w++) {
      await Promise.all(Array.from({ length: 4 }, (_, j) =>
        r.resolve({ name: Name.fromText(j % 2 === 0 ? fresh(60, ZONE) : fresh(110, `www.${ZONE}`)), type: j % 2 === 0 ? RRType.MX : RRType.A })
          .then((a) => { n++; if (a.outcome.security === 'secure') secure++; })));
    }
    attacking = false;
    return { n, secure };
  })();
  const latencies: number[] = [];
  let ok = 0;
  for (let i = 0; i < 400 && (attacking || i < 40); i++) {
    const t0 = performance.now();
    const a = await r.resolve({ name: Name.fromText(`ok${i}-${randomBytes(3).toString('hex')}.wild.alg8.test.`), type: RRType.A });
    latencies.push(performance.now() - t0);
    if (a.outcome.security === 'secure' && a.rcode === Rcode.NOERROR) ok++;
  }
  const { n, secure } = await attack;
  const p50 = quantile(latencies, 0.5);
  const p99 = quantile(latencies, 0.99);
  t.log(`secure names in alg8.test during ${n} hostile NSEC3 queries (4 in flight, ${secure} secure): ` +
    `${latencies.length} answered, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
  t.is(ok, latencies.length);
  t.is(n, 40);
  t.is(secure, 40);
  t.true(p99 < MAX_SECURE_P99_MS, `p99 ${p99} ms`);
});
