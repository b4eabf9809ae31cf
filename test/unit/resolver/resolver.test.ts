// Unit tests of the resolver pieces: scrub rules, response classification, QNAME-minimisation
// steps, delegation/glue rules, in-flight merging, and limits → SERVFAIL, with a fake transport.
import test from 'ava';
import { Resolver } from '../../../src/resolver/resolver.js';
import { parseRootHints } from '../../../src/resolver/hints.js';
import { scrubResponse } from '../../../src/resolver/scrub.js';
import { classifyResponse } from '../../../src/resolver/response-type.js';
import { nextMinimisedName } from '../../../src/resolver/qmin.js';
import { InFlight } from '../../../src/resolver/inflight.js';
import { delegationFromReferral, gluelessTargets } from '../../../src/resolver/delegation.js';
import { AbortedError } from '../../../src/util/errors.js';
import { Rcode, RRType } from '../../../src/wire/constants.js';
import { Name } from '../../../src/wire/name.js';
import { FakeTransport, rr } from './fake-auth.js';

const N = (s: string): Name => Name.fromText(s);
const hints = parseRootHints('. 3600 NS a.root.\na.root. 3600 A 10.0.0.1\n');

function world(): FakeTransport {
  return new FakeTransport()
    .serve('10.0.0.1', { origin: '.', records: [
      '. 3600 SOA a.root. h.root. 60', 'net. 3600 NS a.gtld.net.', 'a.gtld.net. 3600 A 10.0.0.2',
      // example. is delegated to an out-of-bailiwick server without glue; the root also sends a
      // forged address for it (owner outside the root's … no: inside the root, but not an NS target).
      'example. 3600 NS ns.other.net.', 'bogus-glue.example. 3600 A 6.6.6.6',
      'loop. 3600 NS ns.loop2.', 'loop2. 3600 NS ns.loop.',
    ] })
    .serve('10.0.0.2', { origin: 'net.', records: ['net. 3600 SOA a.gtld.net. h.net. 60', 'other.net. 3600 NS ns.other.net.', 'ns.other.net. 3600 A 10.0.0.3'] })
    .serve('10.0.0.3', { origin: 'other.net.', records: ['other.net. 3600 SOA ns.other.net. h.other.net. 60', 'ns.other.net. 3600 A 10.0.0.4'] })
    .serve('10.0.0.4', { origin: 'example.', records: [
      'example. 3600 SOA ns.other.net. h.example. 60', 'www.example. 300 A 192.0.2.7', 'alias.example. 300 CNAME www.example.',
      'a.b.c.d.e.f.example. 300 A 192.0.2.8',
    ] });
}

test('scrub: out-of-bailiwick and off-chain records are dropped; DNAME yields a CNAME', (t) => {
  const msg = {
    answer: [rr('www.example. 60 A 192.0.2.1'), rr('evil.other. 60 A 6.6.6.6'), rr('x.example. 60 A 192.0.2.9')],
    authority: [rr('example. 60 NS ns.example.'), rr('other. 60 NS ns.evil.'), rr('example. 60 A 1.2.3.4')],
    additional: [rr('ns.example. 60 A 192.0.2.53'), rr('ns.evil. 60 A 6.6.6.6')],
  };
  const s = scrubResponse(msg, N('www.example.'), RRType.A, 1, N('example.'));
  t.deepEqual(s.answer.map((r) => r.name.toText()), ['www.example.']);
  t.deepEqual(s.authority.map((r) => r.type), [RRType.NS]);
  t.deepEqual(s.additional.map((r) => r.name.toText()), ['ns.example.']);
  t.true(s.dropped > 0);
  const d = scrubResponse({ answer: [rr('sub.example. 60 DNAME other.example.')], authority: [], additional: [] }, N('a.sub.example.'), RRType.A, 1, N('example.'));
  const c = d.answer.find((r) => r.type === RRType.CNAME);
  t.is((c?.decode() as { target: Name } | undefined)?.target.toText(), 'a.other.example.');
});

