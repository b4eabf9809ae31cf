// mx.test.ts — resolveMx over canned lookups: RFC 5321 §5.1 preference order and implicit MX
// (after CNAME), RFC 7505 null MX, NXDOMAIN, and failed lookups never becoming implicit MX.
import test from 'ava';
import { mxFromLookup, resolveMx } from '../../../src/apps/mx.js';
import { mxDecision } from '../../../src/apps/dane/smtp-policy.js';
import { Rcode } from '../../../src/wire/constants.js';
import { Name } from '../../../src/wire/name.js';
import { BOGUS, INDETERMINATE, INSECURE, SECURE, SERVFAIL, TableSource, lookup, n, rr } from './helpers.js';

const mx = (owner: string, preference: number, exchange: string) => rr(owner, { type: 'MX', preference, exchange: n(exchange) });

test('MX hosts come in ascending preference, equal preferences keep RRset order, duplicates dropped', (t) => {
  const r = mxFromLookup(n('a.test'), lookup(SECURE, [mx('a.test', 20, 'c.test'), mx('a.test', 10, 'b.test'), mx('a.test', 20, 'd.test'), mx('a.test', 30, 'b.test')]));
  t.is(r.kind, 'mx');
  t.deepEqual(r.value.map((h) => `${h.preference} ${h.exchange.toText()}`), ['10 b.test.', '20 c.test.', '20 d.test.']);
  t.is(r.outcome.security, 'secure');
});

test('NODATA → implicit MX: the domain itself, or the CNAME-expanded name', (t) => {
  const plain = mxFromLookup(n('a.test'), lookup(SECURE));
  t.is(plain.kind, 'implicit');
  t.deepEqual(plain.value.map((h) => [h.exchange.toText(), h.preference, h.implicit]), [['a.test.', 0, true]]);
  const viaCname = mxFromLookup(n('a.test'), lookup(SECURE, [rr('a.test', { type: 'CNAME', target: n('z.test') })]));
  t.is(viaCname.value[0]?.exchange.toText(), 'z.test.');
});

test('MX behind a CNAME: records of the canonical name are used', (t) => {
  const r = mxFromLookup(n('a.test'), lookup(SECURE, [rr('a.test', { type: 'CNAME', target: n('z.test') }), mx('z.test', 5, 'mx.z.test')]));
  t.deepEqual(r.value.map((h) => h.exchange.toText()), ['mx.z.test.']);
});

test('null MX (RFC 7505) → no hosts, kind null-mx, no-mail decision; a stray "." among hosts is dropped', (t) => {
  const r = mxFromLookup(n('a.test'), lookup(SECURE, [rr('a.test', { type: 'MX', preference: 0, exchange: Name.ROOT })]));
  t.is(r.kind, 'null-mx');
  t.deepEqual(r.value, []);
  t.is(mxDecision(r).kind, 'no-mail');
  const mixed = mxFromLookup(n('a.test'), lookup(SECURE, [rr('a.test', { type: 'MX', preference: 0, exchange: Name.ROOT }), mx('a.test', 10, 'b.test')]));
  t.deepEqual(mixed.value.map((h) => h.exchange.toText()), ['b.test.']);
});

test('NXDOMAIN → no hosts; SERVFAIL, bogus, indeterminate → failed, never implicit MX', (t) => {
  t.is(mxFromLookup(n('a.test'), lookup(SECURE, [], Rcode.NXDOMAIN)).kind, 'nxdomain');
  for (const l of [SERVFAIL(), SERVFAIL(BOGUS), lookup(BOGUS, [mx('a.test', 10, 'b.test')]), lookup(INDETERMINATE)]) {
    const r = mxFromLookup(n('a.test'), l);
    t.is(r.kind, 'failed');
    t.deepEqual(r.value, []);
    t.is(mxDecision(r).kind, 'unusable');
  }
});

test('MX decisions: secure → dane, insecure → no-dane (RFC 7672 §2.2.1), bogus → unusable bogus', (t) => {
  t.is(mxDecision(mxFromLookup(n('a.test'), lookup(SECURE, [mx('a.test', 1, 'b.test')]))).kind, 'dane');
  t.is(mxDecision(mxFromLookup(n('a.test'), lookup(INSECURE, [mx('a.test', 1, 'b.test')]))).kind, 'no-dane');
  const d = mxDecision(mxFromLookup(n('a.test'), SERVFAIL(BOGUS)));
  t.true(d.kind === 'unusable' && d.security === 'bogus');
});

test('resolveMx asks the source for MX of the domain (trailing dot optional)', async (t) => {
  const src = new TableSource({ 'a.test. MX': lookup(SECURE, [mx('a.test', 10, 'b.test')]) });
  const r = await resolveMx(src, 'a.test');
  t.deepEqual(src.asked, ['a.test. mx']);
  t.is(r.value[0]?.exchange.toText(), 'b.test.');
});
