// outcome.test.ts — Outcome helpers, the weakest-link order of RFC 4035 §4.3, require(), EXTRA-TEXT.
import test from 'ava';
import {
  SECURITY_RANK, bogus, cachedBogus, describe, edeCodes, edeExtraText, indeterminate, insecure,
  makeReason, outcomeFor, require, secure, weakest, type Outcome, type Proven,
} from '../../../src/dnssec/outcome.js';
import { Name } from '../../../src/wire/name.js';

test('security order: bogus < indeterminate < insecure < secure', (t) => {
  t.true(SECURITY_RANK.bogus < SECURITY_RANK.indeterminate);
  t.true(SECURITY_RANK.indeterminate < SECURITY_RANK.insecure);
  t.true(SECURITY_RANK.insecure < SECURITY_RANK.secure);
});

test('weakest() picks the weaker link and keeps the first on ties', (t) => {
  const s1 = secure('a.example.');
  const s2 = secure(Name.fromText('b.example.'));
  const ins = insecure(makeReason('NO_DS_PROVEN', 'c.example.'));
  const ind = indeterminate(makeReason('DNSSEC_DATA_UNREACHABLE', 'd.example.'));
  const bog = bogus(makeReason('SIG_EXPIRED', 'e.example.'));
  t.is(weakest(s1, s2), s1);
  t.is(weakest(s1, ins), ins);
  t.is(weakest(ins, s1), ins);
  t.is(weakest(ins, ind), ind);
  t.is(weakest(ind, bog), bog);
  t.is(weakest(bog, s1), bog);
  const chain: Outcome[] = [s1, ins, s2, ind, s1];
  t.is(chain.reduce(weakest), ind);
  t.is(s2.signer, 'b.example.');
});

test('outcomeFor() takes security and EDE from the table', (t) => {
  const o = outcomeFor('NSEC3_ITERATIONS_SOFT', Name.fromText('slow.example'), '2500 iterations');
  t.is(o.security, 'insecure');
  t.is(o.reason.ede, 27);
  t.is(o.reason.zone, 'slow.example.');
  t.is(describe(o.reason), 'NSEC3 iterations in slow.example. above the insecure limit: 2500 iterations');
  t.is(outcomeFor('NSEC3_ITERATIONS_HARD', '.').security, 'bogus');
  t.is(outcomeFor('NO_TRUST_ANCHOR', 'x.').reason.ede, null);
});

test('constructors refuse a reason of the wrong state', (t) => {
  t.throws(() => insecure(makeReason('SIG_EXPIRED', 'x.')), { code: 'ADBIT_ERR_INVALID_ARG' });
  t.throws(() => bogus(makeReason('NTA_INSECURE', 'x.')), { code: 'ADBIT_ERR_INVALID_ARG' });
  t.throws(() => indeterminate(makeReason('CACHED_BOGUS', 'x.')), { code: 'ADBIT_ERR_INVALID_ARG' });
});

test('require() returns the value only for allowed states', (t) => {
  const good: Proven<string[]> = { value: ['tlsa'], outcome: secure('example.') };
  const bad: Proven<string[]> = { value: ['forged'], outcome: bogus(makeReason('SIGNATURE_INVALID', 'example.')) };
  const r1 = require(good, ['secure']);
  t.true(r1.ok);
  if (r1.ok) t.deepEqual(r1.value, ['tlsa']);
  const r2 = require(bad, ['secure', 'insecure']);
  t.false(r2.ok);
  t.false('value' in r2);
  t.is(r2.outcome.security, 'bogus');
});

test('EXTRA-TEXT is "CODE zone"; cached bogus adds EDE 13 and the original', (t) => {
  const r = makeReason('DS_NO_MATCHING_DNSKEY', 'example.com.');
  t.is(edeExtraText(r), 'DS_NO_MATCHING_DNSKEY example.com.');
  t.deepEqual(edeCodes(r), [9]);
  const c = cachedBogus(r);
  t.is(c.reason.code, 'CACHED_BOGUS');
  t.is(edeExtraText(c.reason), 'CACHED_BOGUS example.com. (DS_NO_MATCHING_DNSKEY)');
  t.deepEqual(edeCodes(c.reason), [13, 9]);
  t.deepEqual(edeCodes(makeReason('NTA_INSECURE', 'x.')), []);
});
