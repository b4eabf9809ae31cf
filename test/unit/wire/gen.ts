// gen.ts — seeded generator of random but valid DNS records and messages for the wire tests
// (round trip, encoder, text parity). Deterministic: mulberry32 PRNG, no Math.random.
import { RRType } from '../../../src/wire/constants.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import type { Rdata } from '../../../src/wire/rdata/codec.js';

export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
}

const WORDS = ['example', 'com', 'org', 'mail', 'mx1', 'ns', 'www', 'a', 'Zone', '_25', '_tcp', 'sub', 'xn--bcher-kva'];

/** A random name under one of a few zones (so compression has something to share). */
export function randomName(rng: Rng, weird = false): Name {
  const labels: Uint8Array[] = [];
  const n = rng.int(0, 4);
  for (let i = 0; i < n; i++) {
    if (weird && rng.next() < 0.1) labels.push(rng.bytes(rng.int(1, 12)));
    else labels.push(Uint8Array.from(rng.pick(WORDS), (c) => c.charCodeAt(0)));
  }
  return Name.fromLabels(labels);
}

function types(rng: Rng): number[] {
  const all = [1, 2, 5, 6, 15, 16, 28, 33, 43, 46, 47, 48, 50, 52, 257, 65534, 1234, 99];
  const n = rng.int(0, 6);
  return [...new Set(Array.from({ length: n }, () => rng.pick(all)))].sort((a, b) => a - b);
}

/** Random typed RDATA of the given type. */
export function randomRdata(rng: Rng, type: number, weird = false): Rdata {
  const name = (): Name => randomName(rng, weird);
  switch (type) {
    case RRType.A: return { type: 'A', address: [0, 0, 0, 0].map(() => rng.int(0, 255)).join('.') };
    case RRType.AAAA: {
      const words = Array.from({ length: 8 }, () => (rng.next() < 0.4 ? 0 : rng.int(0, 0xffff)));
      return { type: 'AAAA', address: words.map((w) => w.toString(16)).join(':') };
    }
    case RRType.NS: return { type: 'NS', target: name() };
    case RRType.CNAME: return { type: 'CNAME', target: name() };
    case RRType.PTR: return { type: 'PTR', target: name() };
    case RRType.DNAME: return { type: 'DNAME', target: name() };
    case RRType.SOA:
      return { type: 'SOA', mname: name(), rname: name(), serial: rng.int(0, 0xffffffff), refresh: rng.int(0, 86400), retry: rng.int(0, 7200), expire: rng.int(0, 1e6), minimum: rng.int(0, 86400) };
    case RRType.MX: return { type: 'MX', preference: rng.int(0, 65535), exchange: name() };
    case RRType.TXT: return { type: 'TXT', strings: Array.from({ length: rng.int(1, 3) }, () => rng.bytes(rng.int(0, 40)).map((b) => (weird ? b : 0x20 + (b % 95)))) };
    case RRType.SRV: return { type: 'SRV', priority: rng.int(0, 65535), weight: rng.int(0, 65535), port: rng.int(0, 65535), target: name() };
    case RRType.DS: return { type: 'DS', keyTag: rng.int(0, 65535), algorithm: rng.pick([8, 13, 15]), digestType: 2, digest: rng.bytes(32) };
    case RRType.DNSKEY: return { type: 'DNSKEY', flags: rng.pick([256, 257, 385]), protocol: 3, algorithm: rng.pick([8, 13, 15]), publicKey: rng.bytes(rng.pick([32, 64, 260])) };
    case RRType.RRSIG: {
      const inception = rng.int(1_600_000_000, 1_800_000_000);
      return {
        type: 'RRSIG', typeCovered: rng.pick([1, 28, 15, 2, 48]), algorithm: rng.pick([8, 13]), labels: rng.int(0, 4), originalTtl: rng.int(0, 86400),
        expiration: inception + rng.int(0, 3_000_000), inception, keyTag: rng.int(0, 65535), signerName: name(), signature: rng.bytes(rng.pick([64, 256])),
      };
    }
    case RRType.NSEC: return { type: 'NSEC', next: name(), types: types(rng) };
    case RRType.NSEC3:
      return { type: 'NSEC3', hashAlgorithm: 1, flags: rng.int(0, 1), iterations: rng.int(0, 20), salt: rng.bytes(rng.pick([0, 4, 8])), nextHashed: rng.bytes(20), types: types(rng) };
    case RRType.NSEC3PARAM: return { type: 'NSEC3PARAM', hashAlgorithm: 1, flags: 0, iterations: rng.int(0, 20), salt: rng.bytes(rng.pick([0, 8])) };
    case RRType.TLSA: return { type: 'TLSA', usage: rng.int(0, 3), selector: rng.int(0, 1), matchingType: rng.int(0, 2), data: rng.bytes(32) };
    case RRType.CAA: return { type: 'CAA', flags: rng.pick([0, 128]), tag: rng.pick(['issue', 'issuewild', 'iodef']), value: Uint8Array.from('letsencrypt.org', (c) => c.charCodeAt(0)) };
    case RRType.CDS: return { ...(randomRdata(rng, RRType.DS) as Extract<Rdata, { type: 'DS' | 'CDS' }>), type: 'CDS' };
    case RRType.CDNSKEY: return { ...(randomRdata(rng, RRType.DNSKEY) as Extract<Rdata, { type: 'DNSKEY' | 'CDNSKEY' }>), type: 'CDNSKEY' };
    case RRType.SMIMEA: return { ...(randomRdata(rng, RRType.TLSA) as Extract<Rdata, { type: 'TLSA' | 'SMIMEA' }>), type: 'SMIMEA' };
    default: return { type: 'OPAQUE', rrtype: type, data: rng.bytes(rng.int(0, 30)), malformed: false };
  }
}

