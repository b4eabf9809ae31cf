// delegation.ts — zone cuts and their name servers: built from a referral (NS in authority, glue in
// additional — already limited to the bailiwick by scrub.ts, RFC 1034 §4.2.1), from the RRset cache
// (closest enclosing NS set, RFC 1034 §5.3.3 step 2, the primed root NS set included, RFC 8109), or
// from root hints. Says which NS names lack addresses and may be resolved (glueless), and which
// cannot be (names under the cut need glue).
import type { RRsetCache } from '../cache/rrset-cache.js';
import { RRType } from '../wire/constants.js';
import type { ResourceRecord } from '../wire/message.js';
import { Name } from '../wire/name.js';
import type { NameRdata } from '../wire/rdata/names.js';
import type { RootHints } from './hints.js';

/** One name server of a cut: its name and the addresses known for it. */
export interface NsEntry {
  readonly name: Name;
  readonly addresses: string[];
}

/** A zone cut: the zone apex and its name servers. */
export interface Delegation {
  readonly zone: Name;
  readonly servers: NsEntry[];
}

function addressOf(r: ResourceRecord): string | null {
  const d = r.decode();
  return d.type === 'A' || d.type === 'AAAA' ? d.address : null;
}

/** The delegation a referral to `cut` describes (NS targets with their in-bailiwick glue). */
export function delegationFromReferral(authority: readonly ResourceRecord[], additional: readonly ResourceRecord[], cut: Name): Delegation {
  const servers: NsEntry[] = [];
  for (const r of authority) {
    if (r.type !== RRType.NS || !r.name.equals(cut)) continue;
    const target = (r.decode() as NameRdata).target;
    if (servers.some((s) => s.name.equals(target))) continue;
    const addresses = additional.filter((a) => a.name.equals(target)).map(addressOf).filter((a): a is string => a !== null);
    servers.push({ name: target, addresses: [...new Set(addresses)] });
  }
  return { zone: cut, servers };
}

/** The root delegation from hints. */
export function delegationFromHints(hints: RootHints): Delegation {
  return { zone: Name.ROOT, servers: hints.servers.map((s) => ({ name: s.name, addresses: [...s.addresses] })) };
}

/** Cached addresses (A then AAAA) of a name server. */
export function cachedAddresses(cache: RRsetCache, name: Name, cls: number): string[] {
  const out: string[] = [];
  for (const t of [RRType.A, RRType.AAAA]) {
    const hit = cache.get(name, t, cls);
    if (hit === undefined || hit.entry.security === 'bogus') continue;
    for (const r of hit.entry.rrset.records) {
      const a = addressOf(r);
      if (a !== null) out.push(a);
    }
  }
  return out;
}

/**
 * The closest cut at or above `name` with a cached NS set (RFC 1034 §5.3.3 step 2), or the root
 * from hints. Sets without any usable server address are still returned: their NS names may be
 * resolved (glueless), unless all of them lie under the cut itself.
 */
export function closestDelegation(cache: RRsetCache, name: Name, cls: number, hints: RootHints): Delegation {
  for (let n = name; ; n = n.parent()) {
    const hit = cache.get(n, RRType.NS, cls);
    if (hit !== undefined && hit.entry.security !== 'bogus') {
      const root = n.isRoot();
      const servers = hit.entry.rrset.records.map((r) => {
        const target = (r.decode() as NameRdata).target;
        const addresses = cachedAddresses(cache, target, cls);
        // The primed root NS set (RFC 8109 §3) may come without glue: a name the hints also list keeps their addresses.
        if (root && addresses.length === 0) addresses.push(...(hints.servers.find((h) => h.name.equals(target))?.addresses ?? []));
        return { name: target, addresses };
      });
      // Root NS names are all "under the cut": without any address they are useless, so use the hints.
      if (servers.some((s) => s.addresses.length > 0 || (!root && !s.name.isSubdomainOf(n)))) return { zone: n, servers };
    }
    if (n.isRoot()) return delegationFromHints(hints);
  }
}

/**
 * NS names without addresses that may be resolved, at most `cap` (NXNS defence, CVE-2020-12662).
 * A name at or under the cut cannot be resolved without the cut's own servers (it needs glue).
 */
export function gluelessTargets(d: Delegation, cap: number): Name[] {
  return d.servers.filter((s) => s.addresses.length === 0 && !s.name.isSubdomainOf(d.zone)).slice(0, cap).map((s) => s.name);
}
