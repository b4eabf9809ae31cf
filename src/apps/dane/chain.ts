// chain.ts — DANE-TA(2) chain building (RFC 7671 §5.2): from the leaf, follow signatures through
// the certificates the server presented until one matches a DANE-TA record, or until a
// certificate is signed by a trust anchor the server did not send (RFC 7671 §5.2.2: "2 1 0" bare
// key or "2 0 0" full certificate). Every certificate on the path must be within its validity.
// Also owns the TLSA association primitive (RFC 6698 §2.1.2–2.1.3) shared with match.ts.
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { MatchingType, Selector, type TlsaRecord } from './types.js';

/** Longest path leaf → trust anchor we build (OpenSSL's default verify depth is 100; Postfix
 *  caps at smtp_tls_scert_verifydepth = 9; real SMTP chains are 2–4 long). */
export const DANE_TA_MAX_DEPTH = 10;
/** Upper bound on path-search expansions, so a crafted chain of cross-signed certificates cannot
 *  make the search exponential (same concern as the KeyTrap budget, CVE-2023-50387). */
export const DANE_TA_SEARCH_BUDGET = 256;

/** The bytes a selector picks from a certificate (RFC 6698 §2.1.2): full DER or the SPKI DER. */
export function selectedBytes(cert: X509Certificate, selector: number): Uint8Array | null {
  if (selector === Selector.CERT) return cert.raw;
  if (selector === Selector.SPKI) return cert.publicKey.export({ type: 'spki', format: 'der' });
  return null;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Does `record` (any usage) match `cert` by its selector and matching type (RFC 6698 §2.1.3)? */
export function recordMatchesCert(record: TlsaRecord, cert: X509Certificate): boolean {
  const selected = selectedBytes(cert, record.selector);
  if (selected === null) return false;
  switch (record.matchingType) {
    case MatchingType.FULL:
      return bytesEqual(selected, record.data);
    case MatchingType.SHA2_256:
      return bytesEqual(createHash('sha256').update(selected).digest(), record.data);
    case MatchingType.SHA2_512:
      return bytesEqual(createHash('sha512').update(selected).digest(), record.data);
    default:
      return false;
  }
}

/** A trust anchor that may be absent from the presented chain (RFC 7671 §5.2.2). */
interface BareAnchor {
  readonly record: TlsaRecord;
  readonly key: KeyObject;
  /** Set for "2 0 0": the issuer name must match too (RFC 5280 §6.1.3 (a)(4)). */
  readonly cert?: X509Certificate;
}

function bareAnchors(records: readonly TlsaRecord[]): BareAnchor[] {
  const out: BareAnchor[] = [];
  for (const record of records) {
    if (record.matchingType !== MatchingType.FULL) continue; // a digest cannot rebuild a key
    try {
      if (record.selector === Selector.SPKI) {
        out.push({ record, key: createPublicKey({ key: Buffer.from(record.data), format: 'der', type: 'spki' }) });
      } else if (record.selector === Selector.CERT) {
        const cert = new X509Certificate(Buffer.from(record.data));
        out.push({ record, key: cert.publicKey, cert });
      }
    } catch {
      // Malformed key or certificate data: this record can never match anything.
    }
  }
  return out;
}

/** Validity of one certificate at `nowMs` (RFC 5280 §4.1.2.5; both bounds inclusive). */
export function validityAt(cert: X509Certificate, nowMs: number): 'ok' | 'expired' | 'not-yet-valid' {
  if (nowMs < Date.parse(cert.validFrom)) return 'not-yet-valid';
  if (nowMs > Date.parse(cert.validTo)) return 'expired';
  return 'ok';
}

/** Result of DANE-TA path building. `path` runs leaf → trust anchor (the TA included when sent). */
export type TaChainResult =
  | { readonly ok: true; readonly record: TlsaRecord; readonly depth: number; readonly taSent: boolean; readonly path: readonly X509Certificate[] }
  | { readonly ok: false; readonly reason: 'no-match' | 'chain-invalid' | 'expired' | 'not-yet-valid'; readonly detail: string };

function describe(cert: X509Certificate): string {
  return cert.subject.replace(/\n/g, ', ');
}

/**
 * Build a path from `chain[0]` (the leaf) to a certificate matching one of `taRecords` (usable
 * DANE-TA records, digest agility already applied) and check every certificate's validity.
 * The leaf itself may be the trust anchor (a self-issued server certificate published as
 * DANE-TA): then the path is the leaf alone and its validity is still checked.
 */
export function buildDaneTaChain(chain: readonly X509Certificate[], taRecords: readonly TlsaRecord[], nowMs: number): TaChainResult {
  const leaf = chain[0];
  if (leaf === undefined) return { ok: false, reason: 'no-match', detail: 'the server presented no certificate' };
  const anchors = bareAnchors(taRecords);
  const issuedMemo = new Map<string, boolean>();
  const issued = (child: number, parent: X509Certificate, parentIdx: number): boolean => {
    const key = `${child}:${parentIdx}`;
    let v = issuedMemo.get(key);
    if (v === undefined) {
      const c = chain[child] as X509Certificate;
      try {
        v = c.checkIssued(parent) && c.verify(parent.publicKey);
      } catch {
        v = false;
      }
      issuedMemo.set(key, v);
    }
    return v;
  };

  let budget = DANE_TA_SEARCH_BUDGET;
  let firstValidityFailure: TaChainResult | null = null;
  // Evaluate a complete path; return success, or remember the first validity failure.
  const finish = (pathIdx: number[], record: TlsaRecord, taSent: boolean): TaChainResult | null => {
    const path = pathIdx.map((i) => chain[i] as X509Certificate);
    for (const cert of path) {
      const v = validityAt(cert, nowMs);
      if (v !== 'ok') {
        firstValidityFailure ??= { ok: false, reason: v, detail: `${v === 'expired' ? 'expired' : 'not yet valid'}: ${describe(cert)} (valid ${cert.validFrom} – ${cert.validTo})` };
        return null;
      }
    }
    const depth = taSent ? path.length - 1 : path.length;
    return { ok: true, record, depth, taSent, path };
  };

  const search = (pathIdx: number[]): TaChainResult | null => {
    if (--budget < 0) return null;
    const curIdx = pathIdx[pathIdx.length - 1] as number;
    const cur = chain[curIdx] as X509Certificate;
    for (const record of taRecords) {
      if (recordMatchesCert(record, cur)) {
        const r = finish(pathIdx, record, true);
        if (r !== null) return r;
      }
    }
    // Sent issuers first, so a TA the server did send is reported as sent (taSent).
    if (pathIdx.length < DANE_TA_MAX_DEPTH) {
      for (let i = 1; i < chain.length; i++) {
        if (pathIdx.includes(i)) continue;
        const parent = chain[i] as X509Certificate;
        if (!issued(curIdx, parent, i)) continue;
        const r = search([...pathIdx, i]);
        if (r !== null) return r;
      }
    }
    for (const anchor of anchors) {
      let signed = false;
      try {
        signed = (anchor.cert === undefined || cur.checkIssued(anchor.cert)) && cur.verify(anchor.key);
      } catch {
        signed = false;
      }
      if (signed) {
        const r = finish(pathIdx, anchor.record, false);
        if (r !== null) return r;
      }
    }
    return null;
  };

  const found = search([0]);
  if (found !== null) return found;
  if (firstValidityFailure !== null) return firstValidityFailure;
  // Distinguish "a TA is in the chain but the signatures do not lead to it" from "no TA at all".
  const strayTa = chain.findIndex((c, i) => i > 0 && taRecords.some((r) => recordMatchesCert(r, c)));
  if (strayTa > 0) {
    return { ok: false, reason: 'chain-invalid', detail: `DANE-TA record matches ${describe(chain[strayTa] as X509Certificate)} at position ${strayTa}, but no signature path leads from the leaf to it` };
  }
  if (budget < 0) return { ok: false, reason: 'chain-invalid', detail: `path search budget (${DANE_TA_SEARCH_BUDGET}) exhausted` };
  return { ok: false, reason: 'no-match', detail: `no DANE-TA record matches the ${chain.length} presented certificate(s) or a key that signed them` };
}
