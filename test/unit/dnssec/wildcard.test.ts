// wildcard.test.ts — wildcard expansion (RFC 4035 §5.3.4, RFC 5155 §8.8, RFC 4592): detection from
// the RRSIG labels field, secure only with proof that the exact name does not exist; a synthesized
// answer stripped of its NSEC/NSEC3 proof is bogus (WILDCARD_DENIAL_MISSING, EDE 12); wildcards at
// the closest encloser below an empty non-terminal; wildcard NODATA.
import test from 'ava';
import { Validator } from '../../../src/dnssec/validator.js';
import { expandedFrom } from '../../../src/dnssec/wildcard.js';
import type { UpstreamResponse } from '../../../src/dnssec/fetcher.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { Message } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { decodeRRSIG } from '../../../src/wire/rdata/rrsig.js';
import { anchorsFor, MemoryHierarchy, T } from '../../helpers/memory-zones.js';

const NOW = 1_780_000_000;
const n = (s: string): Name => Name.fromText(s);
const world = new MemoryHierarchy([
  { apex: '.' },
  { apex: 'w1.', records: ['* 300 IN TXT "top"', '*.e.n 300 IN A 192.0.2.1', 'x.e.n 300 IN A 192.0.2.2'] },
  { apex: 'w3.', denial: 'nsec3', nsec3: { iterations: 2, salt: '01' }, records: ['* 300 IN TXT "top"', '*.e.n 300 IN A 192.0.2.1', 'x.e.n 300 IN A 192.0.2.2'] },
], NOW);

async function run(q: string, qtype: number, strip = false) {
  const v = new Validator({ anchors: anchorsFor(world, NOW) });
  let steps = world.steps(n(q), qtype);
  if (strip) steps = steps.map((s) => withoutAuthority(s));
  return v.validate({ qname: n(q), qtype, steps }, world.fetcher(), { nowSec: NOW });
}

function withoutAuthority(s: UpstreamResponse): UpstreamResponse {
  const m = s.message;
  const b = new MessageBuilder({ qr: true, aa: m.aa, rcode: m.rcode }).question(s.qname, s.qtype).answer(m.answer).edns({ dnssecOk: true });
  const parsed = Message.fromWire(b.toWire());
  if (!parsed.ok) throw new Error('unparsable');
  return { ...s, message: parsed.message };
}

test('expandedFrom(): RRSIG labels below the owner labels mark an expansion', (t) => {
  const steps = world.steps(n('a.b.w1.'), T.TXT);
  const set = steps[0]!.message.answer.find((r) => r.type === T.RRSIG)!;
  const sig = decodeRRSIG(set.rdata)!;
  t.is(sig.labels, 1);
  t.is(expandedFrom(n('a.b.w1.'), sig)?.toText(), 'w1.');
  t.is(expandedFrom(n('w1.'), sig), null);
});

for (const zone of ['w1.', 'w3.']) {
  test(`${zone}: wildcard answers are secure with proof, bogus without`, async (t) => {
    t.is((await run(`a.b.${zone}`, T.TXT)).security, 'secure');
    t.is((await run(`q.e.n.${zone}`, T.A)).security, 'secure', 'wildcard at a closest encloser below an empty non-terminal');
    t.is((await run(`x.e.n.${zone}`, T.A)).security, 'secure', 'the exact name exists');
    const o = await run(`a.b.${zone}`, T.TXT, true);
    t.is(o.security, 'bogus');
    if (o.security === 'bogus') { t.is(o.reason.code, 'WILDCARD_DENIAL_MISSING'); t.is(o.reason.ede as number, 12); }
  });

  test(`${zone}: wildcard NODATA is secure; stripped of proof it is bogus`, async (t) => {
    const steps = world.steps(n(`q.e.n.${zone}`), T.TXT);
    t.is(steps[0]!.message.rcode, 0);
    t.is(steps[0]!.message.answer.length, 0);
    t.is((await run(`q.e.n.${zone}`, T.TXT)).security, 'secure');
    const o = await run(`q.e.n.${zone}`, T.TXT, true);
    t.is(o.security, 'bogus');
  });
}
