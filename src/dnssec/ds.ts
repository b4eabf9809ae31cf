// ds.ts — DNSKEY RRset authentication from a DS set or trust anchors (RFC 4035 §5.2, RFC 4034 §5):
// keys whose tag and algorithm match a usable DS (policy.ts: RFC 4509 §3, RFC 6840 §5.2) are
// digested and their self-signatures over the DNSKEY RRset verified in ONE batch (one task per
// candidate key so a key counts only if its digest matched AND it signed the set). KeyTrap: at
// most MAX_KEYS_PER_KEY_TAG candidate keys per DS and MAX_DS_MATCH_FAILURES DS records tried.
import { bytesEqual } from '../util/bytes.js';
import { RRType } from '../wire/constants.js';
import type { Name } from '../wire/name.js';
import type { DSRdata } from '../wire/rdata/ds.js';
import type { RRset } from '../wire/rrset.js';
import type { QueryBudget } from './budget.js';
import { type KeyEntry, type ZoneKey, failedEntry, secureEntry, zoneKey } from './key-entry.js';
import { BOGUS_TTL_SEC, MAX_DS_MATCH_FAILURES, MAX_KEYS_PER_KEY_TAG } from './limits.js';
import { makeReason } from './outcome.js';
import { REASONS, type ReasonCode } from './reasons.js';
import { checkResponse, type SigTask } from './signatures.js';

/** How the DNSKEY set is anchored: usable DS records, or DNSKEY trust anchors (exact RDATA). */
export type KeyAnchor = { readonly kind: 'ds'; readonly ds: readonly DSRdata[] } | { readonly kind: 'dnskey'; readonly rdatas: readonly Uint8Array[] };

/** A failed entry for `code` at `zone`, cached per the table's state. */
export function entryFor(zone: Name, code: ReasonCode, nowSec: number, detail?: string, ttlSec = BOGUS_TTL_SEC): KeyEntry {
  return failedEntry(zone, makeReason(code, zone, detail), REASONS[code].security, nowSec + ttlSec);
}

/**
 * Authenticates the DNSKEY RRset of `zone` (found in `answer`) against `anchor`. Returns a
 * secure entry holding every key of the set, or a bogus one with the precise reason.
 */
export async function authenticateDnskeys(zone: Name, answer: readonly RRset[], anchor: KeyAnchor, nowSec: number, budget: QueryBudget): Promise<KeyEntry> {
  const set = answer.find((s) => s.type === RRType.DNSKEY && s.name.equals(zone));
  if (set === undefined || set.records.length === 0) return entryFor(zone, 'DS_NO_MATCHING_DNSKEY', nowSec, 'no DNSKEY RRset in the response');
  const keys = set.records.map((r) => zoneKey(r.rdata)).filter((k): k is ZoneKey => k !== null);
  const candidates: ZoneKey[] = [];
  const digests: { key: ZoneKey; ds: DSRdata }[] = [];
  if (anchor.kind === 'dnskey') {
    for (const k of keys) if (anchor.rdatas.some((a) => bytesEqual(a, k.rdata))) candidates.push(k);
  } else {
    for (const ds of anchor.ds.slice(0, MAX_DS_MATCH_FAILURES)) {
      const tagged = keys.filter((k) => k.tag === ds.keyTag && k.algorithm === ds.algorithm).slice(0, MAX_KEYS_PER_KEY_TAG);
      for (const k of tagged) {
        digests.push({ key: k, ds });
        if (!candidates.includes(k)) candidates.push(k);
      }
    }
  }
  if (candidates.length === 0) return entryFor(zone, 'DS_NO_MATCHING_DNSKEY', nowSec, 'no DNSKEY has the tag and algorithm of a DS or anchor');
  const tasks: SigTask[] = candidates.map((k) => ({ rrset: set, signer: zone, keys: [k] }));
  const res = await checkResponse(tasks, [], nowSec, budget, digests.map((d) => ({ owner: zone, keyRdata: d.key.rdata, digestType: d.ds.digestType })));
  const matched = new Set<ZoneKey>(anchor.kind === 'dnskey' ? candidates : []);
  digests.forEach((d, i) => {
    const got = res.digests[i];
    if (got !== null && got !== undefined && bytesEqual(got, d.ds.digest)) matched.add(d.key);
  });
  if (matched.size === 0) return entryFor(zone, 'DS_NO_MATCHING_DNSKEY', nowSec, 'no DNSKEY digest equals a DS digest');
  const codes: ReasonCode[] = [];
  for (let i = 0; i < candidates.length; i++) {
    if (!matched.has(candidates[i]!)) continue;
    const v = res.verdicts[i]!;
    if (v.ok) return secureEntry(zone, keys, nowSec + Math.max(1, v.ttlSec));
    codes.push(v.code);
  }
  // A DS-matched key that made no signature over the set: the signature is missing (EDE 10),
  // not the key (the README's "DNSKEY RRset not signed by the DS-named KSK" case).
  const code = codes.every((c) => c === 'DNSKEY_MISSING' || c === 'RRSIGS_MISSING') ? 'RRSIGS_MISSING' : codes.find((c) => c !== 'DNSKEY_MISSING') ?? 'SIGNATURE_INVALID';
  return entryFor(zone, code, nowSec, 'DNSKEY RRset not signed by a DS-matched key');
}
