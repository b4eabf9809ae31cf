// aggressive.test.ts — RFC 8198 synthesis from cached secure NSEC (src/dnssec/aggressive.ts) over a
// hand-built NSEC chain in a real NsecStore: covering, wrap-around, empty non-terminal, wildcard
// covered vs existing, DNAME and delegation above qname, expiry; and end to end: a validated
// NXDOMAIN's NSECs (storableNsecs) answer another name; validated outcomes carry ttlCapSec.
import test from 'ava';
import { storableNsecs, synthesizeFromCache } from '../../../src/dnssec/aggressive.js';
import { TrustAnchorStore } from '../../../src/dnssec/trust-anchors.js';
import { Validator } from '../../../src/dnssec/validator.js';
import { NsecStore } from '../../../src/cache/nsec-store.js';
import { RRType } from '../../../src/wire/constants.js';
import type { RRset } from '../../../src/wire/rrset.js';
import { anchorsFor, MemoryHierarchy, T } from '../../helpers/memory-zones.js';
import { fakeClock, n, rr, set } from '../cache/helpers.js';

const NOW = 1_700_000_000;
const SIG_EXPIRES = NOW + 86_400;
const { A, NS, SOA, MX, TXT, AAAA, DNAME, DS, RRSIG, NSEC, DNSKEY } = RRType;

function nsec(owner: string, next: string, types: number[], ttl = 600): RRset {
  return set(
    rr(owner, ttl, { type: 'NSEC', next: n(next), types: [...types, RRSIG, NSEC] }),
    rr(owner, ttl, {
      type: 'RRSIG', typeCovered: NSEC, algorithm: 13, labels: n(owner).labelCount(true), originalTtl: ttl,
      expiration: SIG_EXPIRES, inception: NOW - 3600, keyTag: 1, signerName: n('example.'), signature: new Uint8Array(64).fill(1),
    }),
  );
}

// Canonical order (RFC 4034 §6.1): c.example. and w.example. are empty non-terminals.
const CHAIN: Array<[string, string, number[]]> = [
  ['example.', 'a.example.', [SOA, NS, DNSKEY]],
  ['a.example.', 'b.c.example.', [A]],
  ['b.c.example.', 'dn.example.', [A]],
  ['dn.example.', 'mail.example.', [DNAME]],
  ['mail.example.', 'sub.example.', [A, MX]],
  ['sub.example.', '*.w.example.', [NS]],
  ['*.w.example.', 'x.w.example.', [TXT]],
  ['x.w.example.', 'example.', [A]], // last NSEC wraps to the apex
];

function world(skip: string[] = []): { store: NsecStore; clock: ReturnType<typeof fakeClock> } {
  const clock = fakeClock(NOW);
  const store = new NsecStore({ clock });
  for (const [o, nx, types] of CHAIN) if (!skip.includes(o)) t_is(store.add(n('example.'), nsec(o, nx, types), 'secure'), 'stored');
  return { store, clock };
}
function t_is(a: string, b: string): void { if (a !== b) throw new Error(`${a} !== ${b}`); }

const syn = (store: NsecStore, q: string, type: number, now = NOW) => synthesizeFromCache(store, n('example.'), n(q), type, now);
const owners = (r: { proofs: readonly RRset[] } | null): string[] => (r?.proofs ?? []).map((s) => s.name.toText());

test('NXDOMAIN: qname and *.closest-encloser covered, two NSECs, secure with a TTL cap', (t) => {
  const { store } = world();
  const r = syn(store, 'nope.example.', A);
  t.is(r?.kind, 'nxdomain');
  t.deepEqual(owners(r), ['mail.example.', 'example.']);
  t.is(r?.outcome.security, 'secure');
  t.is(r?.outcome.signer, 'example.');
  t.is(r?.ttlSec, 600);
  t.is(r?.outcome.ttlCapSec, 600);
});

test('NXDOMAIN through the wrap-around NSEC (last owner → apex)', (t) => {
  const { store } = world();
  const r = syn(store, 'zzz.example.', AAAA);
  t.is(r?.kind, 'nxdomain');
  t.deepEqual(owners(r), ['x.w.example.', 'example.']);
  // Below an existing name the closest encloser is that name: *.mail.example. is covered by mail's NSEC.
  const deep = syn(store, 'q.mail.example.', A);
  t.is(deep?.kind, 'nxdomain');
  t.deepEqual(owners(deep), ['mail.example.']);
});

test('NODATA at an existing name; nothing for a type that exists', (t) => {
  const { store } = world();
  const r = syn(store, 'mail.example.', AAAA);
  t.is(r?.kind, 'nodata');
  t.deepEqual(owners(r), ['mail.example.']);
  t.is(syn(store, 'mail.example.', MX), null);
  t.is(syn(store, 'MAIL.Example.', A), null, 'case-insensitive match');
  t.is(syn(store, 'mail.example.', DS)?.kind, 'nodata', 'DS denied by the parent-side NSEC of a non-delegation');
});

