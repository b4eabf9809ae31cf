// nsec-store.test.ts — the RFC 8198 data store: NSEC match/cover lookups in canonical order incl.
// the wrap-around at the zone's last NSEC, gaps, NSEC3 hash-order lookups with wrap-around and
// parameter sets, secure-only storage, expiry, byte bound, replacement and malformed input.
import test from 'ava';
import { NsecStore, type Nsec3Params, canonicalKey } from '../../../src/cache/nsec-store.js';
import { compareBytes } from '../../../src/util/bytes.js';
import { toBase32Hex } from '../../../src/util/bytes.js';
import { RRType } from '../../../src/wire/constants.js';
import { aSet, fakeClock, n, nsecSet, rr, rrsig, set } from './helpers.js';

const Z = n('example.');

function chain(store: NsecStore, links: Array<[string, string]>): void {
  for (const [owner, next] of links) store.add(Z, nsecSet(owner, next), 'secure');
}

test('NSEC: exact owner matches, names between owner and next are covered', (t) => {
  const s = new NsecStore({ clock: fakeClock() });
  chain(s, [['c.example.', 'example.'], ['example.', 'a.example.'], ['a.example.', 'c.example.']]);
  t.is(s.size, 3);
  const m = s.findNsec(Z, 1, n('A.example.'));
  t.is(m?.relation, 'match');
  t.true(m?.entry.owner.equals(n('a.example.')));
  t.deepEqual(m?.entry.types, [RRType.A, RRType.RRSIG, RRType.NSEC]);
  t.is(m?.entry.rrset.rrsigs.length, 1);
  t.is(s.findNsec(Z, 1, n('example.'))?.relation, 'match');
  const b = s.findNsec(Z, 1, n('b.example.'));
  t.is(b?.relation, 'covers');
  t.true(b?.entry.owner.equals(n('a.example.')));
  // Canonical order puts b.a.example. after a.example. and before c.example. (RFC 4034 §6.1).
  t.true(s.findNsec(Z, 1, n('b.a.example.'))?.entry.owner.equals(n('a.example.')));
  t.is(s.findNsec(Z, 1, n('0.example.'))?.relation, 'covers');
  t.true(s.findNsec(Z, 1, n('0.example.'))?.entry.owner.equals(n('example.')));
});

test('NSEC: the last NSEC (next = apex) covers every name after its owner', (t) => {
  const s = new NsecStore({ clock: fakeClock() });
  chain(s, [['m.example.', 'example.']]);
  for (const name of ['x.example.', 'zzz.example.', 'a.z.example.', 'n.m.example.']) {
    const hit = s.findNsec(Z, 1, n(name));
    t.is(hit?.relation, 'covers', name);
  }
  t.is(s.findNsec(Z, 1, n('b.example.')), undefined, 'before the owner: not covered by the last NSEC');
  t.is(s.findNsec(Z, 1, n('x.other.')), undefined, 'outside the zone');
  t.is(s.findNsec(n('other.'), 1, n('x.other.')), undefined, 'another zone');
  t.is(s.findNsec(Z, 3, n('x.example.')), undefined, 'another class');
});

test('NSEC: a gap in the cached chain gives no answer rather than a wrong one', (t) => {
  const s = new NsecStore({ clock: fakeClock() });
  chain(s, [['b.example.', 'd.example.'], ['k.example.', 'm.example.']]);
  t.is(s.findNsec(Z, 1, n('c.example.'))?.relation, 'covers');
  t.is(s.findNsec(Z, 1, n('f.example.')), undefined);
  t.is(s.findNsec(Z, 1, n('a.example.')), undefined);
  t.is(s.findNsec(Z, 1, n('z.example.')), undefined);
  t.is(s.findNsec(Z, 1, n('l.example.'))?.relation, 'covers');
});

test('only secure records are stored and returned', (t) => {
  const s = new NsecStore({ clock: fakeClock() });
  for (const sec of ['unchecked', 'insecure', 'bogus', 'indeterminate'] as const) {
    t.is(s.add(Z, nsecSet('a.example.', 'c.example.'), sec), 'not-secure', sec);
  }
  t.is(s.findNsec(Z, 1, n('b.example.')), undefined);
  t.is(s.size, 0);
});

test('records expire with their TTL (optionally capped) and leave the chain', (t) => {
  const clock = fakeClock();
  const s = new NsecStore({ clock });
  s.add(Z, nsecSet('a.example.', 'c.example.', 300), 'secure');
  s.add(Z, nsecSet('c.example.', 'e.example.', 3600), 'secure', { maxTtlSec: 60 });
  t.is(s.findNsec(Z, 1, n('b.example.'))?.ttlSec, 300);
  t.is(s.findNsec(Z, 1, n('d.example.'))?.ttlSec, 60);
  clock.advanceSec(60);
  t.is(s.findNsec(Z, 1, n('d.example.')), undefined);
  t.is(s.findNsec(Z, 1, n('b.example.'))?.ttlSec, 240);
  clock.advanceSec(240);
  t.is(s.findNsec(Z, 1, n('b.example.')), undefined);
  t.is(s.size, 0);
  t.is(s.add(Z, nsecSet('a.example.', 'c.example.', 0), 'secure'), 'zero-ttl');
});

