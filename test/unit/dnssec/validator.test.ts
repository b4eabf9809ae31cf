// validator.test.ts — Validator.validate over in-memory signed zones at a fixed clock: positive
// answers, NODATA/NXDOMAIN (NSEC and NSEC3), CNAME/DNAME chains, insecure delegations, broken
// signatures/keys (EDE 6, 7, 8, 9, 10), unsupported algorithm/digest (EDE 1, 2), NTA, no anchor.
import test from 'ava';
import { newStats } from '../../../src/dnssec/budget.js';
import type { Outcome } from '../../../src/dnssec/outcome.js';
import type { ReasonCode } from '../../../src/dnssec/reasons.js';
import { TrustAnchorStore } from '../../../src/dnssec/trust-anchors.js';
import { Validator } from '../../../src/dnssec/validator.js';
import type { UpstreamResponse } from '../../../src/dnssec/fetcher.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { Message, RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { anchorsFor, MemoryHierarchy, T, type ZoneOptions } from '../../helpers/memory-zones.js';

const NOW = 1_780_000_000;
const n = (s: string): Name => Name.fromText(s);

const ZONES: ZoneOptions[] = [
  { apex: '.', records: [] },
  { apex: 'test.', records: [] },
  { apex: 'good.test.', records: ['@ 300 IN A 192.0.2.1', 'www 300 IN A 192.0.2.2', 'a.b.c 300 IN TXT "deep"', '* 300 IN TXT "wild"', 'alias 300 IN CNAME www', 'out 300 IN CNAME www.n3.test.', 'dn 300 IN DNAME n3.test.', 'ins 300 IN CNAME host.unsigned.test.'] },
  { apex: 'n3.test.', denial: 'nsec3', nsec3: { iterations: 0, salt: 'aabb' }, records: ['www 300 IN A 192.0.2.3', 'a.b 300 IN A 192.0.2.4', '* 300 IN TXT "wild3"'] },
  { apex: 'unsigned.test.', denial: 'none', records: ['host 300 IN A 192.0.2.5'] },
  { apex: 'optout.test.', denial: 'nsec3', nsec3: { optOut: true }, records: [] },
  { apex: 'child.optout.test.', denial: 'none', records: ['www 300 IN A 192.0.2.6'] },
  { apex: 'edited.test.', records: ['www 300 IN A 192.0.2.7'], faults: { corrupt: ['www/A'] } },
  { apex: 'expired.test.', records: ['www 300 IN A 192.0.2.8'], faults: { window: 'expired' } },
  { apex: 'future.test.', records: ['www 300 IN A 192.0.2.9'], faults: { window: 'future' } },
  { apex: 'dsmismatch.test.', records: ['www 300 IN A 192.0.2.10'], ds: 'mismatch' },
  { apex: 'stripped.test.', records: ['www 300 IN A 192.0.2.11'], faults: { strip: ['www/A'] } },
  { apex: 'nokskig.test.', records: ['www 300 IN A 192.0.2.12'], faults: { kskDoesNotSignKeys: true } },
  { apex: 'alg100.test.', records: ['www 300 IN A 192.0.2.13'], ds: { algorithm: 100 } },
  { apex: 'digest200.test.', records: ['www 300 IN A 192.0.2.14'], ds: { digestType: 200 } },
  { apex: 'revoked.test.', records: ['www 300 IN A 192.0.2.15'], faults: { revokedKsk: true } },
  { apex: 'iter200.test.', denial: 'nsec3', nsec3: { iterations: 200 }, records: ['www 300 IN A 192.0.2.16'] },
  { apex: 'iter600.test.', denial: 'nsec3', nsec3: { iterations: 600 }, records: ['www 300 IN A 192.0.2.17'] },
  { apex: 'ed.test.', alg: 15, records: ['www 300 IN A 192.0.2.18'] },
];

const world = new MemoryHierarchy(ZONES, NOW);

async function check(qname: string, qtype: number, opts: { anchors?: TrustAnchorStore } = {}): Promise<Outcome> {
  const v = new Validator({ anchors: opts.anchors ?? anchorsFor(world, NOW) });
  const q = n(qname);
  return v.validate({ qname: q, qtype, steps: world.steps(q, qtype) }, world.fetcher(), { nowSec: NOW });
}

function expect(t: import('ava').ExecutionContext, o: Outcome, security: Outcome['security'], code?: ReasonCode, ede?: number | null): void {
  t.is(o.security, security, JSON.stringify(o));
  if (o.security !== 'secure' && code !== undefined) {
    t.is(o.reason.code, code, JSON.stringify(o));
    if (ede !== undefined) t.is(o.reason.ede as number | null, ede);
  }
}