export const GEN_TYPES: readonly number[] = [1, 28, 2, 5, 12, 39, 6, 15, 16, 33, 43, 59, 48, 60, 47, 50, 51, 52, 53, 257, 99, 65534];

/** An RRset of 1–3 distinct records (same owner/type), optionally followed by a covering RRSIG. */
export function randomRRset(rng: Rng, weird = false): RecordValue[] {
  const owner = randomName(rng, weird);
  const type = rng.pick(GEN_TYPES);
  const ttl = rng.int(0, 172800);
  const out: RecordValue[] = [];
  const n = type === RRType.CNAME || type === RRType.SOA || type === RRType.DNAME ? 1 : rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const r = RecordValue.of(owner, ttl, randomRdata(rng, type, weird));
    if (!out.some((x) => Buffer.compare(x.rdata, r.rdata) === 0)) out.push(r);
  }
  if (rng.next() < 0.4 && type !== RRType.RRSIG) {
    const sig = randomRdata(rng, RRType.RRSIG, weird);
    if (sig.type === 'RRSIG') out.push(RecordValue.of(owner, ttl, { ...sig, typeCovered: type }));
  }
  return out;
}

/** A generated message: what the builder is given and what decoding must give back. */
export interface Spec {
  header: { id: number; qr: boolean; opcode: number; aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean; rcode: number };
  question: { name: ReturnType<typeof randomName>; type: number; class: number }[];
  sections: [RecordValue[], RecordValue[], RecordValue[]];
  edns?: { udpSize: number; dnssecOk: boolean; ede: { code: number; text: string }[]; cookie?: { client: Uint8Array; server?: Uint8Array } };
}

/** A random message: header, 0–1 question, up to 4 distinct RRsets per section, maybe EDNS. */
export function randomSpec(rng: Rng): Spec {
  const hasEdns = rng.next() < 0.7;
  const b = (): boolean => rng.next() < 0.5;
  const spec: Spec = {
    header: { id: rng.int(0, 65535), qr: b(), opcode: rng.pick([0, 0, 0, 4, 5]), aa: b(), tc: b(), rd: b(), ra: b(), ad: b(), cd: b(), rcode: hasEdns ? rng.pick([0, 2, 3, 16, 23]) : rng.int(0, 5) },
    question: rng.next() < 0.9 ? [{ name: randomName(rng, true), type: rng.int(1, 300), class: rng.pick([1, 1, 3]) }] : [],
    sections: [[], [], []],
  };
  const seen = new Set<string>();
  for (let s = 0; s < 3; s++) {
    const n = rng.int(0, 4);
    for (let i = 0; i < n; i++) {
      const set = randomRRset(rng, true);
      const key = `${set[0]!.name.key()}|${set[0]!.type}`;
      if (seen.has(`${s}|${key}`)) continue; // keep sets distinct so grouping preserves order
      seen.add(`${s}|${key}`);
      spec.sections[s]!.push(...set);
    }
  }
  if (hasEdns) {
    spec.edns = {
      udpSize: rng.pick([512, 1232, 4096]),
      dnssecOk: b(),
      ede: rng.next() < 0.3 ? [{ code: rng.int(0, 30), text: rng.pick(['', 'no SEP matching the DS found', 'ünïcode']) }] : [],
      ...(rng.next() < 0.3 ? { cookie: { client: rng.bytes(8), ...(b() ? { server: rng.bytes(rng.int(8, 32)) } : {}) } } : {}),
    };
  }
  return spec;
}

/** Encodes a Spec with the MessageBuilder. */
export function build(spec: Spec, compress: boolean): Uint8Array {
  const b = new MessageBuilder(spec.header);
  for (const q of spec.question) b.question(q.name, q.type, q.class);
  b.answer(spec.sections[0]).authority(spec.sections[1]).additional(spec.sections[2]);
  if (spec.edns !== undefined) {
    const e = spec.edns;
    b.edns({ udpSize: e.udpSize, dnssecOk: e.dnssecOk, extendedErrors: e.ede, ...(e.cookie !== undefined ? { cookie: e.cookie } : {}) });
  }
  return b.build({ compress }).wire;
}
