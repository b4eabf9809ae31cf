// rrsig.ts — RRSIG RDATA (RFC 4034 §3.1): covered type, algorithm, labels, original TTL,
// expiration and inception (32-bit serial times, RFC 4034 §3.1.5), key tag, signer name
// (never compressed, RFC 4034 §3.1.7) and signature. Text prints times as YYYYMMDDHHmmSS (UTC).
import { toBase64 } from '../../util/bytes.js';
import { typeToText } from '../constants.js';
import type { Name } from '../name.js';
import { RdataReader, RdataWriter } from './io.js';

export interface RRSIGRdata {
  readonly type: 'RRSIG';
  readonly typeCovered: number;
  readonly algorithm: number;
  readonly labels: number;
  readonly originalTtl: number;
  readonly expiration: number;
  readonly inception: number;
  readonly keyTag: number;
  readonly signerName: Name;
  readonly signature: Uint8Array;
}

export function decodeRRSIG(rd: Uint8Array): RRSIGRdata | null {
  const r = new RdataReader(rd);
  const v: RRSIGRdata = {
    type: 'RRSIG', typeCovered: r.u16(), algorithm: r.u8(), labels: r.u8(), originalTtl: r.u32(), expiration: r.u32(),
    inception: r.u32(), keyTag: r.u16(), signerName: r.name(), signature: r.rest(),
  };
  return r.ok ? v : null;
}

export function encodeRRSIG(s: RRSIGRdata): Uint8Array {
  return new RdataWriter()
    .u16(s.typeCovered).u8(s.algorithm).u8(s.labels).u32(s.originalTtl).u32(s.expiration).u32(s.inception)
    .u16(s.keyTag).name(s.signerName).bytes(s.signature).finish();
}

/** YYYYMMDDHHmmSS of a 32-bit time taken as seconds since 1970 (RFC 4034 §3.2). */
export function sigTimeToText(sec: number): string {
  const d = new Date(sec * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export function rrsigToText(s: RRSIGRdata): string {
  return `${typeToText(s.typeCovered)} ${s.algorithm} ${s.labels} ${s.originalTtl} ${sigTimeToText(s.expiration)} ` +
    `${sigTimeToText(s.inception)} ${s.keyTag} ${s.signerName.toText()} ${toBase64(s.signature)}`;
}