test('positive answers are secure (ECDSA and Ed25519)', async (t) => {
  const o = await check('www.good.test.', T.A);
  expect(t, o, 'secure');
  t.is(o.security === 'secure' ? o.signer : '', 'good.test.');
  expect(t, await check('good.test.', T.A), 'secure');
  expect(t, await check('www.ed.test.', T.A), 'secure');
  expect(t, await check('good.test.', T.DNSKEY), 'secure');
  expect(t, await check('good.test.', T.DS), 'secure');
});

test('NSEC NXDOMAIN, NODATA, empty non-terminal, apex NODATA', async (t) => {
  expect(t, await check('nope.good.test.', T.A), 'secure'); // covered by the wildcard? no: * exists → synthesized TXT only
  expect(t, await check('www.good.test.', T.AAAA), 'secure');
  expect(t, await check('b.c.good.test.', T.A), 'secure');
  expect(t, await check('good.test.', T.TXT), 'secure');
  expect(t, await check('zzz.test.', T.A), 'secure');
});

test('NSEC3 NXDOMAIN, NODATA, empty non-terminal, wildcard', async (t) => {
  expect(t, await check('www.n3.test.', T.A), 'secure');
  expect(t, await check('www.n3.test.', T.AAAA), 'secure');
  expect(t, await check('b.n3.test.', T.A), 'secure');
  expect(t, await check('x.y.n3.test.', T.TXT), 'secure');
  expect(t, await check('x.y.n3.test.', T.A), 'secure');
  expect(t, await check('n3.test.', T.TXT), 'secure');
});

test('wildcard answers and wildcard NODATA (NSEC)', async (t) => {
  expect(t, await check('anything.good.test.', T.TXT), 'secure');
  expect(t, await check('x.y.good.test.', T.TXT), 'secure');
  expect(t, await check('anything.good.test.', T.A), 'secure');
});

test('CNAME and DNAME chains: weakest link', async (t) => {
  expect(t, await check('alias.good.test.', T.A), 'secure');
  expect(t, await check('out.good.test.', T.A), 'secure');
  expect(t, await check('www.dn.good.test.', T.A), 'secure');
  expect(t, await check('ins.good.test.', T.A), 'insecure', 'NO_DS_PROVEN', null);
});

test('insecure delegations: NSEC and NSEC3 opt-out', async (t) => {
  expect(t, await check('host.unsigned.test.', T.A), 'insecure', 'NO_DS_PROVEN', null);
  expect(t, await check('www.child.optout.test.', T.A), 'insecure', 'NSEC3_OPT_OUT', null);
});

test('bogus: EDE 6, 7, 8, 9, 10', async (t) => {
  expect(t, await check('www.edited.test.', T.A), 'bogus', 'SIGNATURE_INVALID', 6);
  expect(t, await check('www.expired.test.', T.A), 'bogus', 'SIG_EXPIRED', 7);
  expect(t, await check('www.future.test.', T.A), 'bogus', 'SIG_NOT_YET_VALID', 8);
  expect(t, await check('www.dsmismatch.test.', T.A), 'bogus', 'DS_NO_MATCHING_DNSKEY', 9);
  expect(t, await check('www.stripped.test.', T.A), 'bogus', 'RRSIGS_MISSING', 10);
  expect(t, await check('www.nokskig.test.', T.A), 'bogus', 'RRSIGS_MISSING', 10);
  expect(t, await check('www.revoked.test.', T.A), 'bogus', 'KEY_REVOKED_ONLY', 6);
});

test('unsupported DS algorithm / digest → insecure with EDE 1 / 2', async (t) => {
  expect(t, await check('www.alg100.test.', T.A), 'insecure', 'DNSKEY_ALG_UNSUPPORTED', 1);
  expect(t, await check('www.digest200.test.', T.A), 'insecure', 'DS_DIGEST_UNSUPPORTED', 2);
});

test('NSEC3 iterations: 200 → insecure EDE 27, 600 → bogus EDE 27; positive answers stay secure', async (t) => {
  expect(t, await check('www.iter200.test.', T.A), 'secure');
  expect(t, await check('nope.iter200.test.', T.A), 'insecure', 'NSEC3_ITERATIONS_SOFT', 27);
  expect(t, await check('nope.iter600.test.', T.A), 'bogus', 'NSEC3_ITERATIONS_HARD', 27);
});

