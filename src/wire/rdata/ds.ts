// ds.ts — DS RDATA (RFC 4034 §5.1) and CDS (RFC 7344 §3.1, same layout): key tag, algorithm,
// digest type, digest. Text prints the digest as lower-case hex like ldns.
import { toHex } from '../../util/bytes.js';
import { RdataReader, RdataWriter } from './io.js';

export interface DSRdata {
  readonly type: 'DS' | 'CDS';
  readonly keyTag: number;
  readonly algorithm: number;
  readonly digestType: number;
  readonly digest: Uint8Array;
}

export function decodeDS(type: 'DS' | 'CDS', rd: Uint8Array): DSRdata | null {
  const r = new RdataReader(rd);
  const v: DSRdata = { type, keyTag: r.u16(), algorithm: r.u8(), digestType: r.u8(), digest: r.rest() };
  return r.ok ? v : null;
}

export function encodeDS(d: DSRdata): Uint8Array {
  return new RdataWriter().u16(d.keyTag).u8(d.algorithm).u8(d.digestType).bytes(d.digest).finish();
}

export function dsToText(d: DSRdata): string {
  return `${d.keyTag} ${d.algorithm} ${d.digestType} ${toHex(d.digest)}`;
}
