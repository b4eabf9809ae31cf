// smtp-policy.test.ts — RFC 7672 policy over canned Proven values, every downgrade rule: insecure
// MX → may without lookups; insecure addresses → no TLSA lookup; bogus/indeterminate addresses or
// TLSA → defer (never "no TLSA"); validated denial → may; insecure TLSA → may; only unusable TLSA
// → encrypt; usable → dane-only with SNI = TLSA base domain; and the verdict rules of issue 8.
import { createSocket } from 'node:dgram';
import test from 'ava';
import { domainVerdict, hostPolicy, hostVerdict, type HostReport } from '../../../src/apps/dane/check.js';
import { addressPolicy, tlsaPolicy } from '../../../src/apps/dane/smtp-policy.js';
import { RemoteSource, remoteOutcome, type DnsLookup } from '../../../src/apps/source.js';
import { addressesFromLookups, chooseTlsa } from '../../../src/apps/tlsa.js';
import { Rcode, RRType } from '../../../src/wire/constants.js';
import { BOGUS, INDETERMINATE, INSECURE, SECURE, SERVFAIL, TableSource, lookup, n, rr } from './helpers.js';

const A = (o: string) => rr(o, { type: 'A', address: '192.0.2.1' });
const TLSA = (o: string, usage = 3, mtype = 1) => rr(o, { type: 'TLSA', usage, selector: 1, matchingType: mtype, data: new Uint8Array(mtype === 2 ? 64 : 32).fill(9) });
const secureAddrs = addressesFromLookups(n('mx.test'), lookup(SECURE, [A('mx.test')]), lookup(SECURE));

function table(tlsa: ReturnType<typeof lookup>, addr = lookup(SECURE, [A('mx.test')])): TableSource {
  return new TableSource({ 'mx.test. A': addr, 'mx.test. AAAA': lookup(SECURE), '_25._tcp.mx.test. TLSA': tlsa });
}

test('insecure MX: policy may and no address-dependent TLSA lookup (RFC 7672 §2.2.1)', async (t) => {
  const src = table(lookup(SECURE, [TLSA('_25._tcp.mx.test')]));
  const p = await hostPolicy(src, 'mx.test', { mxSecurity: 'insecure' });
  t.is(p.policy, 'may');
  t.is(p.cause, 'mx-insecure');
  t.false(src.asked.some((q) => q.includes('tlsa')));
});

test('insecure address records: may, TLSA never asked', async (t) => {
  const src = table(lookup(SECURE, [TLSA('_25._tcp.mx.test')]), lookup(INSECURE, [A('mx.test')]));
  const p = await hostPolicy(src, 'mx.test');
  t.is(p.cause, 'address-insecure');
  t.is(p.policy, 'may');
  t.false(src.asked.some((q) => q.includes('tlsa')));
});

for (const [label, l] of [['bogus', SERVFAIL(BOGUS)], ['SERVFAIL/timeout', SERVFAIL()]] as const) {
  test(`${label} address lookup → defer (host unusable)`, async (t) => {
    const p = await hostPolicy(table(lookup(SECURE), l), 'mx.test');
    t.is(p.policy, 'defer');
    t.is(p.cause, 'address-unusable');
  });
}

for (const [label, l] of [['SERVFAIL', SERVFAIL()], ['timeout', SERVFAIL(INDETERMINATE)], ['bogus', SERVFAIL(BOGUS)],
  ['bogus NOERROR', lookup(BOGUS, [TLSA('_25._tcp.mx.test')])], ['REFUSED', lookup(INDETERMINATE, [], Rcode.REFUSED)]] as const) {
  test(`downgrade resistance: ${label} TLSA lookup → defer, never "no TLSA"`, async (t) => {
    const p = await hostPolicy(table(l), 'mx.test');
    t.is(p.policy, 'defer');
    t.is(p.cause, 'tlsa-unusable');
    t.is(hostVerdict(p, []).verdict, 'bogus');
  });
}

for (const [label, rcode] of [['NODATA', Rcode.NOERROR], ['NXDOMAIN', Rcode.NXDOMAIN]] as const) {
  for (const o of [SECURE, INSECURE]) {
    test(`validated ${o.security} ${label} → no TLSA → may`, async (t) => {
      const p = await hostPolicy(table(lookup(o, [], rcode)), 'mx.test');
      t.is(p.policy, 'may');
      t.is(p.cause, 'no-tlsa');
      t.is(hostVerdict(p, []).verdict, 'no-tlsa');
    });
  }
}

