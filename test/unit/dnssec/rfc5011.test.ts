// rfc5011.test.ts — RFC 5011 scenarios at a fake clock: add hold-down (§2.4.1), KeyRem during
// hold-down, Missing/KeyPres, authenticated revocation (§2.1) and RemTime (§2.4.2), rejected
// unvalidated observations, refresh/retry timers (§2.3), and the explicit no-valid-keys condition.
import test from 'ava';
import {
  createTrustPoint, fail, inspect, observe, refreshIntervalSec, retryIntervalSec,
  type KeyIdentity, type TrustPoint,
} from '../../../src/dnssec/rfc5011.js';
import { keyTag } from '../../../src/wire/rdata/dnskey.js';

const DAY = 86_400;
const T0 = 1_700_000_000;

function key(seed: number, flags = 257): KeyIdentity {
  const rdata = Uint8Array.from([flags >> 8, flags & 0xff, 3, 8, 3, 1, 0, 1, seed, seed ^ 0x5a, 7, 9]);
  return { keyTag: keyTag(rdata), algorithm: 8, rdata };
}
const revoked = (seed: number): KeyIdentity => key(seed, 257 | 0x80);
const A = key(1);
const B = key(2);
const C = key(3);

function see(tp: TrustPoint, nowSec: number, keys: KeyIdentity[], signedBy: KeyIdentity[] = [A]) {
  return observe(tp, { nowSec, keys, signedBy, origTtlSec: 2 * DAY, sigExpirationSec: nowSec + 14 * DAY });
}
const stateOf = (tp: TrustPoint, k: KeyIdentity) => tp.keys.find((x) => x.keyTag === keyTag(Uint8Array.from([...k.rdata.subarray(0, 1), k.rdata[1]! & ~0x80, ...k.rdata.subarray(2)])))?.state ?? 'Start';

test('new key: AddPend, not Valid before 30 days, Valid after', (t) => {
  let tp = createTrustPoint('.', [A], T0);
  let r = see(tp, T0, [A, B]);
  t.true(r.accepted);
  t.deepEqual(r.transitions, [{ keyTag: B.keyTag, from: 'Start', to: 'AddPend' }]);
  tp = r.trustPoint;
  t.is(stateOf(tp, B), 'AddPend');
  t.is(r.trusted.length, 1);
  r = see(tp, T0 + 30 * DAY - 1, [A, B]);
  tp = r.trustPoint;
  t.is(stateOf(tp, B), 'AddPend');
  r = see(tp, T0 + 30 * DAY, [A, B]);
  tp = r.trustPoint;
  t.is(stateOf(tp, B), 'Valid');
  t.deepEqual(r.trusted.map((k) => k.keyTag).sort(), [A.keyTag, B.keyTag].sort());
});

test('add hold-down is the original TTL when that is longer than 30 days', (t) => {
  const tp = createTrustPoint('.', [A], T0);
  const r = observe(tp, { nowSec: T0, keys: [A, B], signedBy: [A], origTtlSec: 40 * DAY, sigExpirationSec: T0 + 60 * DAY });
  const r2 = see(r.trustPoint, T0 + 35 * DAY, [A, B]);
  t.is(stateOf(r2.trustPoint, B), 'AddPend');
  t.is(stateOf(see(r2.trustPoint, T0 + 40 * DAY, [A, B]).trustPoint, B), 'Valid');
});

test('a key missing during its hold-down goes back to Start and restarts the timer', (t) => {
  let tp = see(createTrustPoint('.', [A], T0), T0, [A, B]).trustPoint;
  const r = see(tp, T0 + 10 * DAY, [A]);
  t.deepEqual(r.transitions, [{ keyTag: B.keyTag, from: 'AddPend', to: 'Start' }]);
  tp = r.trustPoint;
  t.is(stateOf(tp, B), 'Start');
  tp = see(tp, T0 + 20 * DAY, [A, B]).trustPoint;
  tp = see(tp, T0 + 31 * DAY, [A, B]).trustPoint;
  t.is(stateOf(tp, B), 'AddPend', 'old hold-down must not count');
  tp = see(tp, T0 + 50 * DAY, [A, B]).trustPoint;
  t.is(stateOf(tp, B), 'Valid');
});

test('Valid → Missing (still trusted) → Valid on KeyPres', (t) => {
  let tp = createTrustPoint('.', [A, B], T0);
  let r = see(tp, T0 + DAY, [A]);
  tp = r.trustPoint;
  t.is(stateOf(tp, B), 'Missing');
  t.is(r.trusted.length, 2);
  t.deepEqual(r.condition, { kind: 'ok' });
  r = see(tp, T0 + 2 * DAY, [A, B]);
  t.is(stateOf(r.trustPoint, B), 'Valid');
});

