// rfc5011.ts — the pure RFC 5011 state machine of one trust point: key states (§4.2), the event
// table (§4.4), add/remove hold-down (§2.4.1, §2.4.2), revocation (§2.1), active refresh and retry
// timers (§2.3). No I/O and no clock: every input carries `nowSec`. The caller validates; only a
// DNSKEY RRset signed by a currently trusted key may change state (§2: "validated" RRsets only).
import { InvalidArgumentError } from '../util/errors.js';
import { DNSKEY_FLAG_REVOKE as FLAG_REVOKE, DNSKEY_FLAG_SEP as FLAG_SEP, DNSKEY_FLAG_ZONE as FLAG_ZONE, keyTag } from '../wire/rdata/dnskey.js';
import {
  RFC5011_ADD_HOLD_DOWN_SEC, RFC5011_REFRESH_MAX_SEC, RFC5011_REFRESH_MIN_SEC,
  RFC5011_REMOVE_HOLD_DOWN_SEC, RFC5011_RETRY_MAX_SEC,
} from './limits.js';

/** RFC 5011 §4.2 key states (Start is implicit: a key we do not track). */
export const KeyState = {
  Start: 'Start', AddPend: 'AddPend', Valid: 'Valid', Missing: 'Missing', Revoked: 'Revoked', Removed: 'Removed',
} as const;
export type KeyState = (typeof KeyState)[keyof typeof KeyState];

/** A DNSKEY as the caller saw it: RDATA (flags, protocol 3, algorithm, public key) and its tag. */
export interface KeyIdentity {
  readonly keyTag: number;
  readonly algorithm: number;
  readonly rdata: Uint8Array;
}

/** One tracked key. `rdata` has the REVOKE bit cleared: that is the key's identity (§2.1). */
export interface TrackedKey {
  readonly rdata: Uint8Array;
  readonly keyTag: number; // tag of the non-revoked form
  readonly algorithm: number;
  readonly state: Exclude<KeyState, 'Start'>;
  readonly firstSeenSec: number;
  readonly lastSeenSec: number;
  readonly lastChangeSec: number;
  /** AddPend only: the earliest time a validated observation may promote it (§2.4.1). */
  readonly addHoldDownUntilSec: number;
}

/** The persisted state of one trust point. */
export interface TrustPoint {
  readonly zone: string;
  readonly keys: readonly TrackedKey[];
  readonly lastSuccessSec: number; // 0 = never refreshed
  readonly nextRefreshSec: number;
  readonly lastOrigTtlSec: number;
  readonly lastExpireIntervalSec: number;
}

/** A validated DNSKEY RRset of the trust point's apex, as fetched at `nowSec`. */
export interface Observation {
  readonly nowSec: number;
  /** The whole DNSKEY RRset. */
  readonly keys: readonly KeyIdentity[];
  /** Keys whose RRSIG over this RRset verified, including revoked keys' self-signatures (§2.1). */
  readonly signedBy: readonly KeyIdentity[];
  /** Original TTL of the DNSKEY RRset (from its RRSIG). */
  readonly origTtlSec: number;
  /** Earliest expiration (absolute, seconds) of the verifying RRSIGs. */
  readonly sigExpirationSec: number;
}

/** The trusted set and an explicit health condition: never an unnoticed empty set. */
export type TrustCondition =
  | { readonly kind: 'ok' }
  /** No Valid/Missing key. `allRevoked`: every key was revoked (§5 trust point deletion). */
  | { readonly kind: 'no-valid-keys'; readonly allRevoked: boolean };

export interface Transition { readonly keyTag: number; readonly from: KeyState; readonly to: KeyState }

export interface StepResult {
  readonly trustPoint: TrustPoint;
  /** 'rejected': no signer is currently trusted, so the observation changed nothing but the timer. */
  readonly accepted: boolean;
  readonly transitions: readonly Transition[];
  readonly trusted: readonly TrackedKey[];
  readonly condition: TrustCondition;
}

function flagsOf(rdata: Uint8Array): number {
  if (rdata.length < 4) throw new InvalidArgumentError('DNSKEY RDATA shorter than 4 octets');
  return ((rdata[0] ?? 0) << 8) | (rdata[1] ?? 0);
}

/** RDATA with the REVOKE bit cleared: the identity that survives revocation (§2.1, §5). */
export function unrevoked(rdata: Uint8Array): Uint8Array {
  const out = Uint8Array.from(rdata);
  out[1] = (out[1] ?? 0) & ~FLAG_REVOKE;
  return out;
}