test('insecure TLSA records are not used → may (tlsa-insecure)', (t) => {
  const p = tlsaPolicy('mx.test', secureAddrs, chooseTlsa([{ base: n('mx.test'), tlsa: { value: [{ usage: 3, selector: 1, matchingType: 1, data: new Uint8Array(32) }], outcome: INSECURE } }]));
  t.is(p.policy, 'may');
  t.is(p.cause, 'tlsa-insecure');
});

test('only unusable TLSA (PKIX-TA/PKIX-EE, bad digest length) → encrypt: mandatory unauthenticated TLS', async (t) => {
  const bad = rr('_25._tcp.mx.test', { type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: new Uint8Array(5) });
  const p = await hostPolicy(table(lookup(SECURE, [TLSA('_25._tcp.mx.test', 0), TLSA('_25._tcp.mx.test', 1), bad])), 'mx.test');
  t.is(p.policy, 'encrypt');
  t.is(p.tlsa.length, 3);
  t.deepEqual(p.usable, []);
  t.is(hostVerdict(p, []).verdict, 'no-tlsa');
});

test('usable secure TLSA → dane-only, digest agility applied, SNI = TLSA base domain', async (t) => {
  const p = await hostPolicy(table(lookup(SECURE, [TLSA('_25._tcp.mx.test', 3, 1), TLSA('_25._tcp.mx.test', 3, 2), TLSA('_25._tcp.mx.test', 0)])), 'mx.test');
  t.is(p.policy, 'dane-only');
  t.is(p.tlsaBaseDomain, 'mx.test');
  t.deepEqual(p.usable.map((r) => r.matchingType), [2]);
});

test('CNAME MX host: base domain is the expanded name when the chain is secure, else no DANE', async (t) => {
  const cname = rr('alias.test', { type: 'CNAME', target: n('mx.test') });
  const src = (o: typeof SECURE) => new TableSource({
    'alias.test. A': lookup(o, [cname, A('mx.test')]), 'alias.test. AAAA': lookup(o, [cname]),
    '_25._tcp.mx.test. TLSA': lookup(SECURE, [TLSA('_25._tcp.mx.test')]),
  });
  const p = await hostPolicy(src(SECURE), 'alias.test');
  t.is(p.policy, 'dane-only');
  t.is(p.tlsaBaseDomain, 'mx.test');
  t.is(p.mxHost, 'alias.test');
  t.is((await hostPolicy(src(INSECURE), 'alias.test')).cause, 'address-insecure');
});

test('secure NXDOMAIN for the host → no addresses → unreachable', (t) => {
  const p = addressPolicy('mx.test', addressesFromLookups(n('mx.test'), lookup(SECURE, [], Rcode.NXDOMAIN), lookup(SECURE, [], Rcode.NXDOMAIN)));
  t.is(p?.cause, 'no-addresses');
  t.is(hostVerdict(p!, []).verdict, 'unreachable');
});

function host(verdict: HostReport['verdict'], addrStatus: 'verified' | 'failed' | 'unreachable' = 'verified'): HostReport {
  const policy = { policy: 'dane-only', cause: 'tlsa-usable', reason: '', security: 'secure', mxHost: 'h', tlsaBaseDomain: 'h', addresses: [], tlsa: [], usable: [] } as const;
  return { host: 'h', verdict, reason: '', policy, addresses: [{ address: '192.0.2.1', family: 4, status: addrStatus, detail: '', chain: [], transcript: [] }] };
}

test('domain verdict: delivery view and --strict (issue 8)', (t) => {
  t.is(domainVerdict([host('failed', 'failed'), host('verified')], false), 'dane-verified');
  t.is(domainVerdict([host('bogus'), host('failed', 'failed')], false), 'dnssec-bogus');
  t.is(domainVerdict([host('failed', 'failed'), host('no-tlsa')], false), 'dane-failed');
  t.is(domainVerdict([host('no-tlsa'), host('unreachable', 'unreachable')], false), 'no-dane');
  t.is(domainVerdict([], false), 'no-dane');
  t.is(domainVerdict([host('failed', 'failed'), host('verified')], true), 'dane-failed');
  t.is(domainVerdict([host('bogus'), host('verified')], true), 'dane-failed');
  t.is(domainVerdict([host('unreachable', 'unreachable'), host('verified')], true), 'dane-failed');
  t.is(domainVerdict([host('verified')], true), 'dane-verified');
});

