// Unit tests of the validator hooks in the resolver: the secure TTL cap (RFC 4035 §5.3.3) applied
// to the RRset and message caches, with a fake validator and a pinned clock over the fake transport.
import test from 'ava';
import type { Fetcher, ValidationInput } from '../../../src/dnssec/fetcher.js';
import { type Outcome, secure } from '../../../src/dnssec/outcome.js';
import { Resolver, type ResolverValidator } from '../../../src/resolver/resolver.js';
import { parseRootHints } from '../../../src/resolver/hints.js';
import type { Clock } from '../../../src/util/clock.js';
import { Rcode, RRClass, RRType } from '../../../src/wire/constants.js';
import { Name } from '../../../src/wire/name.js';
import { FakeTransport } from './fake-auth.js';

const N = (s: string): Name => Name.fromText(s);
const hints = parseRootHints('. 3600 NS a.root.\na.root. 3600 A 10.0.0.1\n');

function world(): FakeTransport {
  return new FakeTransport()
    .serve('10.0.0.1', { origin: '.', records: ['. 3600 SOA a.root. h.root. 60', 'example. 3600 NS ns.example.', 'ns.example. 3600 A 10.0.0.4'] })
    .serve('10.0.0.4', { origin: 'example.', records: [
      'example. 3600 SOA ns.example. h.example. 600', 'www.example. 300 A 192.0.2.7', 'ns.example. 3600 A 10.0.0.4',
    ] });
}

class ManualClock implements Clock {
  ms = 1_700_000_000_000;
  nowMs(): number { return this.ms; }
  nowSec(): number { return Math.floor(this.ms / 1000); }
}

/** Says "secure, signatures expire in capSec" for everything. */
class CappingValidator implements ResolverValidator {
  calls = 0;
  readonly capSec: number;
  constructor(capSec: number) { this.capSec = capSec; }
  async validate(input: ValidationInput, _f: Fetcher, _o: { nowSec: number }): Promise<Outcome> {
    this.calls++;
    void input;
    return secure('example.', this.capSec);
  }
}

test('TTL cap: an answer whose RRSIG expires in 100 s is cached at most 100 s (RFC 4035 §5.3.3)', async (t) => {
  const clock = new ManualClock();
  const tr = world();
  const v = new CappingValidator(100);
  const r = new Resolver({ rootHints: hints, transport: tr, clock, validator: v });
  const q = { name: N('www.example.'), type: RRType.A };
  const a = await r.resolve(q);
  t.is(a.rcode, Rcode.NOERROR);
  t.is(a.outcome.security, 'secure');
  const set = r.rrsets.get(N('www.example.'), RRType.A, RRClass.IN);
  t.truthy(set);
  t.true(set!.ttlSec <= 100, `rrset ttl ${set!.ttlSec}`);
  const hit = r.messages.get({ name: q.name, type: q.type, class: RRClass.IN, cd: false });
  t.truthy(hit);
  t.true(hit!.ttlSec <= 100, `message ttl ${hit!.ttlSec}`);
  clock.ms += 50_000;
  const b = await r.resolve(q);
  t.true(b.fromCache);
  t.true(b.answer.every((x) => x.ttl <= 50), JSON.stringify(b.answer.map((x) => x.ttl)));
  clock.ms += 51_000;
  const sent = tr.log.length;
  const c = await r.resolve(q);
  t.false(c.fromCache, 'expired with its signature, not with its 300 s TTL');
  t.true(tr.log.length > sent);
  t.is(v.calls, 2);
});

test('TTL cap: a cap above the record TTL changes nothing; unvalidated (cd) answers are not capped', async (t) => {
  const clock = new ManualClock();
  const r = new Resolver({ rootHints: hints, transport: world(), clock, validator: new CappingValidator(10_000) });
  await r.resolve({ name: N('www.example.'), type: RRType.A });
  t.is(r.rrsets.get(N('www.example.'), RRType.A, RRClass.IN)?.ttlSec, 300);
  const r2 = new Resolver({ rootHints: hints, transport: world(), clock, validator: new CappingValidator(5) });
  await r2.resolve({ name: N('www.example.'), type: RRType.A }, { cd: true });
  t.is(r2.messages.get({ name: N('www.example.'), type: RRType.A, class: RRClass.IN, cd: true })?.ttlSec, 300);
});
