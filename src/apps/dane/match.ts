// match.ts — authenticate an SMTP server's certificate chain against a TLSA RRset, the RFC 7672
// profile: usable records (§3.1: DANE-TA/DANE-EE only; RFC 6698 §2.1 selectors and matching
// types), digest algorithm agility (RFC 7671 §9), DANE-EE without name or date checks
// (RFC 7671 §5.1, RFC 7672 §3.1.1), DANE-TA with chain, validity and name checks (RFC 7671 §5.2,
// RFC 7672 §3.1.2, §3.2.2–3.2.3). Also verifies a live tls.TLSSocket for Node MTAs.
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { buildDaneTaChain, recordMatchesCert } from './chain.js';
import { CertUsage, MatchingType, Selector, type DaneIds, type DaneMatch, type TlsaRecord } from './types.js';

/** Association data lengths fixed by the matching type (RFC 6698 §2.1.3, FIPS 180-4). */
const DIGEST_LENGTH: Readonly<Record<number, number>> = { [MatchingType.SHA2_256]: 32, [MatchingType.SHA2_512]: 64 };
/** Digest preference, strongest first (RFC 7671 §9; Postfix `tls_dane_digests = sha512 sha256`). */
const DIGEST_PREFERENCE: readonly number[] = [MatchingType.SHA2_512, MatchingType.SHA2_256];
type PeerCertificate = Partial<DetailedPeerCertificate>;

/** Most certificates we look at from one peer; longer presented chains are truncated. */
export const MAX_PEER_CHAIN = 16;

/**
 * Is this record usable by an SMTP client (RFC 7672 §3.1)? PKIX-TA(0)/PKIX-EE(1) are not
 * (§3.1.3), unknown usages, selectors and matching types are not (RFC 6698 §4.1), and a digest
 * whose length does not fit its matching type can never match, so it is malformed and unusable.
 */
export function isUsableTlsa(r: TlsaRecord): boolean {
  if (r.usage !== CertUsage.DANE_TA && r.usage !== CertUsage.DANE_EE) return false;
  if (r.selector !== Selector.CERT && r.selector !== Selector.SPKI) return false;
  if (r.matchingType === MatchingType.FULL) return r.data.length > 0;
  const len = DIGEST_LENGTH[r.matchingType];
  return len !== undefined && r.data.length === len;
}

/**
 * The usable records after digest algorithm agility (RFC 7671 §9): for each (usage, selector)
 * pair, of the digest matching types present only the strongest (SHA2-512 over SHA2-256) is
 * used. Full(0) records are not digests and always stay: with "3 1 0", "3 1 1" and "3 1 2" a key
 * matching "3 1 0" or "3 1 2" is accepted, one matching only "3 1 1" is not (RFC 7671 §9 example).
 */
