// message-cache.test.ts — message cache: reassembly from shared RRset references, expiry as the
// minimum TTL of the parts, CD-bit keys, and the miss conditions (RRset gone or weaker), stale replies.
import test from 'ava';
import { MessageCache } from '../../../src/cache/message-cache.js';
import { Rank } from '../../../src/cache/rank.js';
import { RRsetCache } from '../../../src/cache/rrset-cache.js';
import { makeReason, outcomeFor, secure } from '../../../src/dnssec/outcome.js';
import { Rcode, RRType } from '../../../src/wire/constants.js';
import { aSet, fakeClock, n, rr, set } from './helpers.js';

const A = RRType.A;
const Q = { name: n('www.example.'), type: A, class: 1, cd: false };
const CNAME = { name: n('www.example.'), type: RRType.CNAME, class: 1 };
const TARGET = { name: n('host.example.'), type: A, class: 1 };

function setup(serveStale = false) {
  const clock = fakeClock();
  const rrsets = new RRsetCache({ clock, limits: { serveStale, maxStaleSec: 3600 } });
  const messages = new MessageCache({ clock, rrsets });
  rrsets.put(set(rr('www.example.', 600, { type: 'CNAME', target: n('host.example.') })), { rank: Rank.AnswerAA, security: 'secure' });
  rrsets.put(aSet('host.example.', 300, '192.0.2.1'), { rank: Rank.AnswerAA, security: 'secure' });
  return { clock, rrsets, messages };
}

test('a stored message reassembles with its RRsets, outcome and EDE; TTL is the minimum of its parts', (t) => {
  const { clock, messages } = setup();
  t.is(messages.put(Q, { rcode: Rcode.NOERROR, answer: [CNAME, TARGET], authority: [], outcome: secure('example.'), ede: [] }), 'stored');
  t.is(messages.peek(Q)?.expiresAtSec, clock.nowSec() + 300);
  clock.advanceSec(50);
  const m = messages.get({ ...Q, name: n('WWW.example.') });
  t.truthy(m);
  t.is(m?.rcode, Rcode.NOERROR);
  t.deepEqual(m?.answer.map((h) => h.entry.rrset.type), [RRType.CNAME, A]);
  t.is(m?.ttlSec, 250);
  t.deepEqual(m?.outcome, secure('example.'));
  t.false(m?.stale);
  t.is(messages.get({ ...Q, cd: true }), undefined, 'the CD bit is part of the key');
  clock.advanceSec(250);
  t.is(messages.get(Q), undefined);
});

test('an RRset refreshed after the message was stored is shared by the message', (t) => {
  const { clock, rrsets, messages } = setup();
  messages.put(Q, { rcode: 0, answer: [CNAME, TARGET], authority: [] });
  clock.advanceSec(10);
  rrsets.put(aSet('host.example.', 300, '192.0.2.77'), { rank: Rank.AnswerAA, security: 'secure' });
  const m = messages.get(Q);
  t.deepEqual(m?.answer[1]?.entry.rrset.records[0]?.decode(), { type: 'A', address: '192.0.2.77' });
});

test('put refuses a message whose RRsets are not cached', (t) => {
  const { messages } = setup();
  t.is(messages.put(Q, { rcode: 0, answer: [CNAME, { name: n('other.example.'), type: A, class: 1 }], authority: [] }), 'missing-rrset');
  t.is(messages.size, 0);
});

test('reassembly misses, and forgets the message, when a referenced RRset is gone', (t) => {
  const { rrsets, messages } = setup();
  messages.put(Q, { rcode: 0, answer: [CNAME, TARGET], authority: [] });
  rrsets.delete(n('host.example.'), A, 1);
  t.is(messages.get(Q), undefined);
  t.is(messages.peek(Q), undefined);
});

test('reassembly misses when a referenced RRset is weaker than recorded', (t) => {
  const { rrsets, messages } = setup();
  messages.put(Q, { rcode: 0, answer: [CNAME, TARGET], authority: [], outcome: secure('example.') });
  // The secure copy is evicted and glue of the same name arrives, unchecked.
  rrsets.delete(n('host.example.'), A, 1);
  t.is(rrsets.put(aSet('host.example.', 300, '192.0.2.1'), { rank: Rank.AdditionalNoAA }), 'stored');
  t.is(messages.get(Q), undefined);
});

test('maxTtlSec and a bogus outcome cap the message lifetime', (t) => {
  const { clock, messages } = setup();
  messages.put(Q, { rcode: 0, answer: [CNAME, TARGET], authority: [], maxTtlSec: 90 });
  t.is(messages.get(Q)?.ttlSec, 90);
  const bad = outcomeFor('SIGNATURE_INVALID', 'example.');
  const q2 = { ...Q, cd: true };
  messages.put(q2, { rcode: Rcode.SERVFAIL, answer: [CNAME, TARGET], authority: [], outcome: bad, ede: [6] });
  const m = messages.get(q2);
  t.is(m?.ttlSec, 60);
  t.deepEqual(m?.ede, [6]);
  t.deepEqual(m?.outcome, bad);
  t.is(m?.outcome?.security === 'bogus' ? m.outcome.reason.code : '', makeReason('SIGNATURE_INVALID', 'example.').code);
  clock.advanceSec(61);
  t.is(messages.get(q2), undefined);
});

test('serve-stale: an expired message is reassembled only on request, with TTL 30 s', (t) => {
  const { clock, messages } = setup(true);
  messages.put(Q, { rcode: 0, answer: [CNAME, TARGET], authority: [] });
  clock.advanceSec(400); // the A RRset and the message have expired; the CNAME has not
  t.is(messages.get(Q), undefined);
  const m = messages.get(Q, { stale: true });
  t.true(m?.stale);
  t.is(m?.ttlSec, 30);
  t.is(m?.answer.length, 2);
  clock.advanceSec(3600);
  t.is(messages.get(Q, { stale: true }), undefined);
});