function idOf(rdata: Uint8Array): string {
  return Buffer.from(unrevoked(rdata)).toString('hex');
}

/** True for keys RFC 5011 tracks: zone keys with the SEP bit (§2: "a new SEP key"). */
function isTrackable(rdata: Uint8Array): boolean {
  const f = flagsOf(rdata);
  return (f & FLAG_ZONE) !== 0 && (f & FLAG_SEP) !== 0;
}

/** RFC 5011 §2.3: queryInterval = MAX(1 hr, MIN(15 days, 1/2 OrigTTL, 1/2 RRSigExpirationInterval)). */
export function refreshIntervalSec(origTtlSec: number, expireIntervalSec: number): number {
  const v = Math.min(RFC5011_REFRESH_MAX_SEC, Math.floor(origTtlSec / 2), Math.floor(expireIntervalSec / 2));
  return Math.max(RFC5011_REFRESH_MIN_SEC, v);
}

/** RFC 5011 §2.3: retryTime = MAX(1 hour, MIN(1 day, .1 * origTTL, .1 * expireInterval)). */
export function retryIntervalSec(origTtlSec: number, expireIntervalSec: number): number {
  const v = Math.min(RFC5011_RETRY_MAX_SEC, Math.floor(origTtlSec / 10), Math.floor(expireIntervalSec / 10));
  return Math.max(RFC5011_REFRESH_MIN_SEC, v);
}

/** A new trust point whose configured anchor keys (already matched against DS anchors) are Valid. */
export function createTrustPoint(zone: string, anchors: readonly KeyIdentity[], nowSec: number): TrustPoint {
  if (anchors.length === 0) throw new InvalidArgumentError(`trust point ${zone} needs at least one key`);
  const keys = anchors.map((k): TrackedKey => {
    const rdata = unrevoked(k.rdata);
    return { rdata, keyTag: keyTag(rdata), algorithm: k.algorithm, state: 'Valid', firstSeenSec: nowSec, lastSeenSec: nowSec, lastChangeSec: nowSec, addHoldDownUntilSec: 0 };
  });
  return { zone, keys, lastSuccessSec: 0, nextRefreshSec: nowSec, lastOrigTtlSec: 0, lastExpireIntervalSec: 0 };
}

/** Keys usable as trust anchors now: Valid and Missing (§4.2: Missing "remains a valid trust-point key"). */
export function trustedKeys(tp: TrustPoint): TrackedKey[] {
  return tp.keys.filter((k) => k.state === 'Valid' || k.state === 'Missing');
}

function conditionOf(tp: TrustPoint): TrustCondition {
  if (trustedKeys(tp).length > 0) return { kind: 'ok' };
  return { kind: 'no-valid-keys', allRevoked: tp.keys.length > 0 && tp.keys.every((k) => k.state === 'Revoked' || k.state === 'Removed') };
}

/** Current trusted set and condition without an observation (e.g. after loading state). */
export function inspect(tp: TrustPoint): { trusted: TrackedKey[]; condition: TrustCondition } {
  return { trusted: trustedKeys(tp), condition: conditionOf(tp) };
}

/**
 * Applies one validated DNSKEY observation (§4.4 table):
 *   Start --NewKey--> AddPend --AddTime--> Valid --KeyRem--> Missing --KeyPres--> Valid
 *   AddPend --KeyRem--> Start;  Valid|Missing --Revbit--> Revoked --RemTime--> Removed
 * Revbit also moves AddPend and unknown keys to Revoked: §2.1 says a key seen revoked MUST NOT be
 * used as a trust anchor "at any time in the future", so it must never finish its hold-down.
 * A revoked key counts only if its own signature verified (in `signedBy`); a REVOKE bit without
 * the self-signature is treated as the key being present and unchanged.
 */
