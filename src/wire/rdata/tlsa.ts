// tlsa.ts — TLSA RDATA (RFC 6698 §2.1) and SMIMEA (RFC 8162, same layout): certificate usage,
// selector, matching type and the association data as bytes (not a hex string).
import { toHex } from '../../util/bytes.js';
import { RdataReader, RdataWriter } from './io.js';

export interface TLSARdata {
  readonly type: 'TLSA' | 'SMIMEA';
  readonly usage: number;
  readonly selector: number;
  readonly matchingType: number;
  readonly data: Uint8Array;
}

export function decodeTLSA(type: 'TLSA' | 'SMIMEA', rd: Uint8Array): TLSARdata | null {
  const r = new RdataReader(rd);
  const v: TLSARdata = { type, usage: r.u8(), selector: r.u8(), matchingType: r.u8(), data: r.rest() };
  return r.ok ? v : null;
}

export function encodeTLSA(t: TLSARdata): Uint8Array {
  return new RdataWriter().u8(t.usage).u8(t.selector).u8(t.matchingType).bytes(t.data).finish();
}

export function tlsaToText(t: TLSARdata): string {
  return `${t.usage} ${t.selector} ${t.matchingType} ${toHex(t.data)}`;
}