test('classify: referral, lame upward referral, nodata, nxdomain, cname, answer, error', (t) => {
  const q = N('www.example.');
  const sc = (answer: string[], authority: string[]) => scrubResponse({ answer: answer.map(rr), authority: authority.map(rr), additional: [] }, q, RRType.A, 1, N('.'));
  t.is(classifyResponse({ rcode: 0, aa: false }, sc([], ['example. 60 NS ns.x.']), q, RRType.A, N('.')).kind, 'referral');
  t.is(classifyResponse({ rcode: 0, aa: false }, scrubResponse({ answer: [], authority: [rr('. 60 NS a.root.')], additional: [] }, q, RRType.A, 1, N('example.')), q, RRType.A, N('example.')).kind, 'lame');
  t.is(classifyResponse({ rcode: 0, aa: true }, sc([], ['example. 60 SOA a. b. 60']), q, RRType.A, N('.')).kind, 'nodata');
  t.is(classifyResponse({ rcode: 3, aa: true }, sc([], ['example. 60 SOA a. b. 60']), q, RRType.A, N('.')).kind, 'nxdomain');
  t.is(classifyResponse({ rcode: 0, aa: true }, sc(['www.example. 60 CNAME www.other.'], []), q, RRType.A, N('.')).kind, 'cname');
  t.is(classifyResponse({ rcode: 0, aa: true }, sc(['www.example. 60 A 192.0.2.1'], []), q, RRType.A, N('.')).kind, 'answer');
  t.is(classifyResponse({ rcode: 2, aa: false }, sc([], []), q, RRType.A, N('.')).kind, 'error');
  t.is(classifyResponse({ rcode: 5, aa: false }, sc([], []), q, RRType.A, N('.')).kind, 'lame');
});

test('QNAME minimisation: one label for MINIMISE_ONE_LAB steps, then larger, never past MAX_MINIMISE_COUNT', (t) => {
  const q = N('a.b.c.d.e.f.g.h.i.j.k.l.m.n.example.');
  const seen: string[] = [];
  let known = 0;
  for (let count = 0; ; count++) {
    const n = nextMinimisedName(q, known, count);
    if (n === null) break;
    seen.push(n.toText());
    known = n.labelCount();
  }
  t.deepEqual(seen.slice(0, 4), ['example.', 'n.example.', 'm.n.example.', 'l.m.n.example.']);
  t.true(seen.length <= 10);
  t.is(nextMinimisedName(N('www.example.'), 1, 0), null);
});

test('delegation: glue only for listed NS targets; names under the cut without glue are not resolvable', (t) => {
  const d = delegationFromReferral([rr('ex. 60 NS ns1.ex.'), rr('ex. 60 NS ns.other.')], [rr('ns1.ex. 60 A 192.0.2.1')], N('ex.'));
  t.deepEqual(d.servers.map((s) => s.addresses), [['192.0.2.1'], []]);
  t.deepEqual(gluelessTargets(d, 5).map((n) => n.toText()), ['ns.other.']);
  const inside = delegationFromReferral([rr('ex. 60 NS ns2.ex.')], [], N('ex.'));
  t.deepEqual(gluelessTargets(inside, 5), []);
});

test('glueless out-of-bailiwick NS is resolved; forged additional data is not used', async (t) => {
  const tr = world();
  const r = new Resolver({ rootHints: hints, transport: tr });
  const a = await r.resolve({ name: N('www.example.'), type: RRType.A });
  t.is(a.rcode, Rcode.NOERROR);
  t.deepEqual(a.answer.map((x) => (x.decode() as { address: string }).address), ['192.0.2.7']);
  t.false(tr.log.some((l) => l.server === '6.6.6.6'));
  t.true(tr.log.some((l) => l.server === '10.0.0.4'));
  // QNAME minimisation: the root never saw the full name.
  t.false(tr.log.some((l) => l.server === '10.0.0.1' && l.qname === 'www.example.'));
  const c = await r.resolve({ name: N('alias.example.'), type: RRType.A });
  t.is(c.answer.length, 2);
  const deep = await r.resolve({ name: N('a.b.c.d.e.f.example.'), type: RRType.A });
  t.is(deep.rcode, Rcode.NOERROR);
});

