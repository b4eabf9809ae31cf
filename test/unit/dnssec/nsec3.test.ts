// nsec3.test.ts — NSEC3 proofs (RFC 5155 §8) over chains hashed by the test model: closest
// encloser + next closer + wildcard (§8.4), NODATA (§8.5), ENT, DS with opt-out (§8.6), wildcard
// NODATA (§8.7) and answers (§8.8); unknown hash algorithms/flags ignored (§8.1–8.2); case-insensitive
// owner labels (hickory #2714); the encloser loop bounded by labels (RUSTSEC-2026-0118); lazy hashing
// of only the names each proof needs, memoised, within the hash budget (CVE-2023-50868).
import test from 'ava';
import { newStats, QueryBudget } from '../../../src/dnssec/budget.js';
import { MAX_NSEC3_HASHES_PER_QUERY } from '../../../src/dnssec/limits.js';
import { Nsec3Hasher } from '../../../src/dnssec/nsec3-hasher.js';
import {
  dsAbsence3Steps, type HashMap, type HashSteps, nodata3Steps, nsec3Records, nxdomain3Steps, proveDsAbsence3, proveNodata3, proveNxdomain3,
  proveWildcard3, wildcard3Steps,
} from '../../../src/dnssec/nsec3.js';
import { Validator } from '../../../src/dnssec/validator.js';
import { RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { groupRRsets } from '../../../src/wire/rrset.js';
import { anchorsFor, MemoryHierarchy, T } from '../../helpers/memory-zones.js';

const NOW = 1_780_000_000;
const n = (s: string): Name => Name.fromText(s);
const world = new MemoryHierarchy([
  { apex: '.' },
  { apex: 'ex.', denial: 'nsec3', nsec3: { iterations: 1, salt: 'beef' }, records: ['a 300 IN A 192.0.2.1', 'x.y.z 300 IN A 192.0.2.2', '*.w 300 IN TXT "w"', 'del 300 IN NS ns.del.ex.', 'sec 300 IN NS ns.sec.ex.', 'sec 300 IN DS 1 13 2 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF'] },
  { apex: 'oo.', denial: 'nsec3', nsec3: { optOut: true }, records: ['a 300 IN A 192.0.2.3', 'unsig 300 IN NS ns.unsig.oo.'] },
], NOW);
const ex = world.zone('ex.');
const recs = nsec3Records(groupRRsets(ex.nsec3.map((x) => x.rr)), ex.apex).recs;
function hashes(...names: string[]): HashMap {
  const m = new Map<string, Uint8Array>();
  for (const s of names) m.set(n(s).key(), ex.hash(n(s)));
  return m;
}
const ALL = (q: string): HashMap => {
  const out: string[] = [];
  for (let x = n(q); x.labelCount() >= 1; x = x.parent()) { out.push(x.toText()); if (x.labelCount() > 1) out.push(`*.${x.parent().toText()}`); }
  return hashes(...out);
};

test('the chain has one NSEC3 per name and per empty non-terminal', (t) => {
  t.is(recs.length, ex.nsec3.length);
  // apex, a, x.y.z, y.z (ENT), z (ENT), *.w, w (ENT), del, sec
  t.is(recs.length, 9);
});

test('NXDOMAIN: closest encloser, next closer covered, wildcard covered', (t) => {
  t.deepEqual(proveNxdomain3(recs, ALL('q.ex.'), n('q.ex.'), ex.apex), { kind: 'secure' });
  t.deepEqual(proveNxdomain3(recs, ALL('q.r.y.z.ex.'), n('q.r.y.z.ex.'), ex.apex), { kind: 'secure' });
  t.is(proveNxdomain3(recs, ALL('a.ex.'), n('a.ex.'), ex.apex).kind, 'fail', 'existing name');
  t.is(proveNxdomain3(recs.slice(0, 1), ALL('q.ex.'), n('q.ex.'), ex.apex).kind, 'fail', 'missing records');
  t.is(proveNxdomain3(recs, hashes('q.ex.', 'ex.'), n('q.ex.'), ex.apex).kind, 'fail', 'no wildcard hash');
});

test('NODATA: matching NSEC3 without the type; ENT; wildcard NODATA', (t) => {
  t.is(proveNodata3(recs, ALL('a.ex.'), n('a.ex.'), T.TXT, ex.apex).kind, 'secure');
  t.is(proveNodata3(recs, ALL('a.ex.'), n('a.ex.'), T.A, ex.apex).kind, 'fail');
  t.is(proveNodata3(recs, ALL('y.z.ex.'), n('y.z.ex.'), T.A, ex.apex).kind, 'secure', 'empty non-terminal');
  t.is(proveNodata3(recs, ALL('q.w.ex.'), n('q.w.ex.'), T.A, ex.apex).kind, 'secure', 'wildcard NODATA');
  t.is(proveNodata3(recs, ALL('q.w.ex.'), n('q.w.ex.'), T.TXT, ex.apex).kind, 'fail');
  t.is(proveNodata3(recs, ALL('del.ex.'), n('del.ex.'), T.A, ex.apex).kind, 'fail', 'delegation NSEC3 proves only DS');
  t.is(proveNodata3(recs, ALL('del.ex.'), n('del.ex.'), T.DS, ex.apex).kind, 'secure');
});

test('DS absence: unsigned delegation, signed one, not a cut, non-existent', (t) => {
  t.is(proveDsAbsence3(recs, ALL('del.ex.'), n('del.ex.'), ex.apex), 'insecure-cut');
  t.is(proveDsAbsence3(recs, ALL('sec.ex.'), n('sec.ex.'), ex.apex), 'unproven');
  t.is(proveDsAbsence3(recs, ALL('a.ex.'), n('a.ex.'), ex.apex), 'not-a-cut');
  t.is(proveDsAbsence3(recs, ALL('nope.ex.'), n('nope.ex.'), ex.apex), 'not-a-cut');
});

test('opt-out: an unsigned delegation in an opt-out span is insecure, never secure', (t) => {
  const oo = world.zone('oo.');
  const r = nsec3Records(groupRRsets(oo.nsec3.map((x) => x.rr)), oo.apex).recs;
  const m = new Map<string, Uint8Array>();
  for (const s of ['unsig.oo.', 'oo.', '*.oo.', 'q.oo.']) m.set(n(s).key(), oo.hash(n(s)));
  t.is(proveDsAbsence3(r, m, n('unsig.oo.'), oo.apex), 'optout');
  t.is(proveNodata3(r, m, n('unsig.oo.'), T.DS, oo.apex).kind, 'optout');
  t.is(proveNxdomain3(r, m, n('q.oo.'), oo.apex).kind, 'optout', 'NXDOMAIN in an opt-out span is only insecure');
});

test('wildcard answer: next closer covered (§8.8)', (t) => {
  t.is(proveWildcard3(recs, ALL('q.w.ex.'), n('q.w.ex.'), 2).kind, 'secure');
  t.is(proveWildcard3(recs, ALL('a.ex.'), n('a.ex.'), 1).kind, 'fail', 'the name exists: not covered');
});

test('§8.1–8.2: unknown hash algorithm and flags ignored; owner case does not matter', (t) => {
  const one = ex.nsec3[0]!.rr;
  const alg2 = new Uint8Array(one.rdata);
  alg2[0] = 2;
  const flags = new Uint8Array(one.rdata);
  flags[1] = 2;
  t.is(nsec3Records(groupRRsets([new RecordValue(one.name, T.NSEC3, 1, 300, alg2)]), ex.apex).recs.length, 0);
  t.is(nsec3Records(groupRRsets([new RecordValue(one.name, T.NSEC3, 1, 300, flags)]), ex.apex).recs.length, 0);
  const upper = Name.fromText(one.name.toText().toUpperCase());
  const lower = Name.fromText(one.name.toText().toLowerCase());
  const a = nsec3Records(groupRRsets([new RecordValue(upper, T.NSEC3, 1, 300, one.rdata)]), ex.apex).recs[0];
  const b = nsec3Records(groupRRsets([new RecordValue(lower, T.NSEC3, 1, 300, one.rdata)]), ex.apex).recs[0];
  t.deepEqual(a?.hash, b?.hash);
  t.truthy(a);
});

test('the encloser loop is bounded by the label count (a 120-label name terminates)', (t) => {
  const deep = Name.fromText(`${'a.'.repeat(120)}ex.`);
  t.is(proveNxdomain3(recs, new Map(), deep, ex.apex).kind, 'fail');
});

/** The names a lazy proof asks for, in order, answered from the full hash set. */
function asked<T>(steps: HashSteps<T>, all: HashMap): string[] {
  const out: string[] = [];
  let r = steps.next();
  while (r.done !== true) { out.push(r.value.toText()); r = steps.next(all.get(r.value.key()) ?? null); }
  return out;
}

test('proofs ask only for the hashes RFC 5155 §8 needs, walking up from qname', (t) => {
  // NXDOMAIN (§8.4): qname up to the closest encloser y.z (an ENT), then *.y.z; nothing above.
  t.deepEqual(asked(nxdomain3Steps(recs, n('q.r.y.z.ex.'), ex.apex), ALL('q.r.y.z.ex.')), ['q.r.y.z.ex.', 'r.y.z.ex.', 'y.z.ex.', '*.y.z.ex.']);
  // Wildcard answer (§8.8): the RRSIG labels field names the encloser: only the next closer name.
  t.deepEqual(asked(wildcard3Steps(recs, n('a.b.c.q.w.ex.'), 2), ALL('a.b.c.q.w.ex.')), ['q.w.ex.']);
  // Wildcard NODATA (§8.7): qname, the walk to w (qname's hash reused), then *.w.
  t.deepEqual([...new Set(asked(nodata3Steps(recs, n('q.w.ex.'), T.A, ex.apex), ALL('q.w.ex.')))], ['q.w.ex.', 'w.ex.', '*.w.ex.']);
  // NODATA at an existing name (§8.5): one hash.
  t.deepEqual(asked(nodata3Steps(recs, n('a.ex.'), T.TXT, ex.apex), ALL('a.ex.')), ['a.ex.']);
  // DS absence at an unsigned delegation (§8.6): one hash.
  t.deepEqual(asked(dsAbsence3Steps(recs, n('del.ex.'), ex.apex), ALL('del.ex.')), ['del.ex.']);
});

test('Nsec3Hasher: memoised per name for the query, stops at the budget', async (t) => {
  const params = nsec3Records(groupRRsets(ex.nsec3.map((x) => x.rr)), ex.apex).params!;
  const stats = newStats();
  const budget = new QueryBudget(stats);
  const h = new Nsec3Hasher(budget, params);
  const first = await h.run(nxdomain3Steps(recs, n('q.r.y.z.ex.'), ex.apex));
  t.deepEqual(first, { ok: true, value: { kind: 'secure' } }, 'the native hashes agree with the zone model');
  t.is(stats.nsec3Hashes, 4);
  // The same proof again: every hash comes from the memo.
  t.deepEqual(await h.run(nxdomain3Steps(recs, n('q.r.y.z.ex.'), ex.apex)), first);
  t.is(stats.nsec3Hashes, 4);
  // Primed tasks skip memoised names.
  t.deepEqual(h.prime([n('r.y.z.ex.'), n('s.ex.'), n('s.ex.')]).map((x) => x.name.toText()), ['s.ex.']);
  const small = new Nsec3Hasher(new QueryBudget(newStats(), 64, 3), params);
  t.deepEqual(await small.run(nxdomain3Steps(recs, n('q.r.y.z.ex.'), ex.apex)), { ok: false, budgetExceeded: true });
});

test('validator: NSEC3 proofs of a 100-label name are secure within the budget; a lower cap makes them bogus (CVE-2023-50868)', async (t) => {
  const v = new Validator({ anchors: anchorsFor(world, NOW) });
  const run = async (q: Name, qtype: number, stats = newStats(), maxNsec3Hashes?: number) =>
    v.validate({ qname: q, qtype, steps: world.steps(q, qtype) }, world.fetcher(), { nowSec: NOW, stats, ...(maxNsec3Hashes === undefined ? {} : { maxNsec3Hashes }) });
  t.is((await run(n('q.ex.'), T.A)).security, 'secure');
  t.is((await run(n('y.z.ex.'), T.A)).security, 'secure');
  t.is((await run(n('a.ex.'), T.TXT)).security, 'secure');
  const deep = Name.fromText(`${'a.'.repeat(100)}ex.`);
  const stats = newStats();
  t.is((await run(deep, T.A, stats)).security, 'secure');
  // 100 names walked up to the closest encloser a.ex. (next closer covered) + *.a.ex.
  t.is(stats.nsec3Hashes, 101);
  const wild = newStats();
  t.is((await run(Name.fromText(`${'a.'.repeat(100)}w.ex.`), T.TXT, wild)).security, 'secure', '100-label wildcard answer');
  t.is(wild.nsec3Hashes, 1, 'a wildcard answer hashes only the next closer name (§8.8)');
  const capped = newStats();
  const o = await run(deep, T.A, capped, 50);
  t.is(o.security, 'bogus');
  if (o.security === 'bogus') { t.is(o.reason.code, 'NSEC3_HASH_BUDGET_EXCEEDED'); t.is(o.reason.ede as number, 6); }
  t.is(capped.nsec3Hashes, 50);
  t.true(stats.nsec3Hashes <= MAX_NSEC3_HASHES_PER_QUERY);
});
