// soa.ts — SOA RDATA (RFC 1035 §3.3.13): MNAME, RNAME and five 32-bit fields; MINIMUM is the
// negative-caching TTL bound of RFC 2308 §4.
import type { Name } from '../name.js';
import { RdataReader, RdataWriter } from './io.js';

export interface SOARdata {
  readonly type: 'SOA';
  readonly mname: Name;
  readonly rname: Name;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

export function decodeSOA(rd: Uint8Array): SOARdata | null {
  const r = new RdataReader(rd);
  const v: SOARdata = {
    type: 'SOA', mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32(),
  };
  return r.ok ? v : null;
}

export function encodeSOA(s: SOARdata): Uint8Array {
  return new RdataWriter().name(s.mname).name(s.rname).u32(s.serial).u32(s.refresh).u32(s.retry).u32(s.expire).u32(s.minimum).finish();
}

export function soaToText(s: SOARdata): string {
  return `${s.mname.toText()} ${s.rname.toText()} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
}
