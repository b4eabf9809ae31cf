// tlsa.test.ts — address and TLSA lookups over canned values: weakest-of A/AAAA security, CNAME
// expansion, the TLSA base domain rule (RFC 7672 §2.2.3: expanded first only when secure, then
// the original), and downgrade resistance (RFC 7672 §2.1.1): SERVFAIL/bogus TLSA stops the search.
import test from 'ava';
import { MALFORMED_TLSA_USAGE, addressesFromLookups, chooseTlsa, resolveTlsa, tlsaCandidates, tlsaFromLookup, tlsaName } from '../../../src/apps/tlsa.js';
import { Rcode } from '../../../src/wire/constants.js';
import { RecordValue } from '../../../src/wire/message.js';
import { BOGUS, INDETERMINATE, INSECURE, SECURE, SERVFAIL, TableSource, lookup, n, rr } from './helpers.js';

const A = (o: string, address: string) => rr(o, { type: 'A', address });
const CNAME = (o: string, target: string) => rr(o, { type: 'CNAME', target: n(target) });
const TLSA = (o: string, usage = 3) => rr(o, { type: 'TLSA', usage, selector: 1, matchingType: 1, data: new Uint8Array(32).fill(7) });

test('tlsaName is _port._tcp.base', (t) => {
  t.is(tlsaName(n('mx.test'), 25).toText(), '_25._tcp.mx.test.');
});

test('addresses: both families, security is the weaker of A and AAAA', (t) => {
  const aaaa = rr('mx.test', { type: 'AAAA', address: '2001:db8::1' });
  const r = addressesFromLookups(n('mx.test'), lookup(SECURE, [A('mx.test', '192.0.2.1')]), lookup(SECURE, [aaaa]));
  t.deepEqual(r.value.addresses, [{ address: '192.0.2.1', family: 4 }, { address: '2001:db8::1', family: 6 }]);
  t.is(r.outcome.security, 'secure');
  t.is(addressesFromLookups(n('mx.test'), lookup(SECURE, [A('mx.test', '192.0.2.1')]), lookup(INSECURE)).outcome.security, 'insecure');
  t.is(addressesFromLookups(n('mx.test'), lookup(SECURE, [A('mx.test', '192.0.2.1')]), SERVFAIL()).outcome.security, 'indeterminate');
});

test('addresses: the CNAME-expanded name is recorded', (t) => {
  const r = addressesFromLookups(n('alias.test'), lookup(SECURE, [CNAME('alias.test', 'mx.test'), A('mx.test', '192.0.2.1')]), lookup(SECURE, [CNAME('alias.test', 'mx.test')]));
  t.is(r.value.expanded.toText(), 'mx.test.');
  t.is(r.value.original.toText(), 'alias.test.');
});

test('TLSA base domain candidates: expanded then original only when the expansion is secure', (t) => {
  const addrs = (o: typeof SECURE) => addressesFromLookups(n('alias.test'), lookup(o, [CNAME('alias.test', 'mx.test'), A('mx.test', '192.0.2.1')]), lookup(o));
  t.deepEqual(tlsaCandidates(addrs(SECURE)).map((x) => x.toText()), ['mx.test.', 'alias.test.']);
  t.deepEqual(tlsaCandidates(addrs(INSECURE)).map((x) => x.toText()), ['alias.test.']);
  const plain = addressesFromLookups(n('mx.test'), lookup(SECURE, [A('mx.test', '192.0.2.1')]), lookup(SECURE));
  t.deepEqual(tlsaCandidates(plain).map((x) => x.toText()), ['mx.test.']);
});

test('tlsaFromLookup: records at the end of a TLSA CNAME; malformed RDATA counts as an unusable record', (t) => {
  const q = n('_25._tcp.mx.test');
  const r = tlsaFromLookup(q, lookup(SECURE, [CNAME('_25._tcp.mx.test', 'tlsa.other.test'), TLSA('tlsa.other.test')]));
  t.is(r.value.length, 1);
  t.is(r.value[0]?.usage, 3);
  const bad = tlsaFromLookup(q, lookup(SECURE, [new RecordValue(q, 52, 1, 300, Uint8Array.of(3))]));
  t.is(bad.value.length, 1);
  t.is(bad.value[0]?.usage, MALFORMED_TLSA_USAGE);
  t.deepEqual(tlsaFromLookup(q, SERVFAIL()).value, []);
});

test('chooseTlsa: secure records at the expanded name win; a validated denial moves on to the original', (t) => {
  const recs = tlsaFromLookup(n('_25._tcp.alias.test'), lookup(SECURE, [TLSA('_25._tcp.alias.test')]));
  const none = { value: [], outcome: SECURE };
  const r = chooseTlsa([{ base: n('mx.test'), tlsa: none }, { base: n('alias.test'), tlsa: recs }]);
  t.is(r.baseDomain.toText(), 'alias.test.');
  t.is(r.value.length, 1);
  t.deepEqual(r.tried.map((x) => x.toText()), ['mx.test.', 'alias.test.']);
});

for (const [label, outcome] of [['bogus', BOGUS], ['indeterminate (SERVFAIL/timeout)', INDETERMINATE]] as const) {
  test(`chooseTlsa: ${label} at the expanded name stops the search — never "no TLSA"`, (t) => {
    const recs = { value: [{ usage: 3, selector: 1, matchingType: 1, data: new Uint8Array(32) }], outcome: SECURE };
    const r = chooseTlsa([{ base: n('mx.test'), tlsa: { value: [], outcome } }, { base: n('alias.test'), tlsa: recs }]);
    t.is(r.outcome.security, outcome.security);
    t.is(r.baseDomain.toText(), 'mx.test.');
  });
}

test('resolveTlsa: stops after the first secure RRset, asks the original name after a denial', async (t) => {
  const src = new TableSource({
    'alias.test. A': lookup(SECURE, [CNAME('alias.test', 'mx.test'), A('mx.test', '192.0.2.1')]),
    'alias.test. AAAA': lookup(SECURE, [CNAME('alias.test', 'mx.test')]),
    '_25._tcp.mx.test. TLSA': lookup(SECURE, [], Rcode.NXDOMAIN),
    '_25._tcp.alias.test. TLSA': lookup(SECURE, [TLSA('_25._tcp.alias.test')]),
  });
  const r = await resolveTlsa(src, 'alias.test');
  t.is(r.baseDomain.toText(), 'alias.test.');
  t.deepEqual(src.asked.filter((q) => q.endsWith('tlsa')), ['_25._tcp.mx.test. tlsa', '_25._tcp.alias.test. tlsa']);
});
