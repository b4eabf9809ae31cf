// rrset-cache.test.ts — RRset cache: TTL decrement and clamps, byte-bound LRU eviction, rank-based
// replacement, security upgrade rules, bogus short TTL, serve-stale window, detached storage.
import test from 'ava';
import { BOGUS_TTL_SEC, MAX_TTL_SEC } from '../../../src/cache/cache-limits.js';
import { Rank } from '../../../src/cache/rank.js';
import { RRsetCache, rrsetSizeBytes } from '../../../src/cache/rrset-cache.js';
import { BOGUS_TTL_SEC as VALIDATOR_BOGUS_TTL_SEC } from '../../../src/dnssec/limits.js';
import { makeReason } from '../../../src/dnssec/outcome.js';
import { RRType } from '../../../src/wire/constants.js';
import { aSet, fakeClock, n, rrsig, set, rr } from './helpers.js';

const A = RRType.A;

test('get returns the remaining TTL, counting down (RFC 1035 §3.2.1); names are case-insensitive', (t) => {
  const clock = fakeClock();
  const c = new RRsetCache({ clock });
  t.is(c.put(aSet('Www.Example.', 300, '192.0.2.1'), { rank: Rank.AnswerAA }), 'stored');
  t.is(c.get(n('www.example.'), A, 1)?.ttlSec, 300);
  clock.advanceSec(100);
  const hit = c.get(n('WWW.EXAMPLE.'), A, 1);
  t.is(hit?.ttlSec, 200);
  t.false(hit?.stale);
  t.is(hit?.entry.originalTtl, 300);
  t.is(hit?.entry.security, 'unchecked');
  clock.advanceSec(200);
  t.is(c.get(n('www.example.'), A, 1), undefined);
  t.is(c.get(n('www.example.'), RRType.AAAA, 1), undefined);
});

test('TTL clamps: max, configured min, zero and out-of-range TTLs are not stored', (t) => {
  const clock = fakeClock();
  const c = new RRsetCache({ clock, limits: { minTtlSec: 60 } });
  c.put(aSet('long.example.', 10 * 86_400, '192.0.2.1'), { rank: Rank.AnswerAA });
  t.is(c.get(n('long.example.'), A, 1)?.ttlSec, MAX_TTL_SEC);
  c.put(aSet('short.example.', 5, '192.0.2.1'), { rank: Rank.AnswerAA });
  t.is(c.get(n('short.example.'), A, 1)?.ttlSec, 60);
  const plain = new RRsetCache({ clock });
  t.is(plain.put(aSet('zero.example.', 0, '192.0.2.1'), { rank: Rank.AnswerAA }), 'zero-ttl');
  // RFC 2181 §8: a TTL with the most significant bit set is treated as zero.
  t.is(plain.put(aSet('neg.example.', 0x80000000, '192.0.2.1'), { rank: Rank.AnswerAA }), 'zero-ttl');
  t.is(plain.size, 0);
});

test('byte bound evicts the least recently used RRset first', (t) => {
  const clock = fakeClock();
  const one = rrsetSizeBytes(aSet('a.example.', 300, '192.0.2.1'));
  const c = new RRsetCache({ clock, maxBytes: one * 3 });
  for (const l of ['a', 'b', 'c']) t.is(c.put(aSet(`${l}.example.`, 300, '192.0.2.1'), { rank: Rank.AnswerAA }), 'stored');
  t.is(c.bytes, one * 3);
  t.truthy(c.get(n('a.example.'), A, 1)); // a is now most recently used; b is the oldest
  c.put(aSet('d.example.', 300, '192.0.2.1'), { rank: Rank.AnswerAA });
  t.is(c.get(n('b.example.'), A, 1), undefined);
  for (const l of ['a', 'c', 'd']) t.truthy(c.get(n(`${l}.example.`), A, 1), l);
  t.true(c.bytes <= one * 3);
  const tiny = new RRsetCache({ clock, maxBytes: 10 });
  t.is(tiny.put(aSet('a.example.', 300, '192.0.2.1'), { rank: Rank.AnswerAA }), 'too-big');
});

test('stronger data is not replaced by weaker data until it expires', (t) => {
  const clock = fakeClock();
  const c = new RRsetCache({ clock });
  c.put(aSet('ns.example.', 300, '192.0.2.1'), { rank: Rank.AnswerAA });
  t.is(c.put(aSet('ns.example.', 900, '198.51.100.9'), { rank: Rank.AdditionalAA }), 'kept-existing');
  t.is(c.get(n('ns.example.'), A, 1)?.entry.rrset.records[0]?.decode().type, 'A');
  t.is(c.peek(n('ns.example.'), A, 1)?.rank, Rank.AnswerAA);
  t.is(c.put(aSet('ns.example.', 600, '192.0.2.2'), { rank: Rank.AnswerAA }), 'stored'); // equal rank replaces
  t.is(c.get(n('ns.example.'), A, 1)?.ttlSec, 600);
  clock.advanceSec(600);
  t.is(c.put(aSet('ns.example.', 900, '198.51.100.9'), { rank: Rank.AdditionalNoAA }), 'stored');
  t.is(c.peek(n('ns.example.'), A, 1)?.rank, Rank.AdditionalNoAA);
});