test('NTA → insecure; no anchor → indeterminate', async (t) => {
  const a = anchorsFor(world, NOW);
  a.addNegative(n('edited.test.'));
  expect(t, await check('www.edited.test.', T.A, { anchors: a }), 'insecure', 'NTA_INSECURE', null);
  expect(t, await check('www.good.test.', T.A, { anchors: new TrustAnchorStore({ nowSec: () => NOW }) }), 'indeterminate', 'NO_TRUST_ANCHOR', null);
});

test('key cache: a second validation needs no fetches; stats count the work', async (t) => {
  const v = new Validator({ anchors: anchorsFor(world, NOW) });
  const q = n('www.good.test.');
  const steps = world.steps(q, T.A);
  const s1 = newStats();
  await v.validate({ qname: q, qtype: T.A, steps }, world.fetcher(), { nowSec: NOW, stats: s1 });
  const s2 = newStats();
  const o = await v.validate({ qname: q, qtype: T.A, steps }, world.fetcher(), { nowSec: NOW, stats: s2 });
  t.is(o.security, 'secure');
  t.true(s1.fetches >= 5);
  t.is(s2.fetches, 0);
  t.is(s2.batches, 1, 'one batch for the response');
});

function filtered(q: string, qtype: number, keep: (type: number) => boolean): UpstreamResponse[] {
  return world.steps(n(q), qtype).map((s) => {
    const m = s.message;
    const wire = new MessageBuilder({ qr: true, aa: m.aa, rcode: m.rcode }).question(s.qname, s.qtype).answer(m.answer)
      .authority(m.authority.filter((r) => keep(r.type) || (r.type === T.RRSIG && keep(((r.rdata[0] ?? 0) << 8) | (r.rdata[1] ?? 0))))).toWire();
    const p = Message.fromWire(wire);
    if (!p.ok) throw new Error('unparsable');
    return { ...s, message: p.message };
  });
}

async function checkSteps(q: string, qtype: number, steps: UpstreamResponse[]): Promise<Outcome> {
  const v = new Validator({ anchors: anchorsFor(world, NOW) });
  return v.validate({ qname: n(q), qtype, steps }, world.fetcher(), { nowSec: NOW });
}

test('denials stripped of NSEC / NSEC3 → NSEC_PROOF_MISSING / NSEC3_PROOF_MISSING (EDE 12)', async (t) => {
  const nxNsec = filtered('zzz.test.', T.A, (ty) => ty !== T.NSEC);
  t.is(nxNsec[0]!.message.rcode, 3);
  expect(t, await checkSteps('zzz.test.', T.A, nxNsec), 'bogus', 'NSEC_PROOF_MISSING', 12);
  const nodata3 = filtered('www.n3.test.', T.AAAA, (ty) => ty !== T.NSEC3);
  expect(t, await checkSteps('www.n3.test.', T.AAAA, nodata3), 'bogus', 'NSEC_PROOF_MISSING', 12);
  // NSEC3 present but not the matching one: the proof fails as an NSEC3 proof.
  const wrong = world.steps(n('www.n3.test.'), T.AAAA)[0]!;
  const other = world.steps(n('b.n3.test.'), T.A)[0]!;
  const swapped = new MessageBuilder({ qr: true, aa: true }).question(wrong.qname, T.AAAA)
    .authority([...wrong.message.authority.filter((r) => r.type === T.SOA || (r.type === T.RRSIG && r.name.equals(n('n3.test.')))), ...other.message.authority.filter((r) => r.type === T.NSEC3 || (r.type === T.RRSIG && !r.name.equals(n('n3.test.'))))]).toWire();
  const sm = Message.fromWire(swapped);
  if (!sm.ok) throw new Error('unparsable');
  expect(t, await checkSteps('www.n3.test.', T.AAAA, [{ ...wrong, message: sm.message }]), 'bogus', 'NSEC3_PROOF_MISSING', 12);
});

test('DNAME: a synthesized CNAME that does not match the signed DNAME is not accepted unsigned', async (t) => {
  const [step] = world.steps(n('www.dn.good.test.'), T.A);
  const m = step!.message;
  const forged = m.answer.map((r) => (r.type === T.CNAME ? new RecordValue(r.name, T.CNAME, 1, r.ttl, n('evil.example.').wire.slice()) : r));
  const wire = new MessageBuilder({ qr: true, aa: true }).question(step!.qname, T.A).answer(forged).toWire();
  const p = Message.fromWire(wire);
  if (!p.ok) throw new Error('unparsable');
  expect(t, await checkSteps('www.dn.good.test.', T.A, [{ ...step!, message: p.message }]), 'bogus', 'RRSIGS_MISSING', 10);
});
