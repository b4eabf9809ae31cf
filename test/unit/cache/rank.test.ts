// rank.test.ts — the RFC 2181 §5.4.1 order, rankFor(), and the replacement matrix of mayReplace().
import test from 'ava';
import { type CacheSecurity, Rank, SECURITY_ORDER, effectiveRank, isWeaker, mayReplace, rankFor } from '../../../src/cache/rank.js';

const ORDER = [Rank.AdditionalNoAA, Rank.AuthorityNoAA, Rank.AnswerNoAA, Rank.AdditionalAA, Rank.AuthorityAA, Rank.AnswerAA, Rank.Validated];

test('ranks are strictly increasing in RFC 2181 §5.4.1 order, validated on top', (t) => {
  for (let i = 1; i < ORDER.length; i++) t.true(ORDER[i]! > ORDER[i - 1]!);
  t.is(Object.keys(Rank).length, ORDER.length);
});

test('rankFor maps section and AA bit', (t) => {
  t.is(rankFor('answer', true), Rank.AnswerAA);
  t.is(rankFor('answer', false), Rank.AnswerNoAA);
  t.is(rankFor('authority', true), Rank.AuthorityAA);
  t.is(rankFor('authority', false), Rank.AuthorityNoAA);
  t.is(rankFor('additional', true), Rank.AdditionalAA);
  t.is(rankFor('additional', false), Rank.AdditionalNoAA);
});

test('security order follows Unbound sec_status', (t) => {
  const order: CacheSecurity[] = ['unchecked', 'bogus', 'indeterminate', 'insecure', 'secure'];
  for (let i = 1; i < order.length; i++) t.true(SECURITY_ORDER[order[i]!] > SECURITY_ORDER[order[i - 1]!]);
});

test('replacement matrix over unchecked ranks: replace iff incoming ≥ existing', (t) => {
  for (const existing of ORDER.slice(0, -1)) {
    for (const incoming of ORDER.slice(0, -1)) {
      const got = mayReplace({ rank: existing, security: 'unchecked' }, { rank: incoming, security: 'unchecked' });
      t.is(got, incoming >= existing, `existing ${existing} incoming ${incoming}`);
    }
  }
});

test('answer data is never replaced by glue or authority data; equal rank replaces', (t) => {
  const answer = { rank: Rank.AnswerAA, security: 'insecure' as const };
  t.false(mayReplace(answer, { rank: Rank.AdditionalAA, security: 'insecure' }));
  t.false(mayReplace(answer, { rank: Rank.AuthorityAA, security: 'unchecked' }));
  t.false(mayReplace(answer, { rank: Rank.AnswerNoAA, security: 'unchecked' }));
  t.true(mayReplace(answer, { rank: Rank.AnswerAA, security: 'insecure' }));
});

test('validated data is replaced only by validated data, or once expired', (t) => {
  const validated = { rank: Rank.AdditionalNoAA, security: 'secure' as const };
  t.is(effectiveRank(validated), Rank.Validated);
  for (const r of ORDER) t.false(mayReplace(validated, { rank: r, security: 'unchecked' }), `rank ${r}`);
  t.false(mayReplace(validated, { rank: Rank.AnswerAA, security: 'insecure' }));
  t.true(mayReplace(validated, { rank: Rank.AdditionalNoAA, security: 'secure' }));
  t.true(mayReplace(validated, { rank: Rank.AdditionalNoAA, security: 'unchecked' }, true));
});

test('secure incoming beats any non-secure; bogus gives way to anything non-bogus', (t) => {
  t.true(mayReplace({ rank: Rank.AnswerAA, security: 'insecure' }, { rank: Rank.AdditionalNoAA, security: 'secure' }));
  t.true(mayReplace({ rank: Rank.AnswerAA, security: 'bogus' }, { rank: Rank.AdditionalNoAA, security: 'unchecked' }));
  t.false(mayReplace({ rank: Rank.AnswerAA, security: 'unchecked' }, { rank: Rank.AdditionalNoAA, security: 'bogus' }));
});

test('isWeaker compares effective rank and security', (t) => {
  t.true(isWeaker({ rank: Rank.AnswerAA, security: 'unchecked' }, { rank: Rank.AnswerAA, security: 'secure' }));
  t.true(isWeaker({ rank: Rank.AnswerNoAA, security: 'insecure' }, { rank: Rank.AnswerAA, security: 'insecure' }));
  t.false(isWeaker({ rank: Rank.AnswerAA, security: 'secure' }, { rank: Rank.AnswerNoAA, security: 'unchecked' }));
  t.false(isWeaker({ rank: Rank.AnswerAA, security: 'insecure' }, { rank: Rank.AnswerAA, security: 'insecure' }));
});
