// selection.ts — which server of a cut to ask next: every known address of the cut's name servers,
// ordered by the infra cache (Unbound iter_filter_order: random within the RTT band, lame and
// backed-off servers skipped), and the per-try timeout from the server's RTO (RFC 6298 §2) clamped.
import type { InfraCache } from '../cache/infra-cache.js';
import type { ServerAddress } from '../transport/types.js';
import type { Delegation } from './delegation.js';
import type { ResolverLimits } from './limits.js';

/** DNS port (RFC 1035 §4.2). Tests use the same: the hierarchy listens on 53 per address. */
export const DNS_PORT = 53;

/** Candidate servers of a delegation in preferred order, excluding already-tried addresses. */
export function orderServers(infra: InfraCache, d: Delegation, tried: ReadonlySet<string>, port = DNS_PORT): ServerAddress[] {
  const seen = new Set<string>();
  const all: ServerAddress[] = [];
  for (const s of d.servers) {
    for (const a of s.addresses) {
      const k = a.toLowerCase();
      if (seen.has(k) || tried.has(k)) continue;
      seen.add(k);
      all.push({ address: a, port });
    }
  }
  return infra.select(all, d.zone.toText()).ordered;
}

/** Timeout of one try: the server's RTO within the limits, never past the overall deadline. */
export function tryTimeoutMs(infra: InfraCache, s: ServerAddress, limits: ResolverLimits, remainingMs: number): number {
  const rto = Math.min(limits.maxTryTimeoutMs, Math.max(limits.minTryTimeoutMs, infra.rtoMs(s)));
  return Math.max(1, Math.min(rto, remainingMs));
}
