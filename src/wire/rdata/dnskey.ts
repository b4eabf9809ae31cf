// dnskey.ts — DNSKEY RDATA (RFC 4034 §2.1) and CDNSKEY (RFC 7344 §3.2): flags, protocol (3),
// algorithm, public key; flag helpers (Zone Key bit 7, SEP bit 15, REVOKE bit 8 of RFC 5011 §3)
// and the key tag of RFC 4034 Appendix B.
import { toBase64 } from '../../util/bytes.js';
import { RdataReader, RdataWriter } from './io.js';

export interface DNSKEYRdata {
  readonly type: 'DNSKEY' | 'CDNSKEY';
  readonly flags: number;
  readonly protocol: number;
  readonly algorithm: number;
  readonly publicKey: Uint8Array;
}

export const DNSKEY_FLAG_ZONE = 0x0100;
export const DNSKEY_FLAG_REVOKE = 0x0080;
export const DNSKEY_FLAG_SEP = 0x0001;

export function decodeDNSKEY(type: 'DNSKEY' | 'CDNSKEY', rd: Uint8Array): DNSKEYRdata | null {
  const r = new RdataReader(rd);
  const v: DNSKEYRdata = { type, flags: r.u16(), protocol: r.u8(), algorithm: r.u8(), publicKey: r.rest() };
  return r.ok ? v : null;
}

export function encodeDNSKEY(k: DNSKEYRdata): Uint8Array {
  return new RdataWriter().u16(k.flags).u8(k.protocol).u8(k.algorithm).bytes(k.publicKey).finish();
}

export function dnskeyToText(k: DNSKEYRdata): string {
  return `${k.flags} ${k.protocol} ${k.algorithm} ${toBase64(k.publicKey)}`;
}

export function isZoneKey(k: DNSKEYRdata): boolean {
  return (k.flags & DNSKEY_FLAG_ZONE) !== 0;
}

export function isSep(k: DNSKEYRdata): boolean {
  return (k.flags & DNSKEY_FLAG_SEP) !== 0;
}

export function isRevoked(k: DNSKEYRdata): boolean {
  return (k.flags & DNSKEY_FLAG_REVOKE) !== 0;
}

/** Key tag over the RDATA (RFC 4034 Appendix B; algorithm 1 uses the B.1 rule). */
export function keyTag(rdata: Uint8Array): number {
  if (rdata[3] === 1) {
    const n = rdata.length;
    return n < 4 ? 0 : (((rdata[n - 3] ?? 0) << 8) | (rdata[n - 2] ?? 0));
  }
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? (rdata[i] ?? 0) : (rdata[i] ?? 0) << 8;
  ac += (ac >>> 16) & 0xffff;
  return ac & 0xffff;
}
