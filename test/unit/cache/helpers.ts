// helpers.ts — shared by the cache unit tests: a controllable Clock (test/helpers/fake-clock.ts,
// counted in seconds) and small builders for records and RRsets from typed RDATA.
import { RRType } from '../../../src/wire/constants.js';
import type { ResourceRecord } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { type Rdata, decodeRdata, encodeRdata, rdataType } from '../../../src/wire/rdata/codec.js';
import { type RRset, groupRRsets } from '../../../src/wire/rrset.js';
import { type FakeClock, fakeClock as clockAt } from '../../helpers/fake-clock.js';

export type { FakeClock };

/** A clock starting at a fixed instant (seconds) that moves only when told. */
export function fakeClock(startSec = 1_700_000_000): FakeClock {
  return clockAt(startSec * 1000);
}

export const n = (text: string): Name => Name.fromText(text);

/** A record from typed RDATA. */
export function rr(owner: string, ttl: number, rd: Rdata, cls = 1): ResourceRecord {
  const rdata = encodeRdata(rd);
  const type = rdataType(rd);
  return { name: n(owner), type, class: cls, ttl, rdata, decode: () => decodeRdata(type, rdata) };
}

/** The single RRset the records form. */
export function set(...records: ResourceRecord[]): RRset {
  const sets = groupRRsets(records);
  if (sets.length !== 1) throw new Error(`expected one RRset, got ${sets.length}`);
  return sets[0]!;
}

export function aSet(owner: string, ttl: number, ...addresses: string[]): RRset {
  return set(...addresses.map((address) => rr(owner, ttl, { type: 'A', address })));
}

/** A syntactically valid RRSIG over `type` (the cache never verifies it). */
export function rrsig(owner: string, ttl: number, type: number, signer: string): ResourceRecord {
  return rr(owner, ttl, {
    type: 'RRSIG', typeCovered: type, algorithm: 13, labels: n(owner).labelCount(), originalTtl: ttl,
    expiration: 1_800_000_000, inception: 1_600_000_000, keyTag: 12345, signerName: n(signer), signature: new Uint8Array(64).fill(7),
  });
}

export function soaSet(zone: string, ttl: number, minimum: number): RRset {
  return set(rr(zone, ttl, {
    type: 'SOA', mname: n(`ns.${zone}`), rname: n(`hostmaster.${zone}`), serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum,
  }));
}

export function nsecSet(owner: string, next: string, ttl = 300, types: number[] = [RRType.A, RRType.RRSIG, RRType.NSEC]): RRset {
  return set(rr(owner, ttl, { type: 'NSEC', next: n(next), types }), rrsig(owner, ttl, RRType.NSEC, owner));
}