test('in-flight merging: one upstream resolution for many waiters; one waiter aborting leaves the others', async (t) => {
  const tr = world();
  tr.delayMs = 20;
  const r = new Resolver({ rootHints: hints, transport: tr });
  const ac = new AbortController();
  const q = { name: N('www.example.'), type: RRType.A };
  const aborted = r.resolve(q, { signal: ac.signal });
  const others = [r.resolve(q), r.resolve(q), r.resolve(q)];
  ac.abort();
  await t.throwsAsync(aborted, { instanceOf: AbortedError });
  const res = await Promise.all(others);
  t.true(res.every((a) => a.rcode === Rcode.NOERROR && a === res[0]));
  const n = tr.log.filter((l) => l.qname === 'www.example.' && l.qtype === RRType.A).length;
  t.is(n, 1);
});

test('InFlight: last waiter leaving aborts the shared work', async (t) => {
  const f = new InFlight<number>();
  let sawAbort = false;
  const ac = new AbortController();
  const p = f.run('k', (sig) => new Promise<number>((res) => { sig.addEventListener('abort', () => { sawAbort = true; res(0); }); }), ac.signal);
  await new Promise((r) => setImmediate(r));
  t.is(f.size, 1);
  ac.abort();
  await t.throwsAsync(p, { instanceOf: AbortedError });
  t.true(sawAbort);
  t.is(f.size, 0);
});

test('limits: upstream-query budget, referral loops and dead servers give SERVFAIL values', async (t) => {
  const r1 = new Resolver({ rootHints: hints, transport: world(), limits: { maxUpstreamQueries: 2 } });
  const a = await r1.resolve({ name: N('www.example.'), type: RRType.A });
  t.is(a.rcode, Rcode.SERVFAIL);
  t.is(a.ede[0]?.code, 22);
  const r2 = new Resolver({ rootHints: hints, transport: world() });
  const b = await r2.resolve({ name: N('www.loop.'), type: RRType.A });
  t.is(b.rcode, Rcode.SERVFAIL);
  const tr = world();
  tr.silent.add('10.0.0.1');
  const r3 = new Resolver({ rootHints: hints, transport: tr, limits: { deadlineMs: 300 } });
  const c = await r3.resolve({ name: N('www.example.'), type: RRType.A });
  t.is(c.rcode, Rcode.SERVFAIL);
  const r4 = new Resolver({ rootHints: hints, transport: world(), limits: { maxCnameChain: 0 } });
  t.is((await r4.resolve({ name: N('alias.example.'), type: RRType.A })).rcode, Rcode.SERVFAIL);
  t.is((await r4.resolve({ name: N('www.example.'), type: RRType.A })).rcode, Rcode.NOERROR);
});

test('merging across questions: N clients needing the same glueless NS address cause one query for it', async (t) => {
  const tr = world();
  tr.delayMs = 10;
  const r = new Resolver({ rootHints: hints, transport: tr });
  const names = Array.from({ length: 12 }, (_, i) => N(`h${i}.example.`));
  const answers = await Promise.all(names.map((name) => r.resolve({ name, type: RRType.A })));
  t.true(answers.every((a) => a.rcode === Rcode.NXDOMAIN), JSON.stringify(answers.map((a) => a.rcode)));
  const nsA = tr.log.filter((l) => l.qname === 'ns.other.net.' && l.qtype === RRType.A).length;
  const nsAAAA = tr.log.filter((l) => l.qname === 'ns.other.net.' && l.qtype === RRType.AAAA).length;
  t.is(nsA, 1, JSON.stringify(tr.log));
  t.is(nsAAAA, 1);
  // Identical upstream questions (the root's referral for example.) are merged as well.
  t.is(tr.log.filter((l) => l.server === '10.0.0.1' && l.qname === 'example.').length, 1);
});

test('merging cannot deadlock: two questions whose NS addresses depend on each other both end', async (t) => {
  const r = new Resolver({ rootHints: hints, transport: world(), limits: { deadlineMs: 4000 } });
  const t0 = Date.now();
  const [a, b] = await Promise.all([r.resolve({ name: N('www.loop.'), type: RRType.A }), r.resolve({ name: N('www.loop2.'), type: RRType.A })]);
  t.is(a.rcode, Rcode.SERVFAIL);
  t.is(b.rcode, Rcode.SERVFAIL);
  t.true(Date.now() - t0 < 4000, `${Date.now() - t0} ms`);
});
