// anchor-updater.ts — the RFC 5011 driver: per trust point, when its §2.3 timer is due, fetch the
// apex DNSKEY RRset through the Fetcher, verify each SEP key's self-signature in one native batch
// (revoked keys included, §2.1), feed rfc5011.observe(), put the trusted keys into the
// TrustAnchorStore and save the state file atomically (anchor-state.ts). A corrupt state file is
// an AnchorStateError from init(): never a silent fallback to the configured anchors.
import type { Clock } from '../util/clock.js';
import { bytesEqual } from '../util/bytes.js';
import { RRType } from '../wire/constants.js';
import { Name } from '../wire/name.js';
import { decodeDNSKEY, DNSKEY_FLAG_REVOKE, DNSKEY_FLAG_SEP, DNSKEY_FLAG_ZONE } from '../wire/rdata/dnskey.js';
import { groupRRsets, type RRset } from '../wire/rrset.js';
import type { TrustAnchor } from './anchor-files.js';
import { loadAnchorState, saveAnchorState } from './anchor-state.js';
import { QueryBudget } from './budget.js';
import type { Fetcher } from './fetcher.js';
import { type ZoneKey, zoneKey } from './key-entry.js';
import { createTrustPoint, fail, inspect, type KeyIdentity, observe, type Transition, type TrustPoint } from './rfc5011.js';
import { checkResponse } from './signatures.js';
import type { TrustAnchorStore } from './trust-anchors.js';

export interface AnchorUpdaterOptions {
  readonly store: TrustAnchorStore;
  readonly fetcher: Fetcher;
  readonly stateFile: string;
  readonly clock: Clock;
  /** Refresh failures, unusable trust points and save errors (the updater keeps running). */
  readonly onError?: (err: Error) => void;
  /** Called after each accepted observation that changed a key state. */
  readonly onTransitions?: (zone: string, transitions: readonly Transition[]) => void;
}

/** Polling bound for the timer: wakes at least hourly so a jumped clock is noticed (§2.3 floor). */
const MAX_SLEEP_MS = 3_600_000;

function anchorsOf(tp: TrustPoint): TrustAnchor[] {
  const owner = Name.fromText(tp.zone);
  return inspect(tp).trusted.flatMap((k): TrustAnchor[] => {
    const dnskey = decodeDNSKEY('DNSKEY', k.rdata);
    return dnskey === null ? [] : [{ type: 'DNSKEY', owner, dnskey, rdata: k.rdata, keyTag: k.keyTag, source: 'rfc5011-state' }];
  });
}

function identity(rdata: Uint8Array): KeyIdentity | null {
  const k = zoneKey(rdata);
  return k === null ? null : { keyTag: k.tag, algorithm: k.algorithm, rdata };
}

/**
 * Which SEP keys of `set` made a valid signature over it, checked in one batch. RFC 5011 §2.1 wants
 * a revoked key's self-signature as proof of revocation, but the native core refuses any key with
 * the REVOKE bit (batch.cc PrecheckVerify → KEY_REVOKED). Until it offers a self-signature mode, a
 * revoked SEP key counts when it carries an RRSIG over the set AND the set verified under another
 * key: the revocation is then authentic data of the zone, and acting on it only withdraws trust.
 */
async function selfSigners(set: RRset, zone: Name, nowSec: number): Promise<{ key: ZoneKey; origTtl: number; expiration: number }[]> {
  const sep = set.records.map((r) => zoneKey(r.rdata)).filter((k): k is ZoneKey => k !== null && (k.flags & DNSKEY_FLAG_ZONE) !== 0 && (k.flags & DNSKEY_FLAG_SEP) !== 0);
  const live = sep.filter((k) => (k.flags & DNSKEY_FLAG_REVOKE) === 0);
  const res = await checkResponse(live.map((k) => ({ rrset: set, signer: zone, keys: [k] })), [], nowSec, new QueryBudget());
  const out = live.flatMap((key, i) => {
    const v = res.verdicts[i];
    return v?.ok === true ? [{ key, origTtl: v.rrsig.originalTtl, expiration: v.rrsig.expiration }] : [];
  });
  // RFC 5011 §2.1: a revoked key counts as revoked only when its own signature over the set verifies.
  const revoked = sep.filter((k) => (k.flags & DNSKEY_FLAG_REVOKE) !== 0);
  if (revoked.length === 0) return out;
  const rv = await checkResponse(revoked.map((k) => ({ rrset: set, signer: zone, keys: [k], allowRevoked: true })), [], nowSec, new QueryBudget());
  revoked.forEach((key, i) => {
    const v = rv.verdicts[i];
    if (v?.ok === true) out.push({ key, origTtl: v.rrsig.originalTtl, expiration: v.rrsig.expiration });
  });
  return out;
}

