// negative.test.ts — RFC 2308 negative caching: TTL = min(SOA TTL, MINIMUM) bounded by the proofs and
// clamped, NXDOMAIN for all types vs NODATA per type, RFC 8020 NXDOMAIN cut, bogus TTL, serve-stale.
import test from 'ava';
import { DEFAULT_CACHE_LIMITS, cacheLimits } from '../../../src/cache/cache-limits.js';
import { NegativeCache, negativeTtlSec, soaMinimum } from '../../../src/cache/negative.js';
import { RRType } from '../../../src/wire/constants.js';
import { aSet, fakeClock, n, nsecSet, soaSet } from './helpers.js';

const L = DEFAULT_CACHE_LIMITS;

test('negative TTL is min(SOA TTL, SOA MINIMUM), bounded by proofs, clamped (RFC 2308 §5)', (t) => {
  t.is(soaMinimum(soaSet('example.', 3600, 300)), 300);
  t.is(negativeTtlSec(soaSet('example.', 3600, 300), [], L), 300);
  t.is(negativeTtlSec(soaSet('example.', 100, 900), [], L), 100);
  t.is(negativeTtlSec(soaSet('example.', 3600, 900), [nsecSet('a.example.', 'c.example.', 200)], L), 200);
  t.is(negativeTtlSec(soaSet('example.', 86_400, 86_400), [], L), 3600, 'capped at the negative max of 1 h');
  t.is(negativeTtlSec(soaSet('example.', 86_400, 86_400), [], cacheLimits({ negativeMaxTtlSec: 10_800 })), 10_800);
  t.is(negativeTtlSec(soaSet('example.', 5, 5), [], cacheLimits({ negativeMinTtlSec: 30 })), 30);
  t.is(negativeTtlSec(aSet('example.', 300, '192.0.2.1'), [], L), null, 'no SOA, no negative caching');
});

test('NXDOMAIN answers every type of the name; NODATA only its own type', (t) => {
  const clock = fakeClock();
  const c = new NegativeCache({ clock });
  const soa = soaSet('example.', 3600, 600);
  t.is(c.put({ kind: 'nxdomain', name: n('gone.example.'), type: RRType.A, class: 1, soa, proofs: [] }), 'stored');
  t.is(c.put({ kind: 'nodata', name: n('www.example.'), type: RRType.AAAA, class: 1, soa, proofs: [] }), 'stored');
  t.is(c.get(n('GONE.example.'), RRType.MX, 1)?.entry.kind, 'nxdomain');
  t.is(c.get(n('gone.example.'), RRType.A, 1)?.ttlSec, 600);
  t.is(c.get(n('www.example.'), RRType.AAAA, 1)?.entry.kind, 'nodata');
  t.is(c.get(n('www.example.'), RRType.A, 1), undefined);
  t.is(c.get(n('www.example.'), RRType.AAAA, 3), undefined, 'class is part of the key');
  clock.advanceSec(599);
  t.is(c.get(n('gone.example.'), RRType.A, 1)?.ttlSec, 1);
  clock.advanceSec(1);
  t.is(c.get(n('gone.example.'), RRType.A, 1), undefined);
  t.is(c.put({ kind: 'nodata', name: n('x.example.'), type: 1, class: 1, soa: aSet('example.', 60, '192.0.2.1'), proofs: [] }), 'no-soa');
});

test('the SOA and proofs are cached with the entry', (t) => {
  const clock = fakeClock();
  const c = new NegativeCache({ clock });
  const proof = nsecSet('a.example.', 'c.example.');
  c.put({ kind: 'nxdomain', name: n('b.example.'), type: 1, class: 1, soa: soaSet('example.', 3600, 600), proofs: [proof], security: 'secure' });
  const e = c.get(n('b.example.'), 1, 1)?.entry;
  t.is(e?.soa.type, RRType.SOA);
  t.is(e?.proofs.length, 1);
  t.is(e?.proofs[0]?.rrsigs.length, 1);
  t.is(e?.security, 'secure');
});

test('RFC 8020 cut: a validated NXDOMAIN for X answers every name below X', (t) => {
  const clock = fakeClock();
  const c = new NegativeCache({ clock });
  const soa = soaSet('example.', 3600, 600);
  c.put({ kind: 'nxdomain', name: n('gone.example.'), type: 1, class: 1, soa, proofs: [], security: 'secure' });
  c.put({ kind: 'nxdomain', name: n('maybe.example.'), type: 1, class: 1, soa, proofs: [], security: 'insecure' });
  const hit = c.nxdomainCut(n('a.b.GONE.example.'), 1);
  t.true(hit?.cut.equals(n('gone.example.')));
  t.is(hit?.entry.kind, 'nxdomain');
  t.truthy(c.nxdomainCut(n('gone.example.'), 1), 'the name itself');
  t.is(c.nxdomainCut(n('x.maybe.example.'), 1), undefined, 'only validated NXDOMAINs cut');
  t.is(c.nxdomainCut(n('other.example.'), 1), undefined);
  t.is(c.nxdomainCut(n('example.'), 1), undefined, 'an NXDOMAIN below does not cut its parent');
  t.is(c.nxdomainCut(n('a.gone.example.'), 3), undefined);
  clock.advanceSec(600);
  t.is(c.nxdomainCut(n('a.gone.example.'), 1), undefined, 'expired entries do not cut');
});

test('bogus negatives live 60 s; secure ones are not replaced by unchecked ones', (t) => {
  const clock = fakeClock();
  const c = new NegativeCache({ clock });
  const soa = soaSet('example.', 3600, 600);
  c.put({ kind: 'nxdomain', name: n('bad.example.'), type: 1, class: 1, soa, proofs: [], security: 'bogus' });
  t.is(c.get(n('bad.example.'), 1, 1)?.ttlSec, 60);
  c.put({ kind: 'nxdomain', name: n('ok.example.'), type: 1, class: 1, soa, proofs: [], security: 'secure' });
  t.is(c.put({ kind: 'nxdomain', name: n('ok.example.'), type: 1, class: 1, soa, proofs: [] }), 'kept-existing');
  t.is(c.put({ kind: 'nxdomain', name: n('bad.example.'), type: 1, class: 1, soa, proofs: [], security: 'insecure' }), 'stored');
  t.is(c.get(n('bad.example.'), 1, 1)?.ttlSec, 600);
});

test('serve-stale negatives: only on request, TTL 30 s, within the window', (t) => {
  const clock = fakeClock();
  const c = new NegativeCache({ clock, limits: { serveStale: true, maxStaleSec: 1000 } });
  c.put({ kind: 'nodata', name: n('www.example.'), type: RRType.MX, class: 1, soa: soaSet('example.', 300, 300), proofs: [] });
  clock.advanceSec(300);
  t.is(c.get(n('www.example.'), RRType.MX, 1), undefined);
  const s = c.get(n('www.example.'), RRType.MX, 1, { stale: true });
  t.true(s?.stale);
  t.is(s?.ttlSec, 30);
  clock.advanceSec(1000);
  t.is(c.get(n('www.example.'), RRType.MX, 1, { stale: true }), undefined);
});