export function observe(tp: TrustPoint, obs: Observation): StepResult {
  const now = obs.nowSec;
  const expireInterval = Math.max(0, obs.sigExpirationSec - now);
  const trustedIds = new Set(trustedKeys(tp).map((k) => idOf(k.rdata)));
  if (!obs.signedBy.some((s) => trustedIds.has(idOf(s.rdata)))) {
    // §2: only RRsets validated by a current trust anchor count. Retry as for a failed query.
    return { ...fail(tp, now), accepted: false };
  }
  const selfSigned = new Set(obs.signedBy.filter((s) => (flagsOf(s.rdata) & FLAG_REVOKE) !== 0).map((s) => idOf(s.rdata)));
  const byId = new Map(tp.keys.map((k) => [idOf(k.rdata), k] as const));
  const seen = new Set<string>();
  const next: TrackedKey[] = [];
  const transitions: Transition[] = [];
  const move = (k: TrackedKey, to: TrackedKey['state'], extra: Partial<TrackedKey> = {}): TrackedKey => {
    if (k.state !== to) transitions.push({ keyTag: k.keyTag, from: k.state, to });
    return { ...k, ...extra, state: to, lastChangeSec: k.state !== to ? now : k.lastChangeSec };
  };

  for (const key of obs.keys) {
    if (!isTrackable(key.rdata)) continue;
    const id = idOf(key.rdata);
    if (seen.has(id)) continue;
    seen.add(id);
    const revoked = (flagsOf(key.rdata) & FLAG_REVOKE) !== 0 && selfSigned.has(id);
    const old = byId.get(id);
    if (old === undefined) {
      const rdata = unrevoked(key.rdata);
      const fresh: TrackedKey = {
        rdata, keyTag: keyTag(rdata), algorithm: key.algorithm, state: revoked ? 'Revoked' : 'AddPend',
        firstSeenSec: now, lastSeenSec: now, lastChangeSec: now,
        // §2.4.1: 30 days or the expiry of the original TTL of the first RRset holding it, whichever is greater.
        addHoldDownUntilSec: revoked ? 0 : now + Math.max(RFC5011_ADD_HOLD_DOWN_SEC, obs.origTtlSec),
      };
      transitions.push({ keyTag: fresh.keyTag, from: 'Start', to: fresh.state });
      next.push(fresh);
      continue;
    }
    const k = { ...old, lastSeenSec: now };
    switch (k.state) {
      case 'AddPend':
        next.push(revoked ? move(k, 'Revoked') : now >= k.addHoldDownUntilSec ? move(k, 'Valid') : k);
        break;
      case 'Valid':
      case 'Missing':
        next.push(revoked ? move(k, 'Revoked') : move(k, 'Valid'));
        break;
      case 'Revoked':
      case 'Removed':
        next.push(k); // never trusted again (§2.1); Removed keys are not re-introduced (§4.2)
        break;
      default: {
        const never: never = k.state;
        throw new InvalidArgumentError(`unknown key state ${String(never)}`);
      }
    }
  }

  for (const k of tp.keys) {
    if (seen.has(idOf(k.rdata))) continue;
    switch (k.state) {
      case 'AddPend':
        transitions.push({ keyTag: k.keyTag, from: 'AddPend', to: 'Start' }); // KeyRem: hold-down resets
        break;
      case 'Valid':
        next.push(move(k, 'Missing'));
        break;
      case 'Missing':
      case 'Removed':
        next.push(k);
        break;
      case 'Revoked':
        // RemTime (§2.4.2): missing from the RRset for the remove hold-down since last seen.
        next.push(now >= k.lastSeenSec + RFC5011_REMOVE_HOLD_DOWN_SEC ? move(k, 'Removed') : k);
        break;
      default: {
        const never: never = k.state;
        throw new InvalidArgumentError(`unknown key state ${String(never)}`);
      }
    }
  }

  const trustPoint: TrustPoint = {
    ...tp, keys: next, lastSuccessSec: now, lastOrigTtlSec: obs.origTtlSec, lastExpireIntervalSec: expireInterval,
    nextRefreshSec: now + refreshIntervalSec(obs.origTtlSec, expireInterval),
  };
  return { trustPoint, accepted: true, transitions, trusted: trustedKeys(trustPoint), condition: conditionOf(trustPoint) };
}

/** A failed refresh (timeout, bogus, unsigned RRset): schedule the §2.3 retry, states unchanged. */
export function fail(tp: TrustPoint, nowSec: number): Omit<StepResult, 'accepted'> & { accepted: false } {
  // Before the first success we know no TTL: retry hourly (the §2.3 floor).
  const retry = tp.lastSuccessSec === 0 ? RFC5011_REFRESH_MIN_SEC : retryIntervalSec(tp.lastOrigTtlSec, tp.lastExpireIntervalSec);
  const trustPoint: TrustPoint = { ...tp, nextRefreshSec: nowSec + retry };
  return { trustPoint, accepted: false, transitions: [], trusted: trustedKeys(trustPoint), condition: conditionOf(trustPoint) };
}
