// nsec3.ts — NSEC3 (RFC 5155 §3.2) and NSEC3PARAM (RFC 5155 §4.2) RDATA: hash algorithm, flags
// (Opt-Out is bit 7, RFC 5155 §3.1.2.1), iterations, salt, next hashed owner (raw bytes; base32hex
// text) and the type bitmap.
import { toBase32Hex, toHex } from '../../util/bytes.js';
import { RdataReader, RdataWriter } from './io.js';
import { decodeTypeBitmap, encodeTypeBitmap, typeListToText } from './typebitmap.js';

export interface NSEC3Rdata {
  readonly type: 'NSEC3';
  readonly hashAlgorithm: number;
  readonly flags: number;
  readonly iterations: number;
  readonly salt: Uint8Array;
  readonly nextHashed: Uint8Array;
  readonly types: readonly number[];
}

export interface NSEC3PARAMRdata {
  readonly type: 'NSEC3PARAM';
  readonly hashAlgorithm: number;
  readonly flags: number;
  readonly iterations: number;
  readonly salt: Uint8Array;
}

export const NSEC3_FLAG_OPT_OUT = 0x01;

export function isOptOut(n: NSEC3Rdata): boolean {
  return (n.flags & NSEC3_FLAG_OPT_OUT) !== 0;
}

export function decodeNSEC3(rd: Uint8Array): NSEC3Rdata | null {
  const r = new RdataReader(rd);
  const hashAlgorithm = r.u8();
  const flags = r.u8();
  const iterations = r.u16();
  const salt = r.charString();
  const nextHashed = r.bytes(r.u8());
  const types = decodeTypeBitmap(r.rest());
  if (!r.ok || types === null || nextHashed.length === 0) return null;
  return { type: 'NSEC3', hashAlgorithm, flags, iterations, salt, nextHashed, types };
}

export function encodeNSEC3(n: NSEC3Rdata): Uint8Array {
  return new RdataWriter()
    .u8(n.hashAlgorithm).u8(n.flags).u16(n.iterations).charString(n.salt)
    .charString(n.nextHashed).bytes(encodeTypeBitmap(n.types)).finish();
}

export function decodeNSEC3PARAM(rd: Uint8Array): NSEC3PARAMRdata | null {
  const r = new RdataReader(rd);
  const v: NSEC3PARAMRdata = { type: 'NSEC3PARAM', hashAlgorithm: r.u8(), flags: r.u8(), iterations: r.u16(), salt: r.charString() };
  return r.ok ? v : null;
}

export function encodeNSEC3PARAM(n: NSEC3PARAMRdata): Uint8Array {
  return new RdataWriter().u8(n.hashAlgorithm).u8(n.flags).u16(n.iterations).charString(n.salt).finish();
}

/** Salt as text: `-` when empty (RFC 5155 §3.3), else lower-case hex like ldns. */
export function saltToText(salt: Uint8Array): string {
  return salt.length === 0 ? '-' : toHex(salt);
}

/** The next hashed owner name in base32hex, as it appears as an NSEC3 owner label (RFC 5155 §3.3). */
export function nextHashedToText(n: NSEC3Rdata): string {
  return toBase32Hex(n.nextHashed);
}

export function nsec3ToText(n: NSEC3Rdata): string {
  const t = typeListToText(n.types);
  const head = `${n.hashAlgorithm} ${n.flags} ${n.iterations} ${saltToText(n.salt)} ${nextHashedToText(n)}`;
  return t === '' ? head : `${head} ${t}`;
}

export function nsec3paramToText(n: NSEC3PARAMRdata): string {
  return `${n.hashAlgorithm} ${n.flags} ${n.iterations} ${saltToText(n.salt)}`;
}
