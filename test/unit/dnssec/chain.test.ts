// chain.test.ts — FINDKEY (chain.ts): walk from the anchor label by label, DS fetched from the
// parent, fetch failures → indeterminate with EDE 22/23/24, an unproven DS absence → bogus EDE 12,
// a signer that is not a zone cut → SIGNER_NOT_APEX, bogus key entries cached (no refetch storm),
// empty non-terminals and plain names between cuts skipped, NTA, DNSKEY anchors.
import test from 'ava';
import { newStats, QueryBudget } from '../../../src/dnssec/budget.js';
import { findKey, type ChainContext } from '../../../src/dnssec/chain.js';
import type { FetchFailure, Fetcher } from '../../../src/dnssec/fetcher.js';
import { KeyCache } from '../../../src/dnssec/key-cache.js';
import { TrustAnchorStore } from '../../../src/dnssec/trust-anchors.js';
import { Validator } from '../../../src/dnssec/validator.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { Message } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { keyTag } from '../../../src/wire/rdata/dnskey.js';
import { anchorsFor, MemoryHierarchy, rrFromLine, T } from '../../helpers/memory-zones.js';
import { signRRset } from '../../helpers/signer.js';

const NOW = 1_780_000_000;
const n = (s: string): Name => Name.fromText(s);
const world = new MemoryHierarchy([
  { apex: '.' },
  { apex: 'tld.' , records: ['x.y 300 IN A 192.0.2.9'] },
  { apex: 'deep.a.b.tld.', records: ['www 300 IN A 192.0.2.1'] },
  { apex: 'unsigned.tld.', denial: 'none', records: ['www 300 IN A 192.0.2.2'] },
  { apex: 'bad.tld.', records: ['www 300 IN A 192.0.2.3'], ds: 'mismatch' },
], NOW);

function ctx(fetcher: Fetcher = world.fetcher(), anchors = anchorsFor(world, NOW), cache = new KeyCache()): ChainContext {
  return { fetcher, anchors, cache, nowSec: NOW, budget: new QueryBudget(newStats()) };
}

function failing(on: string, failure: FetchFailure): Fetcher {
  const inner = world.fetcher();
  return { fetch: async (name, type) => (name.equals(n(on)) ? { ok: false, failure, detail: 'test' } : inner.fetch(name, type)) };
}

test('secure chain through empty non-terminals (a.b.tld. is no cut)', async (t) => {
  const c = ctx();
  const e = await findKey(n('deep.a.b.tld.'), c);
  t.is(e.kind, 'secure');
  t.is(e.zone.toText(), 'deep.a.b.tld.');
  t.true(c.budget.stats.fetches >= 5, 'DS for b.tld., a.b.tld. (both proven no cut) and deep.a.b.tld.');
});

test('insecure delegation proven by NSEC is cached and applies below', async (t) => {
  const c = ctx();
  const e = await findKey(n('unsigned.tld.'), c);
  t.is(e.kind, 'insecure');
  if (e.kind === 'insecure') t.is(e.reason.code, 'NO_DS_PROVEN');
  const before = c.budget.stats.fetches;
  t.is((await findKey(n('sub.unsigned.tld.'), c)).kind, 'insecure');
  t.is(c.budget.stats.fetches, before);
});

for (const [failure, code, ede] of [['no-reachable-authority', 'DNSSEC_DATA_UNREACHABLE', 22], ['network-error', 'DNSSEC_NETWORK_ERROR', 23], ['malformed', 'MALFORMED_RESPONSE', 24]] as const) {
  test(`fetch failure ${failure} → indeterminate ${code} (EDE ${ede}), not cached`, async (t) => {
    const c = ctx(failing('deep.a.b.tld.', failure));
    const e = await findKey(n('deep.a.b.tld.'), c);
    t.is(e.kind, 'indeterminate');
    if (e.kind === 'indeterminate') { t.is(e.reason.code, code); t.is(e.reason.ede as number, ede); }
    t.is(c.cache.get(n('deep.a.b.tld.'), NOW), undefined);
  });
}

test('a DS NODATA without NSEC records is bogus DS_ABSENCE_UNPROVEN (EDE 12)', async (t) => {
  const inner = world.fetcher();
  const stripping: Fetcher = {
    fetch: async (name, type) => {
      const r = await inner.fetch(name, type);
      if (!r.ok || type !== T.DS || !name.equals(n('unsigned.tld.'))) return r;
      const m = r.response.message;
      const b = new MessageBuilder({ qr: true, aa: true }).question(name, type).authority(m.authority.filter((x) => x.type === T.SOA)).toWire();
      const parsed = Message.fromWire(b);
      return parsed.ok ? { ok: true, response: { ...r.response, message: parsed.message } } : r;
    },
  };
  const e = await findKey(n('unsigned.tld.'), ctx(stripping));
  t.is(e.kind, 'bogus');
  if (e.kind === 'bogus') { t.is(e.reason.code, 'DS_ABSENCE_UNPROVEN'); t.is(e.reason.ede as number, 12); }
});

test('bogus entries are cached: a second query does not refetch', async (t) => {
  const c = ctx();
  const e = await findKey(n('bad.tld.'), c);
  t.is(e.kind, 'bogus');
  const before = c.budget.stats.fetches;
  const again = await findKey(n('bad.tld.'), c);
  t.is(again.kind, 'bogus');
  t.is(c.budget.stats.fetches, before);
  t.is(c.cache.get(n('bad.tld.'), NOW + 61), undefined, 'expires after BOGUS_TTL_SEC');
});

test('a signer name that is no zone cut → SIGNER_NOT_APEX (EDE 6)', async (t) => {
  const tld = world.zone('tld.');
  const rec = rrFromLine('x.y 300 IN A 192.0.2.9', tld.apex);
  const sig = signRRset([rec], tld.zsk, n('y.tld.'), { inception: NOW - 60, expiration: NOW + 86400 });
  const wire = new MessageBuilder({ qr: true, aa: true }).question(rec.name, T.A).answer([rec, sig]).toWire();
  const m = Message.fromWire(wire);
  if (!m.ok) throw new Error('bad message');
  const v = new Validator({ anchors: anchorsFor(world, NOW) });
  const o = await v.validate({ qname: rec.name, qtype: T.A, steps: [{ message: m.message, zone: tld.apex, qname: rec.name, qtype: T.A }] }, world.fetcher(), { nowSec: NOW });
  t.is(o.security, 'bogus');
  if (o.security === 'bogus') { t.is(o.reason.code, 'SIGNER_NOT_APEX'); t.is(o.reason.ede as number, 6); }
});

test('DNSKEY trust anchors and anchors below the root', async (t) => {
  const tld = world.zone('tld.');
  const store = new TrustAnchorStore({ nowSec: () => NOW });
  store.add({ type: 'DNSKEY', owner: tld.apex, dnskey: { type: 'DNSKEY', flags: 257, protocol: 3, algorithm: 13, publicKey: tld.ksk.rdata.subarray(4) }, rdata: tld.ksk.rdata, keyTag: keyTag(tld.ksk.rdata), source: 'test' });
  const c = ctx(world.fetcher(), store);
  t.is((await findKey(n('deep.a.b.tld.'), c)).kind, 'secure');
  t.is((await findKey(n('other.'), c)).kind, 'indeterminate', 'outside every anchor');
  store.addNegative(n('a.b.tld.'));
  const e = await findKey(n('deep.a.b.tld.'), ctx(world.fetcher(), store));
  t.is(e.kind, 'insecure');
  if (e.kind === 'insecure') t.is(e.reason.code, 'NTA_INSECURE');
});