test('remote source security (AD bit, RFC 6840 §5.7): secure iff AD on NOERROR/NXDOMAIN; SERVFAIL+DNSSEC EDE bogus; else indeterminate', (t) => {
  const q = n('_25._tcp.mx.test');
  const code = (o: ReturnType<typeof remoteOutcome>): string | null => (o.security === 'secure' ? null : o.reason.code);
  const ede = (o: ReturnType<typeof remoteOutcome>): number | null => (o.security === 'secure' ? null : o.reason.ede);
  t.is(remoteOutcome(q, Rcode.NOERROR, true, []).security, 'secure');
  t.is(remoteOutcome(q, Rcode.NXDOMAIN, true, []).security, 'secure');
  const ins = remoteOutcome(q, Rcode.NOERROR, false, []);
  t.is(ins.security, 'insecure');
  t.is(code(ins), 'REMOTE_INSECURE');
  t.is(ede(ins), null);
  t.is(code(remoteOutcome(q, Rcode.NXDOMAIN, false, [])), 'REMOTE_INSECURE');
  const b = remoteOutcome(q, Rcode.SERVFAIL, false, [{ code: 7, text: '' }]);
  t.is(b.security, 'bogus');
  t.is(ede(b), 7);
  t.is(code(b), 'SIG_EXPIRED');  // the upstream's DNSSEC EDE survives through the validator's bogus code
  t.is(code(remoteOutcome(q, Rcode.SERVFAIL, false, [{ code: 6, text: '' }])), 'SIGNATURE_INVALID');
  for (const [rcode, ad, e] of [[Rcode.SERVFAIL, false, []], [Rcode.SERVFAIL, false, [{ code: 22, text: '' }]], [Rcode.REFUSED, true, []],
    [Rcode.NOTIMP, false, []]] as const) {
    const o = remoteOutcome(q, rcode, ad, e);
    t.is(o.security, 'indeterminate');
    t.is(code(o), 'REMOTE_NO_ANSWER');
    t.is(ede(o), 22);
  }
});

/** A loopback UDP "resolver" answering each query through `reply` (null = stay silent). */
async function fakeUpstream(reply: (q: Buffer) => Buffer | null): Promise<{ port: number; close(): void }> {
  const sock = createSocket('udp4');
  sock.on('message', (msg, from) => {
    const r = reply(msg);
    if (r !== null) sock.send(r, from.port, from.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return { port: sock.address().port, close: () => sock.close() };
}

test('RemoteSource lookups carry the REMOTE_* reason codes: error rcode, silence', async (t) => {
  // SERVFAIL without EDE: the query echoed with QR set and RCODE 2 (header octets 2-3, RFC 1035 §4.1.1).
  const servfail = await fakeUpstream((q) => { const r = Buffer.from(q); r[2] = r[2]! | 0x80; r[3] = (r[3]! & 0xf0) | Rcode.SERVFAIL; return r; });
  const silent = await fakeUpstream(() => null);
  t.teardown(() => { servfail.close(); silent.close(); });
  const ask = async (port: number): Promise<DnsLookup> => {
    const src = new RemoteSource({ server: { address: '127.0.0.1', port }, timeoutMs: 300 });
    try { return await src.lookup(n('_25._tcp.mx.test'), RRType.TLSA); } finally { src.close(); }
  };
  const sf = await ask(servfail.port);
  t.is(sf.value.rcode, Rcode.SERVFAIL);
  t.is(sf.value.sourceFailure, undefined);
  t.like(sf.outcome, { security: 'indeterminate', reason: { code: 'REMOTE_NO_ANSWER', ede: 22 } });
  const none = await ask(silent.port);
  t.is(none.value.rcode, Rcode.SERVFAIL);
  t.regex(none.value.sourceFailure ?? '', /timeout/);
  t.like(none.outcome, { security: 'indeterminate', reason: { code: 'REMOTE_UNREACHABLE', ede: 23 } });
});
