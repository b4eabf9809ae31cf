// rrset.ts — RRsets (RFC 2181 §5): records of one section grouped by (owner case-insensitively,
// type, class), duplicates removed (§5), TTL = the lowest TTL of the set (§5.2), and the RRSIGs
// that cover each set (RFC 4034 §3: same owner and class, Type Covered = the set's type).
import { bytesEqual } from '../util/bytes.js';
import { RRType } from './constants.js';
import type { ResourceRecord } from './message.js';
import type { Name } from './name.js';

/** One RRset with its covering signatures. */
export interface RRset {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
  /** Lowest TTL of the member records (RFC 2181 §5.2). */
  readonly ttl: number;
  readonly records: readonly ResourceRecord[];
  readonly rrsigs: readonly ResourceRecord[];
}

/** Type Covered of an RRSIG record's RDATA (RFC 4034 §3.1.1), or -1 if too short. */
export function rrsigTypeCovered(rdata: Uint8Array): number {
  return rdata.length < 2 ? -1 : ((rdata[0] ?? 0) << 8) | (rdata[1] ?? 0);
}

interface Draft { name: Name; type: number; class: number; records: ResourceRecord[]; rrsigs: ResourceRecord[] }

/**
 * Groups records (in first-appearance order). RRSIGs join the set they cover; an RRSIG whose
 * covered set is absent becomes its own set of type RRSIG, so no record is ever lost.
 */
export function groupRRsets(records: readonly ResourceRecord[]): RRset[] {
  // Owner key → drafts at that owner (few per owner), found by a linear scan on type and class.
  const byOwner = new Map<string, Draft[]>();
  const order: Draft[] = [];
  const find = (name: Name, type: number, cls: number, create: boolean): Draft | undefined => {
    const key = name.key();
    let list = byOwner.get(key);
    if (list === undefined) {
      if (!create) return undefined;
      list = [];
      byOwner.set(key, list);
    }
    for (const d of list) if (d.type === type && d.class === cls) return d;
    if (!create) return undefined;
    const d: Draft = { name, type, class: cls, records: [], rrsigs: [] };
    list.push(d);
    order.push(d);
    return d;
  };
  const sigs: ResourceRecord[] = [];
  for (const r of records) {
    if (r.type === RRType.RRSIG) {
      sigs.push(r);
      continue;
    }
    const d = find(r.name, r.type, r.class, true)!;
    if (!d.records.some((x) => bytesEqual(x.rdata, r.rdata))) d.records.push(r);
  }
  for (const s of sigs) {
    const d = find(s.name, rrsigTypeCovered(s.rdata), s.class, false) ?? find(s.name, RRType.RRSIG, s.class, true)!;
    const list = d.type === RRType.RRSIG ? d.records : d.rrsigs;
    if (!list.some((x) => bytesEqual(x.rdata, s.rdata))) list.push(s);
  }
  return order.map((d) => ({
    name: d.name,
    type: d.type,
    class: d.class,
    ttl: d.records.reduce((m, r) => Math.min(m, r.ttl), d.records.length > 0 ? 0xffffffff : 0),
    records: d.records,
    rrsigs: d.rrsigs,
  }));
}

/** The records of an RRset followed by its signatures, in wire order. */
export function rrsetRecords(set: RRset): ResourceRecord[] {
  return [...set.records, ...set.rrsigs];
}
