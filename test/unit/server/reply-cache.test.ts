// reply-cache.test.ts — the cache-hit fast path of the QueryPipeline at a pinned clock: a hit is the
// miss's bytes except ID/case/TTL (RFC 1035 §3.2.1 aging), expiry, DO/CD/AD/EDNS never share
// entries, the bogus SERVFAIL+EDE lives only BOGUS_TTL_SEC (RFC 4035 §4.7), 0x20 case is kept
// (RFC 4343), truncated and failure replies are not stored, the ACL still applies, and TCP hits.
import { connect } from 'node:net';
import test from 'ava';
import { BOGUS_TTL_SEC } from '../../../src/dnssec/limits.js';
import type { Answer } from '../../../src/resolver/answer.js';
import { servfailAnswer } from '../../../src/resolver/answer.js';
import { Acl } from '../../../src/server/acl.js';
import type { HandlerQuestion, QueryHandler } from '../../../src/server/handler.js';
import { Metrics } from '../../../src/server/metrics.js';
import { QueryPipeline, type Remote } from '../../../src/server/pipeline.js';
import { startServer } from '../../../src/server/run.js';
import type { Clock } from '../../../src/util/clock.js';
import { createJsonLogger } from '../../../src/util/log.js';
import { Rcode, RRType } from '../../../src/wire/constants.js';
import { Name } from '../../../src/wire/name.js';
import { BOGUS, SECURE, a, answer, parse, reqWire, rrsig, type Req } from './helpers.js';

const quiet = createJsonLogger({ level: 'error', write: () => undefined });
const UDP: Remote = { address: '127.0.0.1', port: 5000, transport: 'udp' };

/** Canned answers by first label: www (secure A + RRSIG), bogus, big (40 A), fail (SERVFAIL). */
class Counting implements QueryHandler {
  calls = 0;
  async answer(q: HandlerQuestion): Promise<Answer> {
    this.calls++;
    const first = q.name.toText().split('.')[0]!.toLowerCase();
    if (first === 'bogus') return answer(BOGUS, [a(q.name, '192.0.2.66', 300)], 0, [], q.name);
    if (first === 'fail') return servfailAnswer({ name: q.name, type: q.type, class: 1 }, 'no-reachable-authority', 'test');
    if (first === 'big') return answer(SECURE, Array.from({ length: 40 }, (_, i) => a(q.name, `192.0.2.${i}`)), 0, [], q.name);
    return answer(SECURE, [a(q.name, '192.0.2.7', 300), rrsig(q.name, RRType.A)], 0, [], q.name);
  }
  close(): void {}
}

function setup(): { p: QueryPipeline; h: Counting; clock: { ms: number } & Clock } {
  const clock = { ms: 1_700_000_000_000, nowMs(): number { return this.ms; }, nowSec(): number { return Math.floor(this.ms / 1000); } };
  const h = new Counting();
  const p = new QueryPipeline({ handler: h, acl: new Acl(), metrics: new Metrics(false), log: quiet, clock });
  return { p, h, clock };
}

const w = (name: string, r: Req = {}): Uint8Array => reqWire({ name: Name.fromText(name), dnssecOk: true, ...r });

test('a hit returns the miss bytes with the new ID and no resolver call', async (t) => {
  const { p, h } = setup();
  const miss = await p.handle(w('www.example.test.', { id: 1 }), UDP);
  t.truthy(miss);
  t.is(p.fromCache(w('www.example.test.', { id: 1 }), UDP) === null, false);
  const hit = p.fromCache(w('www.example.test.', { id: 0xbeef }), UDP);
  t.truthy(hit);
  const expect = Buffer.from(miss!);
  expect[0] = 0xbe;
  expect[1] = 0xef;
  t.deepEqual(Buffer.from(hit!), expect);
  t.is(h.calls, 1);
  t.is(p.metrics.s.replyCacheHits, 2);
  t.is(p.metrics.s.cacheHits, 2);
  const m = parse(hit!);
  t.true(m.ad);
  t.is(m.answer.length, 2);
});

test('TTLs age by whole elapsed seconds (RRSIG too, OPT flags untouched) and the entry expires', async (t) => {
  const { p, h, clock } = setup();
  await p.handle(w('www.example.test.'), UDP);
  clock.ms += 100_400;
  const m = parse(p.fromCache(w('www.example.test.'), UDP)!);
  t.deepEqual(m.answer.map((r) => r.ttl), [200, 200]);
  t.true(m.edns?.dnssecOk);
  clock.ms += 199_000; // 299.4 s: one second left
  t.deepEqual(parse(p.fromCache(w('www.example.test.'), UDP)!).answer.map((r) => r.ttl), [1, 1]);
  clock.ms += 700; // 300.1 s
  t.is(p.fromCache(w('www.example.test.'), UDP), null);
  await p.handle(w('www.example.test.'), UDP);
  t.is(h.calls, 2);
});