export function usableTlsa(records: readonly TlsaRecord[]): TlsaRecord[] {
  const usable = records.filter(isUsableTlsa);
  const best = new Map<string, number>();
  for (const r of usable) {
    if (r.matchingType === MatchingType.FULL) continue;
    const key = `${r.usage}:${r.selector}`;
    const cur = best.get(key);
    if (cur === undefined || DIGEST_PREFERENCE.indexOf(r.matchingType) < DIGEST_PREFERENCE.indexOf(cur)) best.set(key, r.matchingType);
  }
  return usable.filter((r) => r.matchingType === MatchingType.FULL || best.get(`${r.usage}:${r.selector}`) === r.matchingType);
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * Reference identifiers for DANE-TA (RFC 7672 §3.2.2): the TLSA base domain, and the MX host
 * name when it differs (a CNAME-expanded MX host). Wildcards only as the whole leftmost label
 * (RFC 6125 §6.4.3 as profiled by RFC 7672 §3.2.3); the subject CN counts only when the
 * certificate has no DNS subjectAltName (Node's `subject: 'default'`).
 */
export function leafMatchesNames(leaf: X509Certificate, ids: DaneIds): string | null {
  const names = [ids.tlsaBaseDomain, ...(ids.mxHost !== undefined ? [ids.mxHost] : [])].map(stripDot).filter((n) => n.length > 0);
  for (const name of names) {
    const hit = leaf.checkHost(name, { wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false });
    if (hit !== undefined) return hit;
  }
  return null;
}

/**
 * Match a peer chain (leaf first, as presented) against a TLSA RRset for an SMTP next hop.
 * Values, never throws on peer data. DANE-EE is tried first (cheapest, no chain); when neither
 * usage authenticates, the most specific DANE-TA failure is reported, else `no-match`.
 */
export function matchTlsa(chain: readonly X509Certificate[], tlsa: readonly TlsaRecord[], ids: DaneIds): DaneMatch {
  const usable = usableTlsa(tlsa);
  if (usable.length === 0) {
    return { ok: false, reason: 'no-usable-tlsa', detail: `none of the ${tlsa.length} TLSA record(s) is usable for SMTP (RFC 7672 §3.1)` };
  }
  const peer = chain.slice(0, MAX_PEER_CHAIN);
  const leaf = peer[0];
  if (leaf === undefined) return { ok: false, reason: 'no-match', detail: 'the server presented no certificate' };

  // DANE-EE(3): the leaf's certificate or key is pinned; no name, expiry or chain checks
  // (RFC 7671 §5.1, RFC 7672 §3.1.1).
  for (const r of usable) {
    if (r.usage === CertUsage.DANE_EE && recordMatchesCert(r, leaf)) {
      return { ok: true, matched: r, depth: 0, usage: CertUsage.DANE_EE, taSent: true };
    }
  }

  const ta = usable.filter((r) => r.usage === CertUsage.DANE_TA);
  if (ta.length === 0) return { ok: false, reason: 'no-match', detail: 'no DANE-EE record matches the leaf certificate' };
  const built = buildDaneTaChain(peer, ta, ids.nowMs);
  if (!built.ok) return built;
  // RFC 7672 §3.2.2: with DANE-TA the leaf must carry a reference identifier.
  if (leafMatchesNames(leaf, ids) === null) {
    const wanted = [ids.tlsaBaseDomain, ids.mxHost].filter((n) => n !== undefined).join(' or ');
    return { ok: false, reason: 'name-mismatch', detail: `leaf certificate (${leaf.subjectAltName ?? leaf.subject.replace(/\n/g, ', ')}) does not name ${wanted}` };
  }
  return { ok: true, matched: built.record, depth: built.depth, usage: CertUsage.DANE_TA, taSent: built.taSent };
}

/**
 * The chain a TLS peer presented, leaf first, as X509Certificate objects, from
 * getPeerCertificate(true) (the root links to itself, which ends the walk). We deliberately do
 * not call getPeerX509Certificate(): on a client socket Node's implementation deletes the leaf
 * from OpenSSL's peer chain (sk_X509_delete; root cause analysed in nodejs/node#65579), after
 * which getPeerCertificate(true) loses its first certificate. If the caller already called it,
 * the chain we see starts at the intermediate and DANE fails closed (no-match / name-mismatch).
 */
export function peerChain(socket: TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<object>();
  let cur: PeerCertificate | undefined = socket.getPeerCertificate(true) as PeerCertificate | undefined;
  while (cur !== undefined && cur !== null && !seen.has(cur) && out.length < MAX_PEER_CHAIN) {
    seen.add(cur);
    if (cur.raw === undefined) break; // {} when there is no peer certificate
    try {
      out.push(new X509Certificate(cur.raw));
    } catch {
      break;
    }
    cur = cur.issuerCertificate as PeerCertificate | undefined;
  }
  return out;
}

/**
 * Check an established TLS connection (Nodemailer, Haraka, … did their own STARTTLS) against a
 * TLSA RRset with the same rules as matchTlsa. Connect with `rejectUnauthorized: false` and
 * `servername` = TLSA base domain: DANE, not the WebPKI, decides (RFC 7672 §3.1, §8.1).
 */
export function verifyTlsSocket(socket: TLSSocket, tlsa: readonly TlsaRecord[], ids: DaneIds): DaneMatch {
  return matchTlsa(peerChain(socket), tlsa, ids);
}
