// policy.test.ts — RFC 8624/9904 algorithm and digest tables, RSA bounds, RFC 4509 §3 and
// RFC 6840 §5.2 DS-set rules, and the limits' derived values.
import test from 'ava';
import {
  classifyDsSet, isAlgorithmSupported, isDigestSupported, isRsaModulusAcceptable, usableDs,
} from '../../../src/dnssec/policy.js';
import { NSEC3_ITERATIONS_HARD, NSEC3_ITERATIONS_SOFT, signatureSkewSec } from '../../../src/dnssec/limits.js';

test('algorithm table (RFC 8624 §3.1)', (t) => {
  for (const a of [5, 7, 8, 10, 13, 14, 15, 16]) t.true(isAlgorithmSupported(a), `alg ${a}`);
  for (const a of [0, 1, 2, 3, 4, 6, 9, 11, 12, 17, 252, 253, 254, 255]) t.false(isAlgorithmSupported(a), `alg ${a}`);
  t.false(isAlgorithmSupported(5, { sha1AlgorithmsUnsupported: true }));
  t.false(isAlgorithmSupported(7, { sha1AlgorithmsUnsupported: true }));
  t.true(isAlgorithmSupported(8, { sha1AlgorithmsUnsupported: true }));
});

test('digest table (RFC 8624 §3.3)', (t) => {
  for (const d of [1, 2, 4]) t.true(isDigestSupported(d), `digest ${d}`);
  for (const d of [0, 3, 5, 6, 7, 255]) t.false(isDigestSupported(d), `digest ${d}`);
});

test('RSA modulus bounds', (t) => {
  t.true(isRsaModulusAcceptable(8, 2048));
  t.true(isRsaModulusAcceptable(8, 512));
  t.false(isRsaModulusAcceptable(8, 511));
  t.false(isRsaModulusAcceptable(8, 4097));
  t.false(isRsaModulusAcceptable(10, 768));
  t.false(isRsaModulusAcceptable(13, 256));
});

const ds = (keyTag: number, algorithm: number, digestType: number) => ({ keyTag, algorithm, digestType });

test('SHA-1 DS ignored when a usable SHA-256 DS is present (RFC 4509 §3)', (t) => {
  t.deepEqual(usableDs([ds(1, 8, 1), ds(1, 8, 2)]), [ds(1, 8, 2)]);
  t.deepEqual(usableDs([ds(1, 8, 1), ds(2, 13, 4)]), [ds(2, 13, 4)]);
  t.deepEqual(usableDs([ds(1, 8, 1)]), [ds(1, 8, 1)]);
  // A SHA-256 DS with an unsupported algorithm must not make the supported SHA-1 DS unusable.
  t.deepEqual(usableDs([ds(1, 8, 1), ds(2, 12, 2)]), [ds(1, 8, 1)]);
});

test('no usable DS → insecure, with the EDE-selecting verdict (RFC 6840 §5.2)', (t) => {
  t.deepEqual(classifyDsSet([ds(1, 12, 2), ds(2, 1, 2)]), { kind: 'unsupported-algorithm' });
  t.deepEqual(classifyDsSet([ds(1, 8, 3), ds(2, 8, 99)]), { kind: 'unsupported-digest' });
  const v = classifyDsSet([ds(1, 8, 3), ds(2, 13, 2)]);
  t.is(v.kind, 'usable');
  if (v.kind === 'usable') t.deepEqual(v.usable, [ds(2, 13, 2)]);
});

test('limits: NSEC3 soft < hard; skew is 10 % clamped to [1 h, 1 d]', (t) => {
  t.true(NSEC3_ITERATIONS_SOFT < NSEC3_ITERATIONS_HARD);
  t.is(signatureSkewSec(0, 1000), 3600);
  t.is(signatureSkewSec(0, 30 * 86400), 86400);
  t.is(signatureSkewSec(0, 100_000), 10_000);
  t.is(signatureSkewSec(100, 0), 3600);
});
