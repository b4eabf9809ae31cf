// query-match.test.ts — byte-level acceptance verdicts, case rules, 0x20, and OPT option editing.
import test from 'ava';
import { seededRandom } from '../../../src/util/random.js';
import { apply0x20, matchReply, questionsEqual, readId, writeId } from '../../../src/transport/query-match.js';
import { extendedRcode, findOpt, getOption, setOption } from '../../../src/transport/edns-bytes.js';
import { echoReply, makeQuery, qname } from './helpers.js';

test('verdicts: ok, wrong id, not a response, wrong question, malformed', (t) => {
  const q = makeQuery('mail.example.com');
  writeId(q, 0x1234);
  t.is(readId(q), 0x1234);
  t.is(matchReply(q, echoReply(q)), 'ok');
  t.is(matchReply(q, echoReply(q, { id: 0x1235 })), 'wrong-id');
  t.is(matchReply(q, echoReply(q, { qr: false })), 'not-response');
  const other = makeQuery('mail.example.org');
  writeId(other, 0x1234);
  t.is(matchReply(q, echoReply(other)), 'wrong-question');
  const aaaa = makeQuery('mail.example.com', 'AAAA');
  writeId(aaaa, 0x1234);
  t.is(matchReply(q, echoReply(aaaa)), 'wrong-question', 'type must match exactly');
  t.is(matchReply(q, new Uint8Array(5)), 'malformed');
});

test('names compare case-insensitively unless exact case is required', (t) => {
  const q = makeQuery('Mail.Example.COM');
  const lower = makeQuery('mail.example.com');
  t.true(questionsEqual(q, echoReply(lower), false));
  t.false(questionsEqual(q, echoReply(lower), true));
  t.true(questionsEqual(q, echoReply(q), true));
});

test('apply0x20 flips only letters, keeps the name equal ignoring case', (t) => {
  const q = makeQuery('a1-b2.example.com');
  const before = Uint8Array.from(q);
  const letters = apply0x20(q, seededRandom(7));
  t.is(letters, 'abexamplecom'.length);
  t.true(questionsEqual(before, q, false));
  t.false(questionsEqual(before, q, true), 'with this seed at least one letter changed case');
  t.is(qname(q).toLowerCase(), 'a1-b2.example.com');
  // Digits and hyphens untouched; header untouched.
  t.deepEqual(q.subarray(0, 12), before.subarray(0, 12));
});

test('OPT: find, set and replace the COOKIE option, extended rcode', (t) => {
  const q = makeQuery('example.com', 'A', true);
  t.truthy(findOpt(q));
  t.is(findOpt(makeQuery('example.com')), undefined);
  t.is(setOption(makeQuery('example.com'), 10, new Uint8Array(8)), undefined, 'no OPT, no option');
  const c1 = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const w1 = setOption(q, 10, c1)!;
  t.deepEqual(getOption(w1, 10), c1);
  const c2 = new Uint8Array(24).fill(9);
  const w2 = setOption(w1, 10, c2)!;
  t.deepEqual(getOption(w2, 10), c2);
  t.is(w2.length, q.length + 4 + 24, 'replaced, not appended twice');
  t.is(qname(w2), 'example.com');
  const r = echoReply(w2, { rcode: 7 });
  const opt = findOpt(r)!;
  r[opt.ttlAt] = 1; // upper 8 bits of the rcode: 1<<4 | 7 = 23 (BADCOOKIE)
  t.is(extendedRcode(r), 23);
});