test('DO, CD, AD and EDNS variants never share entries', async (t) => {
  const { p, h } = setup();
  const variants: Req[] = [{}, { dnssecOk: false }, { cd: true }, { ad: true, dnssecOk: false }, { edns: false }, { udpSize: 512 }];
  for (const [i, r] of variants.entries()) {
    t.is(p.fromCache(w('www.example.test.', r), UDP), null, `variant ${i} must miss first`);
    await p.handle(w('www.example.test.', r), UDP);
    t.truthy(p.fromCache(w('www.example.test.', r), UDP), `variant ${i} then hits`);
  }
  t.is(h.calls, variants.length);
  const noDo = parse(p.fromCache(w('www.example.test.', { dnssecOk: false }), UDP)!);
  t.deepEqual(noDo.answer.map((r) => r.type), [RRType.A]); // RFC 4035 §3.2.1: no RRSIG without DO
  t.false(noDo.ad);
  t.true(parse(p.fromCache(w('www.example.test.', { ad: true, dnssecOk: false }), UDP)!).ad);
});

test('bogus SERVFAIL + EDE is served from cache only for BOGUS_TTL_SEC; CD gets the data', async (t) => {
  const { p, h, clock } = setup();
  const first = parse((await p.handle(w('bogus.example.test.'), UDP))!);
  t.is(first.rcode, Rcode.SERVFAIL);
  clock.ms += (BOGUS_TTL_SEC - 1) * 1000;
  const again = parse(p.fromCache(w('bogus.example.test.'), UDP)!);
  t.is(again.rcode, Rcode.SERVFAIL);
  t.deepEqual(again.edns?.extendedErrors, first.edns?.extendedErrors);
  t.true((again.edns?.extendedErrors.length ?? 0) > 0);
  t.is(p.fromCache(w('bogus.example.test.', { cd: true }), UDP), null);
  const cd = parse((await p.handle(w('bogus.example.test.', { cd: true }), UDP))!);
  t.is(cd.rcode, 0);
  t.is(cd.answer.length, 1);
  clock.ms += 1000;
  t.is(p.fromCache(w('bogus.example.test.'), UDP), null);
  t.is(h.calls, 2);
});

test("the client's QNAME case is echoed byte for byte (RFC 4343, 0x20)", async (t) => {
  const { p, h } = setup();
  await p.handle(w('www.example.test.'), UDP);
  const q = w('WwW.eXaMpLe.TeSt.');
  const hit = p.fromCache(q, UDP)!;
  t.deepEqual(Buffer.from(hit.subarray(12, 12 + 19)), Buffer.from(q.subarray(12, 12 + 19)));
  t.is(parse(hit).question[0]!.name.toText(), 'WwW.eXaMpLe.TeSt.');
  t.is(h.calls, 1);
});

test('truncated replies and resolver failures are not stored', async (t) => {
  const { p, h } = setup();
  const tc = parse((await p.handle(w('big.example.test.', { edns: false }), UDP))!);
  t.true(tc.tc);
  t.is(p.fromCache(w('big.example.test.', { edns: false }), UDP), null);
  t.is(parse((await p.handle(w('fail.example.test.'), UDP))!).rcode, Rcode.SERVFAIL);
  t.is(p.fromCache(w('fail.example.test.'), UDP), null);
  t.is(h.calls, 2);
  t.is(p.replies.size, 0);
});

test('odd requests and clients outside the ACL never take the hit path', async (t) => {
  const { p } = setup();
  const q = w('www.example.test.');
  await p.handle(q, UDP);
  t.truthy(p.fromCache(q, UDP));
  t.is(p.fromCache(q, { ...UDP, address: '192.0.2.1' }), null);
  t.is(p.fromCache(Buffer.concat([q, Buffer.of(0)]), UDP), null); // trailing byte
  t.is(p.fromCache(w('www.example.test.', { questions: 2 }), UDP), null);
  t.is(p.fromCache(w('www.example.test.', { version: 1 }), UDP), null);
  const resp = Buffer.from(q);
  resp[2] = resp[2]! | 0x80;
  t.is(p.fromCache(resp, UDP), null);
  p.replies.clear();
  t.is(p.fromCache(q, UDP), null);
});

test('TCP uses the same fast path (framed replies, same bytes)', async (t) => {
  const h = new Counting();
  const srv = await startServer({ listen: [{ host: '127.0.0.1', port: 0 }], allow: ['127.0.0.0/8'], openResolver: false, logLevel: 'error', metricsPublic: false, workers: 1 },
    { handler: h, log: quiet });
  const ask = (id: number): Promise<Buffer> => new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: srv.tcp[0]!.port });
    const q = w('www.example.test.', { id });
    const f = Buffer.alloc(2 + q.length);
    f.writeUInt16BE(q.length);
    f.set(q, 2);
    let buf = Buffer.alloc(0);
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) { s.destroy(); resolve(buf.subarray(2, 2 + buf.readUInt16BE(0))); }
    });
    s.on('error', reject);
    s.write(f);
  });
  const one = await ask(1);
  const two = await ask(2);
  t.is(h.calls, 1);
  t.is(srv.snapshot().replyCacheHits, 1);
  t.is(two.readUInt16BE(0), 2);
  t.deepEqual(two.subarray(2), one.subarray(2));
  await srv.shutdown(100);
});
