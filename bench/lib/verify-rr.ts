// verify-rr.ts — test/bench helpers for the verify path: presentation text -> wire RR (through the
// ldns-backed native.rrFromText), RRset grouping, and VerifyJob assembly for CryptoBatch.
// RFC 4034 §3.1 (RRSIG fields), RFC 1035 §3.2.1 (RR wire layout).
import { native } from '../../src/native/binding.js';
import type { VerifyJob } from '../../src/native/batch.js';

export interface WireRr {
  readonly owner: Uint8Array;
  readonly type: number;
  readonly rrClass: number;
  readonly ttl: number;
  readonly rdata: Uint8Array;
}

const TYPE_RRSIG = 46;

/** Parses one uncompressed wire RR (as produced by rrFromText). */
export function parseWireRr(wire: Uint8Array): WireRr {
  let pos = 0;
  while (wire[pos] !== 0) {
    const l = wire[pos];
    if (l === undefined) throw new Error('truncated owner');
    pos += l + 1;
  }
  pos += 1;
  const dv = new DataView(wire.buffer, wire.byteOffset, wire.byteLength);
  const rdlen = dv.getUint16(pos + 8);
  return {
    owner: wire.slice(0, pos),
    type: dv.getUint16(pos),
    rrClass: dv.getUint16(pos + 2),
    ttl: dv.getUint32(pos + 4),
    rdata: wire.slice(pos + 10, pos + 10 + rdlen),
  };
}

export function rrFromText(text: string, origin = '.', defaultTtl = 3600): WireRr {
  const r = native.rrFromText(text, origin, defaultTtl);
  if (r.status !== 0) throw new Error(`rrFromText(${text}): ${r.error}`);
  return parseWireRr(r.rr);
}

export function typeCovered(rrsig: WireRr): number { return ((rrsig.rdata[0] ?? 0) << 8) | (rrsig.rdata[1] ?? 0); }

function lowerKey(name: Uint8Array): string {
  return Buffer.from(name).toString('latin1').toLowerCase();
}

export interface SignedRRset {
  readonly owner: Uint8Array;
  readonly type: number;
  readonly rrClass: number;
  readonly rrs: readonly WireRr[];
  readonly sigs: readonly WireRr[];
}

/** Groups RRs into RRsets (owner case-insensitively, type, class) and attaches covering RRSIGs. */
export function groupRRsets(rrs: readonly WireRr[]): SignedRRset[] {
  const sets = new Map<string, { owner: Uint8Array; type: number; rrClass: number; rrs: WireRr[]; sigs: WireRr[] }>();
  const get = (owner: Uint8Array, type: number, rrClass: number) => {
    const k = `${lowerKey(owner)}/${type}/${rrClass}`;
    let s = sets.get(k);
    if (s === undefined) { s = { owner, type, rrClass, rrs: [], sigs: [] }; sets.set(k, s); }
    return s;
  };
  for (const rr of rrs) {
    if (rr.type === TYPE_RRSIG) get(rr.owner, typeCovered(rr), rr.rrClass).sigs.push(rr);
    else get(rr.owner, rr.type, rr.rrClass).rrs.push(rr);
  }
  return [...sets.values()];
}

export function verifyJob(dnskey: WireRr, rrsig: WireRr, set: { owner: Uint8Array; rrClass: number; rrs: readonly WireRr[] }, group = 0): VerifyJob {
  return { dnskeyRdata: dnskey.rdata, rrsigRdata: rrsig.rdata, owner: set.owner, rrClass: set.rrClass, rdatas: set.rrs.map((r) => r.rdata), group };
}

/** RRSIG key tag field (RFC 4034 §3.1.6). */
export function rrsigKeyTag(rrsig: WireRr): number { return ((rrsig.rdata[16] ?? 0) << 8) | (rrsig.rdata[17] ?? 0); }
