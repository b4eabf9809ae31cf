// codec.ts — the table-driven RR type registry: type number → decoder, encoder and text printer.
// decodeRdata never throws: unknown types and malformed RDATA of known types both come back as
// OpaqueRdata (RFC 3597), the latter flagged `malformed`.
import { RRType } from '../constants.js';
import { type AAAARdata, type ARdata, decodeA, decodeAAAA, encodeA, encodeAAAA } from './address.js';
import { type CAARdata, caaToText, decodeCAA, encodeCAA } from './caa.js';
import { type DNSKEYRdata, decodeDNSKEY, dnskeyToText, encodeDNSKEY } from './dnskey.js';
import { type DSRdata, decodeDS, dsToText, encodeDS } from './ds.js';
import { type MXRdata, decodeMX, encodeMX, mxToText } from './mx.js';
import { type NameRdata, decodeNameRdata, encodeNameRdata, nameRdataToText } from './names.js';
import { type NSECRdata, decodeNSEC, encodeNSEC, nsecToText } from './nsec.js';
import {
  type NSEC3PARAMRdata, type NSEC3Rdata, decodeNSEC3, decodeNSEC3PARAM, encodeNSEC3, encodeNSEC3PARAM, nsec3ToText, nsec3paramToText,
} from './nsec3.js';
import { type OpaqueRdata, decodeOpaque, opaqueToText } from './opaque.js';
import { type RRSIGRdata, decodeRRSIG, encodeRRSIG, rrsigToText } from './rrsig.js';
import { type SOARdata, decodeSOA, encodeSOA, soaToText } from './soa.js';
import { type SRVRdata, decodeSRV, encodeSRV, srvToText } from './srv.js';
import { type TLSARdata, decodeTLSA, encodeTLSA, tlsaToText } from './tlsa.js';
import { type TXTRdata, decodeTXT, encodeTXT, txtToText } from './txt.js';

/** Every typed RDATA, discriminated by `type`. */
export type Rdata =
  | ARdata | AAAARdata | NameRdata | SOARdata | MXRdata | TXTRdata | SRVRdata | DSRdata | DNSKEYRdata
  | RRSIGRdata | NSECRdata | NSEC3Rdata | NSEC3PARAMRdata | TLSARdata | CAARdata | OpaqueRdata;

type Decoder = (rd: Uint8Array) => Rdata | null;

const DECODERS: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([
  [RRType.A, decodeA],
  [RRType.AAAA, decodeAAAA],
  [RRType.NS, (rd) => decodeNameRdata('NS', rd)],
  [RRType.CNAME, (rd) => decodeNameRdata('CNAME', rd)],
  [RRType.PTR, (rd) => decodeNameRdata('PTR', rd)],
  [RRType.DNAME, (rd) => decodeNameRdata('DNAME', rd)],
  [RRType.SOA, decodeSOA],
  [RRType.MX, decodeMX],
  [RRType.TXT, decodeTXT],
  [RRType.SRV, decodeSRV],
  [RRType.DS, (rd) => decodeDS('DS', rd)],
  [RRType.CDS, (rd) => decodeDS('CDS', rd)],
  [RRType.DNSKEY, (rd) => decodeDNSKEY('DNSKEY', rd)],
  [RRType.CDNSKEY, (rd) => decodeDNSKEY('CDNSKEY', rd)],
  [RRType.RRSIG, decodeRRSIG],
  [RRType.NSEC, decodeNSEC],
  [RRType.NSEC3, decodeNSEC3],
  [RRType.NSEC3PARAM, decodeNSEC3PARAM],
  [RRType.TLSA, (rd) => decodeTLSA('TLSA', rd)],
  [RRType.SMIMEA, (rd) => decodeTLSA('SMIMEA', rd)],
  [RRType.CAA, decodeCAA],
]);

/** Types with a structured decoder (everything else is opaque). */
export const DECODED_TYPES: readonly number[] = [...DECODERS.keys()];

/** Decodes RDATA (names already uncompressed) of `rrtype`; never throws. */
export function decodeRdata(rrtype: number, rd: Uint8Array): Rdata {
  const dec = DECODERS.get(rrtype);
  if (dec === undefined) return decodeOpaque(rrtype, rd);
  return dec(rd) ?? decodeOpaque(rrtype, rd, true);
}

/** The RR type number of typed RDATA. */
export function rdataType(r: Rdata): number {
  return r.type === 'OPAQUE' ? r.rrtype : RRType[r.type];
}

/** Encodes typed RDATA to uncompressed wire bytes. */
export function encodeRdata(r: Rdata): Uint8Array {
  switch (r.type) {
    case 'A': return encodeA(r);
    case 'AAAA': return encodeAAAA(r);
    case 'NS': case 'CNAME': case 'PTR': case 'DNAME': return encodeNameRdata(r);
    case 'SOA': return encodeSOA(r);
    case 'MX': return encodeMX(r);
    case 'TXT': return encodeTXT(r);
    case 'SRV': return encodeSRV(r);
    case 'DS': case 'CDS': return encodeDS(r);
    case 'DNSKEY': case 'CDNSKEY': return encodeDNSKEY(r);
    case 'RRSIG': return encodeRRSIG(r);
    case 'NSEC': return encodeNSEC(r);
    case 'NSEC3': return encodeNSEC3(r);
    case 'NSEC3PARAM': return encodeNSEC3PARAM(r);
    case 'TLSA': case 'SMIMEA': return encodeTLSA(r);
    case 'CAA': return encodeCAA(r);
    case 'OPAQUE': return r.data.slice();
    default: return assertNever(r);
  }
}

/** RDATA presentation text (the part after the type mnemonic), as ldns prints it. */
export function rdataToText(r: Rdata): string {
  switch (r.type) {
    case 'A': case 'AAAA': return r.address;
    case 'NS': case 'CNAME': case 'PTR': case 'DNAME': return nameRdataToText(r);
    case 'SOA': return soaToText(r);
    case 'MX': return mxToText(r);
    case 'TXT': return txtToText(r);
    case 'SRV': return srvToText(r);
    case 'DS': case 'CDS': return dsToText(r);
    case 'DNSKEY': case 'CDNSKEY': return dnskeyToText(r);
    case 'RRSIG': return rrsigToText(r);
    case 'NSEC': return nsecToText(r);
    case 'NSEC3': return nsec3ToText(r);
    case 'NSEC3PARAM': return nsec3paramToText(r);
    case 'TLSA': case 'SMIMEA': return tlsaToText(r);
    case 'CAA': return caaToText(r);
    case 'OPAQUE': return opaqueToText(r);
    default: return assertNever(r);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled rdata ${String(x)}`);
}