test('byte bound evicts least recently used records; replacing an owner keeps one record', (t) => {
  const clock = fakeClock();
  const probe = new NsecStore({ clock });
  probe.add(Z, nsecSet('a.example.', 'b.example.'), 'secure');
  const s = new NsecStore({ clock, maxBytes: probe.bytes * 2 + 10 });
  chain(s, [['a.example.', 'b.example.'], ['c.example.', 'd.example.']]);
  t.truthy(s.findNsec(Z, 1, n('aa.example.'))); // touch a; c is now the oldest
  chain(s, [['e.example.', 'f.example.']]);
  t.is(s.size, 2);
  t.is(s.findNsec(Z, 1, n('cc.example.')), undefined);
  t.truthy(s.findNsec(Z, 1, n('ee.example.')));
  chain(s, [['e.example.', 'g.example.']]);
  t.is(s.size, 2);
  t.truthy(s.findNsec(Z, 1, n('f1.example.')), 'the replacement spans further');
});

test('malformed or misplaced records are refused', (t) => {
  const s = new NsecStore({ clock: fakeClock() });
  t.is(s.add(Z, nsecSet('a.other.', 'c.other.'), 'secure'), 'out-of-zone');
  t.is(s.add(Z, nsecSet('a.example.', 'c.other.'), 'secure'), 'malformed');
  t.is(s.add(Z, aSet('a.example.', 300, '192.0.2.1'), 'secure'), 'malformed');
  t.is(s.add(Z, nsec3Set('not-base32!', h(2)), 'secure'), 'malformed');
  t.is(s.add(Z, nsec3Set(`x.${toBase32Hex(h(1))}`, h(2)), 'secure'), 'malformed');
  t.is(s.size, 0);
});

// --- NSEC3 ---

const P: Nsec3Params = { hashAlgorithm: 1, iterations: 0, salt: new Uint8Array(0) };

/** A 20-byte hash whose first byte is `b` (sorts by b). */
function h(b: number): Uint8Array {
  return new Uint8Array(20).fill(0x11).map((x, i) => (i === 0 ? b : x));
}

function nsec3Set(label: string, next: Uint8Array, params = P, flags = 0) {
  const owner = `${label}.example.`;
  return set(
    rr(owner, 300, { type: 'NSEC3', hashAlgorithm: params.hashAlgorithm, flags, iterations: params.iterations, salt: params.salt, nextHashed: next, types: [RRType.A] }),
    rrsig(owner, 300, RRType.NSEC3, 'example.'),
  );
}

function add3(s: NsecStore, owner: number, next: number, params = P, flags = 0): string {
  return s.add(Z, nsec3Set(toBase32Hex(h(owner)), h(next), params, flags), 'secure');
}

test('NSEC3: hash matches and covers, with wrap-around at the last hash', (t) => {
  const s = new NsecStore({ clock: fakeClock() });
  t.is(add3(s, 0x20, 0x40), 'stored');
  t.is(add3(s, 0x40, 0x80, P, 1), 'stored');
  t.is(add3(s, 0x80, 0x20), 'stored');
  const m = s.findNsec3(Z, 1, P, h(0x40));
  t.is(m?.relation, 'match');
  t.true(m?.entry.optOut);
  t.is(s.findNsec3(Z, 1, P, h(0x30))?.relation, 'covers');
  t.deepEqual(s.findNsec3(Z, 1, P, h(0x30))?.entry.hash, h(0x20));
  t.deepEqual(s.findNsec3(Z, 1, P, h(0x90))?.entry.hash, h(0x80), 'after the last hash: wraps');
  t.deepEqual(s.findNsec3(Z, 1, P, h(0x05))?.entry.hash, h(0x80), 'before the first hash: wraps');
  t.false(s.findNsec3(Z, 1, P, h(0x30))?.entry.optOut);
});

test('NSEC3: parameter sets are separate chains; gaps give no answer', (t) => {
  const s = new NsecStore({ clock: fakeClock() });
  const other: Nsec3Params = { hashAlgorithm: 1, iterations: 5, salt: Uint8Array.of(0xab, 0xcd) };
  add3(s, 0x20, 0x40);
  add3(s, 0x60, 0x70, other);
  t.is(s.findNsec3(Z, 1, other, h(0x30)), undefined);
  t.is(s.findNsec3(Z, 1, other, h(0x65))?.relation, 'covers');
  t.is(s.findNsec3(Z, 1, P, h(0x50)), undefined, 'between chains of cached records');
  t.is(s.findNsec3(Z, 1, P, h(0x10)), undefined);
  const params = s.nsec3Params(Z, 1);
  t.is(params.length, 2);
  t.true(params.some((p) => p.iterations === 5 && p.salt.length === 2));
  t.deepEqual(s.nsec3Params(n('other.'), 1), []);
});

test('canonicalKey byte order equals Name.compare (RFC 4034 §6.1), case-insensitively', (t) => {
  const names = ['example.', 'a.example.', 'yljkjljk.a.example.', 'Z.a.example.', 'zABC.a.EXAMPLE.', 'z.example.',
    '\\001.z.example.', '*.z.example.', '\\200.z.example.', 'a\\000.example.', 'a\\000b.example.', 'ab.example.', 'b.', '.'].map(n);
  for (const a of names) {
    for (const b of names) {
      t.is(Math.sign(compareBytes(canonicalKey(a), canonicalKey(b))), Math.sign(a.compare(b)), `${a.toText()} vs ${b.toText()}`);
    }
  }
  t.deepEqual(canonicalKey(n('A.Example.')), canonicalKey(n('a.example.')));
});