test('updateSecurity upgrades matching data only, and never downgrades secure', (t) => {
  const clock = fakeClock();
  const c = new RRsetCache({ clock });
  const s = aSet('www.example.', 300, '192.0.2.1');
  t.is(c.updateSecurity(s, 'secure'), 'absent');
  c.put(s, { rank: Rank.AnswerAA });
  t.is(c.updateSecurity(aSet('www.example.', 300, '192.0.2.66'), 'secure'), 'different-data');
  const signed = set(...s.records, rrsig('www.example.', 300, A, 'example.'));
  t.is(c.updateSecurity(signed, 'secure'), 'updated');
  const e = c.peek(n('www.example.'), A, 1);
  t.is(e?.security, 'secure');
  t.is(e?.rank, Rank.Validated);
  t.is(e?.rrset.rrsigs.length, 1, 'the validated RRSIGs are kept');
  t.is(c.updateSecurity(s, 'bogus'), 'not-upgrade');
  t.is(c.updateSecurity(s, 'secure'), 'not-upgrade');
  t.is(c.put(aSet('www.example.', 300, '203.0.113.5'), { rank: Rank.AnswerAA }), 'kept-existing');
  t.is(c.get(n('www.example.'), A, 1)?.entry.security, 'secure');
});

test('updateSecurity: unchecked → insecure → secure moves up; maxTtlSec shortens the lifetime', (t) => {
  const clock = fakeClock();
  const c = new RRsetCache({ clock });
  const s = aSet('mx.example.', 3600, '192.0.2.1');
  c.put(s, { rank: Rank.AnswerAA });
  t.is(c.updateSecurity(s, 'insecure'), 'updated');
  t.is(c.updateSecurity(s, 'indeterminate'), 'not-upgrade');
  t.is(c.updateSecurity(s, 'secure', { maxTtlSec: 120 }), 'updated');
  t.is(c.get(n('mx.example.'), A, 1)?.ttlSec, 120);
  t.is(c.peek(n('mx.example.'), A, 1)?.originalTtl, 3600);
});

test('bogus data gets the short bogus TTL, whether stored bogus or marked bogus later', (t) => {
  const clock = fakeClock();
  const c = new RRsetCache({ clock, limits: { serveStale: true } });
  const reason = makeReason('SIGNATURE_INVALID', 'example.');
  c.put(aSet('bad.example.', 3600, '192.0.2.1'), { rank: Rank.AnswerAA, security: 'bogus', reason });
  t.is(c.get(n('bad.example.'), A, 1)?.ttlSec, 60);
  t.is(c.peek(n('bad.example.'), A, 1)?.reason?.code, 'SIGNATURE_INVALID');
  const later = aSet('later.example.', 3600, '192.0.2.2');
  c.put(later, { rank: Rank.AnswerAA });
  clock.advanceSec(100);
  t.is(c.updateSecurity(later, 'bogus'), 'updated');
  t.is(c.get(n('later.example.'), A, 1)?.ttlSec, 60);
  clock.advanceSec(61);
  t.is(c.get(n('later.example.'), A, 1), undefined);
  t.is(c.get(n('later.example.'), A, 1, { stale: true }), undefined, 'bogus data is never served stale');
  // Good data replaces bogus data at once.
  t.is(c.put(aSet('bad.example.', 300, '192.0.2.9'), { rank: Rank.AnswerNoAA }), 'stored');
});

test('serve-stale: expired data only on request, TTL 30 s, within the max-stale window (RFC 8767)', (t) => {
  const clock = fakeClock();
  const c = new RRsetCache({ clock, limits: { serveStale: true, maxStaleSec: 3600 } });
  c.put(aSet('old.example.', 300, '192.0.2.1'), { rank: Rank.AnswerAA });
  clock.advanceSec(300);
  t.is(c.get(n('old.example.'), A, 1), undefined);
  const s = c.get(n('old.example.'), A, 1, { stale: true });
  t.true(s?.stale);
  t.is(s?.ttlSec, 30);
  clock.advanceSec(3599);
  t.true(c.get(n('old.example.'), A, 1, { stale: true })?.stale);
  clock.advanceSec(1);
  t.is(c.get(n('old.example.'), A, 1, { stale: true }), undefined);
  t.is(c.size, 0);
  const off = new RRsetCache({ clock });
  off.put(aSet('old.example.', 300, '192.0.2.1'), { rank: Rank.AnswerAA });
  clock.advanceSec(301);
  t.is(off.get(n('old.example.'), A, 1, { stale: true }), undefined, 'serve-stale is off by default');
});

test('cached records are detached copies of the input', (t) => {
  const clock = fakeClock();
  const c = new RRsetCache({ clock });
  const rec = rr('copy.example.', 300, { type: 'A', address: '192.0.2.1' });
  c.put(set(rec), { rank: Rank.AnswerAA });
  rec.rdata.fill(0);
  const got = c.get(n('copy.example.'), A, 1)?.entry.rrset.records[0]?.decode();
  t.deepEqual(got, { type: 'A', address: '192.0.2.1' });
});

test('the cache restates the validator\'s bogus TTL (cache/ may not import dnssec/ values): they agree', (t) => {
  t.is(BOGUS_TTL_SEC, VALIDATOR_BOGUS_TTL_SEC);
});
