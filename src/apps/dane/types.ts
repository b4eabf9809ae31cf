// types.ts — the shapes DANE matching speaks: a TLSA record (RFC 6698 §2.1, same fields as the
// wire layer's TLSA decoder), the reference identifiers of an SMTP next hop (RFC 7672 §3.2.2),
// and the DaneMatch verdict. Protocol numbers are `as const` objects (RFC 6698 §7.2–7.4,
// RFC 7218 acronyms).

/** One TLSA record: RFC 6698 §2.1 fields. `data` is the certificate association data. */
export interface TlsaRecord {
  readonly usage: number;
  readonly selector: number;
  readonly matchingType: number;
  readonly data: Uint8Array;
}

/** Certificate usages (RFC 6698 §2.1.1, RFC 7218 §2.1). Only DANE-TA and DANE-EE are usable for SMTP. */
export const CertUsage = { PKIX_TA: 0, PKIX_EE: 1, DANE_TA: 2, DANE_EE: 3 } as const;
export type CertUsage = (typeof CertUsage)[keyof typeof CertUsage];

/** Selectors (RFC 6698 §2.1.2, RFC 7218 §2.2). */
export const Selector = { CERT: 0, SPKI: 1 } as const;
export type Selector = (typeof Selector)[keyof typeof Selector];

/** Matching types (RFC 6698 §2.1.3, RFC 7218 §2.3). */
export const MatchingType = { FULL: 0, SHA2_256: 1, SHA2_512: 2 } as const;
export type MatchingType = (typeof MatchingType)[keyof typeof MatchingType];

/** Who the SMTP client expects to talk to (RFC 7672 §3.2.2) and the "now" to check validity at. */
export interface DaneIds {
  /** TLSA base domain: the (possibly CNAME-expanded) MX host name (RFC 7672 §2.2.2). */
  readonly tlsaBaseDomain: string;
  /** MX host name as written in the MX RRset, when it differs from the TLSA base domain. */
  readonly mxHost?: string;
  /** Validation time in ms since the epoch (injected; adbit never reads the clock here). */
  readonly nowMs: number;
}

/** Why a peer did not authenticate. `no-usable-tlsa` means "mandatory unauthenticated TLS". */
export type DaneFailReason =
  | 'no-usable-tlsa'
  | 'no-match'
  | 'name-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'chain-invalid';

/** The verdict of matching a peer chain against a TLSA RRset. */
export type DaneMatch =
  | {
      readonly ok: true;
      /** The TLSA record that authenticated the peer. */
      readonly matched: TlsaRecord;
      /** Position of the matched certificate in the chain built from the leaf (0 = leaf). For a
       *  trust anchor the server did not send (RFC 7671 §5.2.2) it is one past the last chain cert. */
      readonly depth: number;
      readonly usage: typeof CertUsage.DANE_TA | typeof CertUsage.DANE_EE;
      /** false when a DANE-TA record named a trust anchor the server did not send. */
      readonly taSent: boolean;
    }
  | { readonly ok: false; readonly reason: DaneFailReason; readonly detail: string };