/** The RFC 5011 updater over every anchored zone of the store. */
export class AnchorUpdater {
  readonly #o: AnchorUpdaterOptions;
  #points: TrustPoint[] = [];

  constructor(options: AnchorUpdaterOptions) {
    this.#o = options;
  }

  get trustPoints(): readonly TrustPoint[] { return this.#points; }

  /**
   * Loads the state file (AnchorStateError when corrupt: the caller must stop), or on first start
   * seeds one trust point per anchored zone from the configured anchors, then puts the trusted keys
   * of every trust point into the store and saves.
   */
  async init(): Promise<void> {
    const loaded = await loadAnchorState(this.#o.stateFile);
    const now = this.#o.clock.nowSec();
    const points = loaded ?? [];
    for (const zone of this.#o.store.zones()) {
      if (points.some((p) => Name.fromText(p.zone).equals(zone))) continue;
      const seed = await this.#seed(zone, now);
      if (seed !== null) points.push(seed);
    }
    this.#points = points;
    for (const tp of points) this.#apply(tp);
    await this.#save();
  }

  /** Refreshes every trust point whose timer is due; returns the earliest next refresh time. */
  async runDue(): Promise<number> {
    let changed = false;
    for (let i = 0; i < this.#points.length; i++) {
      const tp = this.#points[i]!;
      if (tp.nextRefreshSec > this.#o.clock.nowSec()) continue;
      this.#points[i] = await this.#refresh(tp);
      changed = true;
    }
    if (changed) await this.#save();
    return Math.min(...this.#points.map((p) => p.nextRefreshSec));
  }

  /** First start: the configured DNSKEY anchors, or the SEP keys matching a DS anchor that self-sign the set. */
  async #seed(zone: Name, now: number): Promise<TrustPoint | null> {
    const anchors = this.#o.store.anchorsAt(zone);
    const direct = anchors.flatMap((a) => (a.type === 'DNSKEY' ? [identity(a.rdata)].filter((x): x is KeyIdentity => x !== null) : []));
    if (direct.length > 0) return createTrustPoint(zone.toText(), direct, now);
    const set = await this.#fetchSet(zone);
    if (set === null) return null;
    const signers = await selfSigners(set, zone, now);
    const digests = signers.flatMap((s) => anchors.flatMap((a) => (a.type === 'DS' && a.ds.keyTag === s.key.tag && a.ds.algorithm === s.key.algorithm ? [{ s, ds: a.ds }] : [])));
    const res = await checkResponse([], [], now, new QueryBudget(), digests.map((d) => ({ owner: zone, keyRdata: d.s.key.rdata, digestType: d.ds.digestType })));
    const ok = digests.filter((d, i) => { const g = res.digests[i]; return g !== null && g !== undefined && bytesEqual(g, d.ds.digest); });
    if (ok.length === 0) {
      this.#o.onError?.(new Error(`RFC 5011: no DNSKEY of ${zone.toText()} matches its DS anchors; trust point not created`));
      return null;
    }
    return createTrustPoint(zone.toText(), ok.map((d) => identity(d.s.key.rdata)!), now);
  }

  async #fetchSet(zone: Name): Promise<RRset | null> {
    const r = await this.#o.fetcher.fetch(zone, RRType.DNSKEY);
    if (!r.ok) {
      this.#o.onError?.(new Error(`RFC 5011: DNSKEY ${zone.toText()} fetch failed: ${r.failure} ${r.detail}`));
      return null;
    }
    return groupRRsets(r.response.message.answer).find((s) => s.type === RRType.DNSKEY && s.name.equals(zone)) ?? null;
  }

  /** One §2.3 active refresh of `tp`. */
  async #refresh(tp: TrustPoint): Promise<TrustPoint> {
    const now = this.#o.clock.nowSec();
    const zone = Name.fromText(tp.zone);
    const set = await this.#fetchSet(zone);
    if (set === null) return fail(tp, now).trustPoint;
    const signers = await selfSigners(set, zone, now);
    const keys = set.records.map((r) => identity(r.rdata)).filter((k): k is KeyIdentity => k !== null);
    const step = observe(tp, {
      nowSec: now, keys, signedBy: signers.map((s) => identity(s.key.rdata)!),
      origTtlSec: signers.length === 0 ? set.ttl : Math.min(...signers.map((s) => s.origTtl)),
      sigExpirationSec: signers.length === 0 ? now : Math.min(...signers.map((s) => s.expiration)),
    });
    if (!step.accepted) {
      this.#o.onError?.(new Error(`RFC 5011: DNSKEY ${tp.zone} not signed by a trusted key; retry at ${step.trustPoint.nextRefreshSec}`));
      return step.trustPoint;
    }
    if (step.transitions.length > 0) this.#o.onTransitions?.(tp.zone, step.transitions);
    this.#apply(step.trustPoint);
    return step.trustPoint;
  }

  /** The store's anchors of the zone become the trusted keys; an empty set is reported, not hidden. */
  #apply(tp: TrustPoint): void {
    const list = anchorsOf(tp);
    const { condition } = inspect(tp);
    if (condition.kind !== 'ok') {
      this.#o.onError?.(new Error(`RFC 5011: trust point ${tp.zone} has no valid key${condition.allRevoked ? ' (all revoked, RFC 5011 §5)' : ''}`));
    }
    const same = list.length === this.#o.store.anchorsAt(list[0]?.owner ?? Name.fromText(tp.zone)).length
      && list.every((a) => this.#o.store.anchorsAt(a.owner).some((b) => b.type === 'DNSKEY' && a.type === 'DNSKEY' && bytesEqual(a.rdata, b.rdata)));
    if (!same) this.#o.store.replaceZone(Name.fromText(tp.zone), list);
  }

  async #save(): Promise<void> {
    await saveAnchorState(this.#o.stateFile, this.#points);
  }
}

/** What `adbit serve` holds: `ready` rejects with AnchorStateError on a corrupt state file. */
export interface RunningAnchorUpdater {
  readonly ready: Promise<void>;
  readonly updater: AnchorUpdater;
  stop(): void;
}

/**
 * Starts the updater: init() then a timer that sleeps until the earliest due trust point (at
 * most an hour, so clock jumps are noticed). Errors of a round go to onError; the timer goes on.
 */
export function startAnchorUpdater(options: AnchorUpdaterOptions): RunningAnchorUpdater {
  const updater = new AnchorUpdater(options);
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const report = (e: unknown): void => options.onError?.(e instanceof Error ? e : new Error(String(e)));
  const schedule = (nextSec: number): void => {
    if (stopped) return;
    const waitMs = Math.min(MAX_SLEEP_MS, Math.max(1000, nextSec * 1000 - options.clock.nowMs()));
    timer = setTimeout(() => { updater.runDue().then(schedule, (e: unknown) => { report(e); schedule(options.clock.nowSec() + 3600); }); }, waitMs);
    timer.unref();
  };
  const ready = updater.init().then(() => schedule(Math.min(...updater.trustPoints.map((p) => p.nextRefreshSec))));
  ready.catch(report);
  return {
    ready, updater,
    stop() { stopped = true; if (timer !== null) clearTimeout(timer); },
  };
}
