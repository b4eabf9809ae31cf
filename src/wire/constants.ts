// constants.ts — DNS protocol numbers as `as const` objects with number↔mnemonic maps:
// RR types and classes (RFC 1035 §3.2, RFC 3597 §5 TYPEnnn/CLASSnnn), RCODEs incl. the extended
// ones carried in OPT (RFC 6891 §6.1.3, RFC 7873 §8), opcodes, EDNS option codes, DNSSEC
// algorithm and digest numbers (IANA registries).

/** Resource record types (IANA registry; the mnemonics ldns 1.8 prints, so both printers agree). */
export const RRType = {
  A: 1, NS: 2, MD: 3, MF: 4, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, NULL: 10, WKS: 11, PTR: 12,
  HINFO: 13, MINFO: 14, MX: 15, TXT: 16, RP: 17, AFSDB: 18, X25: 19, ISDN: 20, RT: 21, NSAP: 22,
  'NSAP-PTR': 23, SIG: 24, KEY: 25, PX: 26, GPOS: 27, AAAA: 28, LOC: 29, NXT: 30, EID: 31,
  NIMLOC: 32, SRV: 33, ATMA: 34, NAPTR: 35, KX: 36, CERT: 37, A6: 38, DNAME: 39, SINK: 40, OPT: 41,
  APL: 42, DS: 43, SSHFP: 44, IPSECKEY: 45, RRSIG: 46, NSEC: 47, DNSKEY: 48, DHCID: 49, NSEC3: 50,
  NSEC3PARAM: 51, TLSA: 52, SMIMEA: 53, HIP: 55, TALINK: 58, CDS: 59,
  CDNSKEY: 60, OPENPGPKEY: 61, CSYNC: 62, ZONEMD: 63, SVCB: 64, HTTPS: 65, SPF: 99,
  NID: 104, L32: 105, L64: 106, LP: 107, EUI48: 108, EUI64: 109,
  TKEY: 249, TSIG: 250, IXFR: 251, AXFR: 252, MAILB: 253, MAILA: 254, ANY: 255, URI: 256, CAA: 257,
  AMTRELAY: 260, TA: 32768, DLV: 32769,
} as const;
export type RRTypeName = keyof typeof RRType;

/** Classes (RFC 1035 §3.2.4, RFC 2136 §1.3 NONE). */
export const RRClass = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;
export type RRClassName = keyof typeof RRClass;

/** Response codes; values above 15 need the OPT extended-RCODE bits (RFC 6891 §6.1.3). */
export const Rcode = {
  NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, YXDOMAIN: 6,
  YXRRSET: 7, NXRRSET: 8, NOTAUTH: 9, NOTZONE: 10, BADVERS: 16, BADCOOKIE: 23,
} as const;

/** Opcodes (RFC 1035 §4.1.1, RFC 1996, RFC 2136). */
export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

/** EDNS option codes (IANA "DNS EDNS0 Option Codes"). */
export const EdnsOption = {
  NSID: 3, DAU: 5, DHU: 6, N3U: 7, CLIENT_SUBNET: 8, EXPIRE: 9, COOKIE: 10, TCP_KEEPALIVE: 11,
  PADDING: 12, CHAIN: 13, KEY_TAG: 14, EDE: 15,
} as const;

/** DNSSEC algorithm numbers (RFC 4034 App. A.1, RFC 5702, RFC 6605, RFC 8080). */
export const DnssecAlgorithm = {
  RSAMD5: 1, DH: 2, DSA: 3, RSASHA1: 5, DSA_NSEC3_SHA1: 6, RSASHA1_NSEC3_SHA1: 7, RSASHA256: 8,
  RSASHA512: 10, ECC_GOST: 12, ECDSAP256SHA256: 13, ECDSAP384SHA384: 14, ED25519: 15, ED448: 16,
  INDIRECT: 252, PRIVATEDNS: 253, PRIVATEOID: 254,
} as const;

/** DS digest types (RFC 4034 §5.1.3, RFC 4509, RFC 6605). */
export const DigestType = { SHA1: 1, SHA256: 2, GOST: 3, SHA384: 4 } as const;

function invert(obj: Readonly<Record<string, number>>): ReadonlyMap<number, string> {
  const m = new Map<number, string>();
  for (const [k, v] of Object.entries(obj)) if (!m.has(v)) m.set(v, k);
  return m;
}

const TYPE_NAMES = invert(RRType);
const CLASS_NAMES = invert(RRClass);
const RCODE_NAMES = invert(Rcode);
const OPCODE_NAMES = invert(Opcode);
const ALG_NAMES = invert(DnssecAlgorithm);

/** Mnemonic of a type, or `TYPEnnn` for an unknown one (RFC 3597 §5). */
export function typeToText(type: number): string {
  return TYPE_NAMES.get(type) ?? `TYPE${type}`;
}

/** Type number of a mnemonic or `TYPEnnn` (case-insensitive), or undefined. */
export function typeFromText(text: string): number | undefined {
  const up = text.toUpperCase();
  const known = (RRType as Readonly<Record<string, number>>)[up];
  if (known !== undefined) return known;
  const m = /^TYPE(\d{1,5})$/.exec(up);
  if (m === null) return undefined;
  const n = Number(m[1]);
  return n <= 0xffff ? n : undefined;
}

/** Mnemonic of a class, or `CLASSnnn` (RFC 3597 §5). */
export function classToText(cls: number): string {
  return CLASS_NAMES.get(cls) ?? `CLASS${cls}`;
}

/** Class number of a mnemonic or `CLASSnnn`, or undefined. */
export function classFromText(text: string): number | undefined {
  const up = text.toUpperCase();
  const known = (RRClass as Readonly<Record<string, number>>)[up];
  if (known !== undefined) return known;
  const m = /^CLASS(\d{1,5})$/.exec(up);
  if (m === null) return undefined;
  const n = Number(m[1]);
  return n <= 0xffff ? n : undefined;
}

/** Mnemonic of an RCODE (incl. extended), or `RCODEnnn`. */
export function rcodeToText(rcode: number): string {
  return RCODE_NAMES.get(rcode) ?? `RCODE${rcode}`;
}

/** Mnemonic of an opcode, or `OPCODEnnn`. */
export function opcodeToText(opcode: number): string {
  return OPCODE_NAMES.get(opcode) ?? `OPCODE${opcode}`;
}

/** Mnemonic of a DNSSEC algorithm, or its number as text. */
export function algorithmToText(alg: number): string {
  return ALG_NAMES.get(alg) ?? String(alg);
}

/**
 * Types whose RDATA names may be compressed on output and must be decompressed on input:
 * the RFC 1035 types (RFC 3597 §4). Never RRSIG, NSEC, SRV or any newer type (RFC 4034 §6.2 lists
 * more types for canonical lower-casing, but that is a different rule).
 */
export const COMPRESSIBLE_RDATA_TYPES: ReadonlySet<number> = new Set([
  RRType.NS, RRType.CNAME, RRType.SOA, RRType.PTR, RRType.MX,
]);
