// reasons.test.ts — the ReasonCode table is complete and consistent with ARCHITECTURE §8 and
// RFC 8914: every code has a security state, an EDE (or a deliberate null), a message and an RFC.
import test from 'ava';
import { Ede, EDE_NAMES, edeName, isKnownEde } from '../../../src/dnssec/ede.js';
import { REASON_CODES, REASONS, isReasonCode, reasonInfo } from '../../../src/dnssec/reasons.js';

test('every ReasonCode has a non-secure security, an EDE decision, a message with {zone} and an RFC', (t) => {
  t.true(REASON_CODES.length >= 25);
  for (const code of REASON_CODES) {
    const r = reasonInfo(code);
    t.true(['insecure', 'bogus', 'indeterminate'].includes(r.security), code);
    t.true(r.ede === null || isKnownEde(r.ede), code);
    t.true(r.message.includes('{zone}'), code);
    t.regex(r.rfc, /RFC \d+|CVE-\d{4}-\d+/, code);
  }
});

test('only insecure or indeterminate codes may omit the EDE', (t) => {
  const noEde = REASON_CODES.filter((c) => REASONS[c].ede === null);
  t.deepEqual(noEde.sort(), ['NO_DS_PROVEN', 'NO_TRUST_ANCHOR', 'NSEC3_OPT_OUT', 'NTA_INSECURE', 'REMOTE_INSECURE']);
  for (const c of REASON_CODES) if (REASONS[c].security === 'bogus') t.not(REASONS[c].ede, null, c);
});

test('the ARCHITECTURE §8 mapping', (t) => {
  const want: Array<[string, string, number | null]> = [
    ['DNSKEY_ALG_UNSUPPORTED', 'insecure', 1], ['DS_DIGEST_UNSUPPORTED', 'insecure', 2],
    ['SIG_EXPIRED', 'bogus', 7], ['SIG_NOT_YET_VALID', 'bogus', 8], ['SIG_EXPIRED_BEFORE_INCEPTION', 'bogus', 25],
    ['DS_NO_MATCHING_DNSKEY', 'bogus', 9], ['DNSKEY_MISSING', 'bogus', 9], ['RRSIGS_MISSING', 'bogus', 10],
    ['NO_ZONE_KEY_BIT', 'bogus', 11], ['NSEC_PROOF_MISSING', 'bogus', 12], ['NSEC3_PROOF_MISSING', 'bogus', 12],
    ['DS_ABSENCE_UNPROVEN', 'bogus', 12], ['NSEC3_ITERATIONS_SOFT', 'insecure', 27], ['NSEC3_ITERATIONS_HARD', 'bogus', 27],
    ['SIGNATURE_INVALID', 'bogus', 6], ['KEY_REVOKED_ONLY', 'bogus', 6], ['VALIDATION_BUDGET_EXCEEDED', 'bogus', 6],
    ['NSEC3_HASH_BUDGET_EXCEEDED', 'bogus', 6], ['NO_TRUST_ANCHOR', 'indeterminate', null],
    ['DNSSEC_DATA_UNREACHABLE', 'indeterminate', 22], ['DNSSEC_NETWORK_ERROR', 'indeterminate', 23],
    ['CACHED_BOGUS', 'bogus', 13], ['MALFORMED_RESPONSE', 'indeterminate', 24], ['NTA_INSECURE', 'insecure', null],
    ['REMOTE_INSECURE', 'insecure', null], ['REMOTE_NO_ANSWER', 'indeterminate', 22], ['REMOTE_UNREACHABLE', 'indeterminate', 23],
  ];
  for (const [code, sec, ede] of want) {
    t.true(isReasonCode(code), code);
    if (!isReasonCode(code)) continue;
    const row: { security: string; ede: number | null } = REASONS[code];
    t.is(row.security, sec, code);
    t.is(row.ede, ede, code);
  }
  t.false(isReasonCode('toString'));
  t.false(isReasonCode('NOPE'));
});

test('EDE table covers INFO-CODEs 0..30 with names', (t) => {
  const codes = Object.values(Ede).sort((a, b) => a - b);
  t.deepEqual(codes, Array.from({ length: 31 }, (_, i) => i));
  for (const c of codes) t.true(EDE_NAMES[c].length > 0);
  t.is(edeName(27), 'Unsupported NSEC3 Iterations Value');
  t.is(edeName(6), 'DNSSEC Bogus');
  t.is(edeName(99), 'INFO-CODE 99');
  t.false(isKnownEde(31));
});
