// edns-bytes.ts — just enough OPT handling at the byte level for the transport: find the OPT
// record, read the extended RCODE, read one option and put one option (DNS COOKIE). The full
// EDNS model lives in wire/edns.ts; this file exists so transport/ does not wait for it.
// Resources: RFC 6891 §6.1.2–6.1.3 (OPT layout, extended RCODE), RFC 7873 §4 (COOKIE option).
import { HEADER_BYTES, questionLayout, u16At } from './query-match.js';

/** OPT pseudo-RR type (RFC 6891 §6.1.1). */
export const TYPE_OPT = 41;

/** Where the OPT record sits in a message. */
export interface OptLocation {
  /** Offset of RDLENGTH (RDATA follows it). */
  readonly rdlenAt: number;
  readonly rdataAt: number;
  readonly rdlen: number;
  /** Offset of the TTL field: extended RCODE, version, DO flag. */
  readonly ttlAt: number;
}

// Skip a possibly compressed owner name; -1 when it runs past the end.
function skipName(wire: Uint8Array, at: number): number {
  for (let hops = 0; hops < 128; hops++) {
    const len = wire[at];
    if (len === undefined) return -1;
    if ((len & 0xc0) === 0xc0) return at + 2 <= wire.length ? at + 2 : -1;
    if (len > 63) return -1;
    at += 1 + len;
    if (len === 0) return at;
  }
  return -1;
}

/** Locate the OPT record in the additional section; undefined when absent or unreadable. */
export function findOpt(wire: Uint8Array): OptLocation | undefined {
  if (wire.length < HEADER_BYTES) return undefined;
  const q = questionLayout(wire);
  if (q === undefined) return undefined;
  const ancount = u16At(wire, 6);
  const nscount = u16At(wire, 8);
  const arcount = u16At(wire, 10);
  let at = q.end;
  for (let i = 0; i < ancount + nscount + arcount; i++) {
    const nameEnd = skipName(wire, at);
    if (nameEnd < 0 || nameEnd + 10 > wire.length) return undefined;
    const type = u16At(wire, nameEnd);
    const rdlen = u16At(wire, nameEnd + 8);
    const rdataAt = nameEnd + 10;
    if (rdataAt + rdlen > wire.length) return undefined;
    if (i >= ancount + nscount && type === TYPE_OPT) {
      return { rdlenAt: nameEnd + 8, rdataAt, rdlen, ttlAt: nameEnd + 4 };
    }
    at = rdataAt + rdlen;
  }
  return undefined;
}

/** Full 12-bit RCODE: OPT TTL's top byte supplies the upper 8 bits (RFC 6891 §6.1.3). */
export function extendedRcode(wire: Uint8Array): number {
  const low = (wire[3] ?? 0) & 0x0f;
  const opt = findOpt(wire);
  return opt === undefined ? low : ((wire[opt.ttlAt] ?? 0) << 4) | low;
}

/** Data of the first option `code` in the OPT RDATA; undefined when absent. */
export function getOption(wire: Uint8Array, code: number): Uint8Array | undefined {
  const opt = findOpt(wire);
  if (opt === undefined) return undefined;
  const end = opt.rdataAt + opt.rdlen;
  for (let at = opt.rdataAt; at + 4 <= end; ) {
    const c = u16At(wire, at);
    const len = u16At(wire, at + 2);
    if (at + 4 + len > end) return undefined;
    if (c === code) return wire.slice(at + 4, at + 4 + len);
    at += 4 + len;
  }
  return undefined;
}

/**
 * A copy of `wire` whose OPT RDATA carries option `code` with `data`, replacing any existing
 * instance. Undefined when the message has no OPT record (adding EDNS is the caller's choice).
 */
export function setOption(wire: Uint8Array, code: number, data: Uint8Array): Uint8Array | undefined {
  const opt = findOpt(wire);
  if (opt === undefined) return undefined;
  const kept: Uint8Array[] = [];
  const end = opt.rdataAt + opt.rdlen;
  for (let at = opt.rdataAt; at + 4 <= end; ) {
    const len = u16At(wire, at + 2);
    if (u16At(wire, at) !== code) kept.push(wire.subarray(at, Math.min(end, at + 4 + len)));
    at += 4 + len;
  }
  const header = new Uint8Array([code >>> 8, code & 0xff, data.length >>> 8, data.length & 0xff]);
  const parts = [...kept, header, data];
  const rdlen = parts.reduce((n, p) => n + p.length, 0);
  if (rdlen > 0xffff) return undefined;
  const out = new Uint8Array(opt.rdataAt + rdlen + (wire.length - end));
  out.set(wire.subarray(0, opt.rdataAt), 0);
  let at = opt.rdataAt;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(wire.subarray(end), at);
  out[opt.rdlenAt] = rdlen >>> 8;
  out[opt.rdlenAt + 1] = rdlen & 0xff;
  return out;
}