test('revocation needs the self-signature; Revoked → Removed after the remove hold-down', (t) => {
  let tp = createTrustPoint('.', [A, B], T0);
  // REVOKE bit without a verified self-signature: ignored (key unchanged).
  tp = see(tp, T0 + DAY, [revoked(1), B], [B]).trustPoint;
  t.is(stateOf(tp, A), 'Valid');
  // Self-signed revocation.
  let r = see(tp, T0 + 2 * DAY, [revoked(1), B], [revoked(1), B]);
  tp = r.trustPoint;
  t.is(stateOf(tp, A), 'Revoked');
  t.deepEqual(r.trusted.map((k) => k.keyTag), [B.keyTag]);
  // Re-published without the bit: still never trusted again (§2.1).
  tp = see(tp, T0 + 3 * DAY, [A, B], [B]).trustPoint;
  t.is(stateOf(tp, A), 'Revoked');
  // Gone from the RRset: removed only once the hold-down since it was last seen has passed.
  tp = see(tp, T0 + 3 * DAY + 30 * DAY - 1, [B], [B]).trustPoint;
  t.is(stateOf(tp, A), 'Revoked');
  r = see(tp, T0 + 33 * DAY, [B], [B]);
  t.is(stateOf(r.trustPoint, A), 'Removed');
  t.deepEqual(r.transitions, [{ keyTag: A.keyTag, from: 'Revoked', to: 'Removed' }]);
});

test('a key revoked while AddPend never becomes Valid', (t) => {
  let tp = see(createTrustPoint('.', [A], T0), T0, [A, B]).trustPoint;
  tp = see(tp, T0 + DAY, [A, revoked(2)], [A, revoked(2)]).trustPoint;
  t.is(stateOf(tp, B), 'Revoked');
  tp = see(tp, T0 + 40 * DAY, [A, B]).trustPoint;
  t.is(stateOf(tp, B), 'Revoked');
});

test('observations not signed by a trusted key change nothing and schedule a retry', (t) => {
  const tp = see(createTrustPoint('.', [A], T0), T0, [A]).trustPoint;
  const r = see(tp, T0 + DAY, [C], [C]);
  t.false(r.accepted);
  t.deepEqual(r.trustPoint.keys, tp.keys);
  t.is(r.trustPoint.nextRefreshSec, T0 + DAY + retryIntervalSec(2 * DAY, 14 * DAY));
});

test('never silently empty: revoking the only key reports no-valid-keys', (t) => {
  const r = see(createTrustPoint('.', [A], T0), T0 + DAY, [revoked(1)], [revoked(1)]);
  t.true(r.accepted);
  t.deepEqual(r.trusted, []);
  t.deepEqual(r.condition, { kind: 'no-valid-keys', allRevoked: true });
  t.deepEqual(inspect(r.trustPoint).condition, { kind: 'no-valid-keys', allRevoked: true });
});

test('non-SEP and non-zone keys are not tracked', (t) => {
  const zsk = key(9, 256);
  const r = see(createTrustPoint('.', [A], T0), T0, [A, zsk, key(10, 1)]);
  t.is(r.trustPoint.keys.length, 1);
});

test('refresh and retry timers (§2.3)', (t) => {
  t.is(refreshIntervalSec(2 * DAY, 10 * DAY), DAY);
  t.is(refreshIntervalSec(7200, 10 * DAY), 3600);
  t.is(refreshIntervalSec(100, 100), 3600);
  t.is(refreshIntervalSec(100 * DAY, 60 * DAY), 15 * DAY);
  t.is(refreshIntervalSec(100 * DAY, 4 * DAY), 2 * DAY);
  t.is(retryIntervalSec(2 * DAY, 10 * DAY), 17_280);
  t.is(retryIntervalSec(1000, 10 * DAY), 3600);
  t.is(retryIntervalSec(100 * DAY, 100 * DAY), DAY);
  const tp = see(createTrustPoint('.', [A], T0), T0, [A]).trustPoint;
  t.is(tp.nextRefreshSec, T0 + DAY);
  t.is(fail(tp, T0 + 5).trustPoint.nextRefreshSec, T0 + 5 + 17_280);
  t.is(fail(createTrustPoint('.', [A], T0), T0).trustPoint.nextRefreshSec, T0 + 3600);
});