test('empty non-terminals are NODATA for every type, never NXDOMAIN', (t) => {
  const { store } = world();
  for (const q of ['c.example.', 'w.example.']) {
    const r = syn(store, q, A);
    t.is(r?.kind, 'nodata', q);
    t.is(r?.proofs.length, 1);
  }
});

test('wildcard: existing *.w answers data (no synthesis), NODATA for absent types; covered wildcard gives NXDOMAIN', (t) => {
  const { store } = world();
  t.is(syn(store, 'foo.w.example.', TXT), null, 'the wildcard has TXT: a positive answer is not ours to make');
  const r = syn(store, 'foo.w.example.', A);
  t.is(r?.kind, 'nodata');
  t.deepEqual(owners(r), ['*.w.example.']);
  t.is(syn(store, 'foo.w.example.', DS), null);
  t.is(syn(store, 'nope.example.', A)?.kind, 'nxdomain', '*.example. is covered');
});

test('a DNAME or a delegation at an ancestor disables synthesis below it (PowerDNS #17137)', (t) => {
  const { store } = world();
  t.is(syn(store, 'x.dn.example.', A), null);
  t.is(syn(store, 'a.b.dn.example.', A), null);
  t.is(syn(store, 'dn.example.', A)?.kind, 'nodata', 'the DNAME owner itself has no A');
  t.is(syn(store, 'www.sub.example.', A), null);
  t.is(syn(store, 'sub.example.', A), null, 'parent-side NSEC at a cut proves nothing but DS');
  t.is(syn(store, 'sub.example.', DS)?.kind, 'nodata', 'unsigned delegation: no DS');
  t.is(syn(store, 'example.', DS), null, 'the DS of the apex lives in the parent');
});

test('missing pieces of the chain mean no answer (go upstream)', (t) => {
  const { store } = world(['example.']);
  t.is(syn(store, 'nope.example.', A), null, 'the wildcard *.example. cannot be proven absent');
  t.is(syn(store, 'a.example.', MX)?.kind, 'nodata');
  const empty = new NsecStore({ clock: fakeClock(NOW) });
  t.is(syn(empty, 'nope.example.', A), null);
  t.is(synthesizeFromCache(store, n('example.'), n('other.org.'), A, NOW), null, 'out of zone');
});

test('expired cache entries and expired RRSIGs are not used; the TTL shrinks with time', (t) => {
  const { store, clock } = world();
  clock.advanceSec(200);
  t.is(syn(store, 'nope.example.', A, NOW + 200)?.ttlSec, 400);
  t.is(syn(store, 'nope.example.', A, SIG_EXPIRES + 1), null, 'RRSIG expired (RFC 4035 §5.3.3)');
  clock.advanceSec(600);
  t.is(syn(store, 'nope.example.', A, NOW + 800), null);
});

test('end to end: a validated NSEC NXDOMAIN feeds the store and answers another name; ttlCapSec is set', async (t) => {
  const now = 1_780_000_000;
  const h = new MemoryHierarchy([
    { apex: '.', records: [] }, { apex: 'test.', records: [] },
    { apex: 'good.test.', records: ['www 300 IN A 192.0.2.2', 'mail 300 IN MX 10 www'] },
    { apex: 'n3.test.', denial: 'nsec3', records: ['www 300 IN A 192.0.2.3'] },
  ], now);
  const anchors: TrustAnchorStore = anchorsFor(h, now);
  const v = new Validator({ anchors });
  const run = async (q: string, type: number) => {
    const steps = h.steps(n(q), type);
    return { steps, outcome: await v.validate({ qname: n(q), qtype: type, steps }, h.fetcher(), { nowSec: now }) };
  };
  const nx = await run('nx.good.test.', T.A);
  t.is(nx.outcome.security, 'secure');
  t.true(nx.outcome.security === 'secure' && nx.outcome.ttlCapSec !== undefined && nx.outcome.ttlCapSec <= 300 && nx.outcome.ttlCapSec > 0);
  const toStore = storableNsecs(nx.steps, nx.outcome);
  t.true(toStore.length >= 1);
  const store = new NsecStore({ clock: fakeClock(now) });
  for (const s of toStore) store.add(s.zone, s.rrset, 'secure', s.maxTtlSec === undefined ? {} : { maxTtlSec: s.maxTtlSec });
  // nx.good.test's NSECs span mail..www; "ny" sits in the same span, "*.good.test." is covered.
  const r = synthesizeFromCache(store, n('good.test.'), n('ny.good.test.'), T.A, now);
  t.is(r?.kind, 'nxdomain');
  const pos = await run('www.good.test.', T.A);
  t.true(pos.outcome.security === 'secure' && typeof pos.outcome.ttlCapSec === 'number');
  t.deepEqual(storableNsecs(pos.steps, pos.outcome), [], 'no NSEC from a plain positive answer');
  const n3 = await run('nx.n3.test.', T.A);
  t.is(n3.outcome.security, 'secure');
  t.deepEqual(storableNsecs(n3.steps, n3.outcome), [], 'NSEC3 is not used aggressively');
});
