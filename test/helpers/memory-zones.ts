// memory-zones.ts — an in-memory authoritative model answering like NSD: referrals with DS or a
// DS-denial, NSEC (RFC 4034 §4) and NSEC3 (RFC 5155 §7) chains incl. empty non-terminals and
// opt-out, wildcard synthesis (RFC 4592), DNAME synthesis (RFC 6672 §3.2), NXDOMAIN/NODATA proofs
// (RFC 4035 §3.1.3, RFC 5155 §7.2). Zones are signed with test/helpers/signer.ts; faults mint bogus data.
import { createHash } from 'node:crypto';
import { native } from '../../src/native/binding.js';
import type { FetchResult, Fetcher, UpstreamResponse } from '../../src/dnssec/fetcher.js';
import { fromHex, toBase32Hex } from '../../src/util/bytes.js';
import { TrustAnchorStore } from '../../src/dnssec/trust-anchors.js';
import { decodeDS } from '../../src/wire/rdata/ds.js';
import { MessageBuilder } from '../../src/wire/encode.js';
import { Message, RecordValue } from '../../src/wire/message.js';
import { Name } from '../../src/wire/name.js';
import { decodeNSEC, encodeNSEC } from '../../src/wire/rdata/nsec.js';
import { encodeNSEC3 } from '../../src/wire/rdata/nsec3.js';
import { decodeNameRdata } from '../../src/wire/rdata/names.js';
import { dnskeyRecord, dsRdata, generateKey, signRRset, withFlags, type TestKey } from './signer.js';

export const T = { A: 1, NS: 2, CNAME: 5, SOA: 6, TXT: 16, AAAA: 28, DNAME: 39, DS: 43, RRSIG: 46, NSEC: 47, DNSKEY: 48, NSEC3: 50, NSEC3PARAM: 51 } as const;

export interface ZoneOptions {
  readonly apex: string;
  /** 'none' = unsigned zone. */
  readonly denial?: 'nsec' | 'nsec3' | 'none';
  readonly nsec3?: { readonly iterations?: number; readonly salt?: string; readonly optOut?: boolean };
  readonly alg?: 13 | 15;
  /** Zone-file lines relative to the apex, e.g. `www 300 IN A 192.0.2.1`. */
  readonly records?: readonly string[];
  /** DS published in the parent. */
  readonly ds?: 'normal' | 'none' | 'mismatch' | { readonly algorithm?: number; readonly digestType?: number };
  readonly faults?: {
    readonly corrupt?: readonly string[]; // `owner/TYPE` (owner relative to apex, @ = apex)
    readonly strip?: readonly string[];
    readonly window?: 'expired' | 'future';
    readonly kskDoesNotSignKeys?: boolean;
    readonly revokedKsk?: boolean;
    readonly extraDnskeys?: readonly Uint8Array[];
    readonly extraSigs?: (z: MemoryZone) => RecordValue[];
  };
}

export interface Node { readonly name: Name; readonly sets: Map<number, RecordValue[]> }

export class MemoryZone {
  readonly apex: Name;
  readonly opts: ZoneOptions;
  readonly signed: boolean;
  readonly ksk: TestKey;
  readonly zsk: TestKey;
  readonly nodes = new Map<string, Node>();
  readonly sigs = new Map<string, RecordValue[]>();
  /** NSEC3 records by owner key, with raw hash for lookups. */
  nsec3: { hash: Uint8Array; rr: RecordValue }[] = [];
  nsec: RecordValue[] = [];

  constructor(opts: ZoneOptions) {
    this.opts = opts;
    this.apex = Name.fromText(opts.apex);
    this.signed = (opts.denial ?? 'nsec') !== 'none';
    const alg = opts.alg ?? 13;
    const ksk = generateKey(alg, 257);
    this.ksk = opts.faults?.revokedKsk === true ? withFlags(ksk, 257 | 0x80) : ksk;
    this.zsk = generateKey(alg, 256);
    this.add(new RecordValue(this.apex, T.SOA, 1, 300, rrRdata(`@ 300 IN SOA ns1.${rel(opts.apex)} h.${rel(opts.apex)} 1 7200 3600 1209600 300`, this.apex)));
    this.add(new RecordValue(this.apex, T.NS, 1, 300, rrRdata(`@ 300 IN NS ns1.${rel(opts.apex)}`, this.apex)));
    for (const line of opts.records ?? []) this.add(rrFromLine(line, this.apex));
  }

  add(r: RecordValue): void {
    const k = r.name.key();
    let n = this.nodes.get(k);
    if (n === undefined) { n = { name: r.name.lower(), sets: new Map() }; this.nodes.set(k, n); }
    const list = n.sets.get(r.type) ?? [];
    list.push(r);
    n.sets.set(r.type, list);
  }

  node(name: Name): Node | undefined { return this.nodes.get(name.key()); }
  set(name: Name, type: number): RecordValue[] | undefined { return this.node(name)?.sets.get(type); }
  sigsOf(name: Name, type: number): RecordValue[] { return this.sigs.get(`${name.key()}|${type}`) ?? []; }
  rrset(name: Name, type: number): RecordValue[] {
    const own = type === T.NSEC ? this.nsec.filter((r) => r.name.equals(name))
      : type === T.NSEC3 ? this.nsec3.filter((x) => x.rr.name.equals(name)).map((x) => x.rr) : this.set(name, type) ?? [];
    return [...own, ...this.sigsOf(name, type)];
  }

  /** True when `name` is a delegation point (NS below the apex). */
  isCut(name: Name): boolean { return !name.equals(this.apex) && this.set(name, T.NS) !== undefined; }

  /** The delegation at or above `name` (below the apex), if any. */
  cutAbove(name: Name): Name | null {
    for (let n = name; n.labelCount() > this.apex.labelCount(); n = n.parent()) if (this.isCut(n)) return n;
    return null;
  }

  /** Signs the zone and builds its denial chain; `now` fixes the signature window. */
  sign(nowSec: number): void {
    if (!this.signed) return;
    const f = this.opts.faults ?? {};
    const win = f.window === 'expired' ? { inception: nowSec - 40 * 86400, expiration: nowSec - 10 * 86400 }
      : f.window === 'future' ? { inception: nowSec + 10 * 86400, expiration: nowSec + 40 * 86400 }
      : { inception: nowSec - 3600, expiration: nowSec + 30 * 86400 };
    this.nodes.get(this.apex.key())?.sets.delete(T.DNSKEY);
    for (const k of [this.ksk, this.zsk]) this.add(dnskeyRecord(this.apex, k));
    for (const rd of f.extraDnskeys ?? []) this.add(dnskeyRecord(this.apex, rd));
    buildDenial(this);
    const rel = (n: Name, t: number): string => `${n.equals(this.apex) ? '@' : Name.fromLabels(n.labels().slice(0, n.labelCount() - this.apex.labelCount())).toText().slice(0, -1)}/${typeName(t)}`;
    for (const node of this.nodes.values()) {
      for (const [type, recs] of node.sets) {
        if (this.cutAbove(node.name) !== null && !(type === T.DS && this.isCut(node.name))) continue; // delegation NS / glue
        const id = rel(node.name, type);
        if (f.strip?.includes(id) === true) continue;
        const keys = type === T.DNSKEY ? (f.kskDoesNotSignKeys === true ? [this.zsk] : [this.ksk]) : [this.zsk];
        this.sigs.set(`${node.name.key()}|${type}`, keys.map((k) => signRRset(recs, k, this.apex, { ...win, corrupt: f.corrupt?.includes(id) === true })));
      }
    }
    for (const r of [...this.nsec, ...this.nsec3.map((x) => x.rr)]) this.sigs.set(`${r.name.key()}|${r.type}`, [signRRset([r], this.zsk, this.apex, { ...win, corrupt: f.corrupt?.includes(rel(r.name, r.type)) === true })]);
    for (const s of f.extraSigs?.(this) ?? []) {
      const k = `${s.name.key()}|${((s.rdata[0] ?? 0) << 8) | (s.rdata[1] ?? 0)}`;
      this.sigs.set(k, [s, ...(this.sigs.get(k) ?? [])]); // attacker signatures first (KeyTrap)
    }
  }

  /** NSEC3 owner hash of `name` (RFC 5155 §5). */
  hash(name: Name): Uint8Array {
    const p = this.opts.nsec3 ?? {};
    const salt = p.salt === undefined || p.salt === '-' ? new Uint8Array(0) : fromHex(p.salt);
    let h = createHash('sha1').update(name.lower().wire).update(salt).digest();
    for (let i = 0; i < (p.iterations ?? 0); i++) h = createHash('sha1').update(h).update(salt).digest();
    return h;
  }

  answer(qname: Name, qtype: number): Answer { return answerFrom(this, qname, qtype); }
}

/** `x.` for the root, else the apex text (so `ns1.` + it is a valid name). */
function rel(apex: string): string {
  return apex === '.' ? 'root.' : apex;
}

function typeName(t: number): string {
  return Object.entries(T).find(([, v]) => v === t)?.[0] ?? `TYPE${t}`;
}

function parseWireRr(rr: Uint8Array): RecordValue {
  const n = Name.fromWire(rr, 0);
  if (n === null) throw new Error('bad owner');
  const p = n.end;
  const dv = new DataView(rr.buffer, rr.byteOffset, rr.byteLength);
  const rdlen = dv.getUint16(p + 8);
  return new RecordValue(n.name, dv.getUint16(p), dv.getUint16(p + 2), dv.getUint32(p + 4), rr.slice(p + 10, p + 10 + rdlen));
}

export function rrFromLine(line: string, origin: Name): RecordValue {
  const r = native.rrFromText(line, origin.toText(), 300);
  if (r.status !== 0) throw new Error(`${line}: ${r.error}`);
  return parseWireRr(r.rr);
}

function rrRdata(line: string, origin: Name): Uint8Array { return rrFromLine(line, origin).rdata; }

/** Builds the NSEC or NSEC3 chain of a zone (RFC 4035 §2.3, RFC 5155 §7.1). */
function buildDenial(z: MemoryZone): void {
  const owners = [...z.nodes.values()].filter((n) => { const c = z.cutAbove(n.name); return c === null || c.equals(n.name); });
  const typesAt = (n: Node): number[] => {
    const t = [...n.sets.keys()];
    const unsignedCut = z.isCut(n.name) && !n.sets.has(T.DS);
    return unsignedCut ? t : [...t, T.RRSIG];
  };
  if ((z.opts.denial ?? 'nsec') === 'nsec') {
    const sorted = owners.sort((a, b) => a.name.compare(b.name));
    z.nsec = sorted.map((n, i) => {
      const next = sorted[(i + 1) % sorted.length]!.name;
      return new RecordValue(n.name, T.NSEC, 1, 300, encodeNSEC({ type: 'NSEC', next, types: [...typesAt(n), T.NSEC] }));
    });
    return;
  }
  const p = z.opts.nsec3 ?? {};
  const salt = p.salt === undefined || p.salt === '-' ? new Uint8Array(0) : fromHex(p.salt);
  z.add(new RecordValue(z.apex, T.NSEC3PARAM, 1, 0, Uint8Array.of(1, 0, ((p.iterations ?? 0) >> 8) & 0xff, (p.iterations ?? 0) & 0xff, salt.length, ...salt)));
  const entries = new Map<string, { name: Name; types: number[] }>();
  for (const n of owners) {
    if (p.optOut === true && z.isCut(n.name) && !n.sets.has(T.DS)) continue; // RFC 5155 §7.1 opt-out
    entries.set(n.name.key(), { name: n.name, types: typesAt(n) });
    for (let a = n.name.parent(); a.labelCount() > z.apex.labelCount(); a = a.parent()) {
      if (!entries.has(a.key()) && z.node(a) === undefined) entries.set(a.key(), { name: a, types: [] }); // empty non-terminal
    }
  }
  const hashed = [...entries.values()].map((e) => ({ ...e, hash: z.hash(e.name) })).sort((a, b) => Buffer.compare(a.hash, b.hash));
  z.nsec3 = hashed.map((e, i) => {
    const owner = Name.fromText(toBase32Hex(e.hash), z.apex);
    const next = hashed[(i + 1) % hashed.length]!.hash;
    const types = e.types.length === 0 ? [] : e.name.equals(z.apex) ? [...e.types, T.NSEC3PARAM] : e.types;
    const rd = encodeNSEC3({ type: 'NSEC3', hashAlgorithm: 1, flags: p.optOut === true ? 1 : 0, iterations: p.iterations ?? 0, salt, nextHashed: next, types });
    return { hash: e.hash, rr: new RecordValue(owner, T.NSEC3, 1, 300, rd) };
  });
}

/** The zones of one test world, the Fetcher over them, and steps of a resolution. */
export class MemoryHierarchy {
  readonly zones: MemoryZone[] = [];
  fetches = 0;

  constructor(specs: readonly ZoneOptions[], nowSec: number) {
    for (const s of specs) this.zones.push(new MemoryZone(s));
    // Children first so their keys exist when parents publish DS (keys are made in constructors).
    for (const child of this.zones) {
      const parent = this.parentOf(child.apex);
      if (parent === null) continue;
      parent.add(new RecordValue(child.apex, T.NS, 1, 300, rrRdata(`@ 300 IN NS ns1.${rel(child.opts.apex)}`, child.apex)));
      const ds = child.opts.ds ?? 'normal';
      if (!child.signed || ds === 'none') continue;
      const rd = ds === 'mismatch' ? dsRdata(child.apex, generateKey(13, 257)) : ds === 'normal' ? dsRdata(child.apex, child.ksk) : dsRdata(child.apex, child.ksk, ds.digestType ?? 2, ds.algorithm);
      parent.add(new RecordValue(child.apex, T.DS, 1, 300, rd));
    }
    for (const z of this.zones) z.sign(nowSec);
  }

  zone(apex: string): MemoryZone {
    const z = this.zones.find((x) => x.apex.equals(Name.fromText(apex)));
    if (z === undefined) throw new Error(`no zone ${apex}`);
    return z;
  }

  parentOf(apex: Name): MemoryZone | null {
    if (apex.isRoot()) return null;
    return this.authFor(apex.parent());
  }

  /** The deepest zone whose apex is at or above `name`. */
  authFor(name: Name): MemoryZone | null {
    let best: MemoryZone | null = null;
    for (const z of this.zones) if (name.isSubdomainOf(z.apex) && (best === null || z.apex.labelCount() > best.apex.labelCount())) best = z;
    return best;
  }

  respond(z: MemoryZone, qname: Name, qtype: number): UpstreamResponse {
    const a = z.answer(qname, qtype);
    const wire = new MessageBuilder({ qr: true, aa: a.aa, rcode: a.rcode }).question(qname, qtype)
      .answer(a.answer).authority(a.authority).edns({ dnssecOk: true }).toWire();
    const m = Message.fromWire(wire);
    if (!m.ok) throw new Error(`built an unparsable message: ${m.reason}`);
    return { message: m.message, zone: z.apex, qname, qtype };
  }

  /** A Fetcher: DS from the parent side (RFC 4035 §4.2), DNSKEY from the zone itself. */
  fetcher(): Fetcher {
    return {
      fetch: async (name: Name, type: number): Promise<FetchResult> => {
        this.fetches++;
        const z = type === T.DS && !name.isRoot() ? this.authFor(name.parent()) : this.authFor(name);
        if (z === null) return { ok: false, failure: 'no-reachable-authority', detail: 'no zone' };
        return { ok: true, response: this.respond(z, name, type) };
      },
    };
  }

  /** The responses of a full resolution (one per CNAME/DNAME hop across zones). */
  steps(qname: Name, qtype: number): UpstreamResponse[] {
    const out: UpstreamResponse[] = [];
    let name = qname;
    for (let hop = 0; hop < 8; hop++) {
      let z = qtype === T.DS && !name.isRoot() ? this.authFor(name.parent()) : this.authFor(name);
      // Follow referrals to child zones we hold (the resolver's job in real life).
      if (z === null) break;
      const r = this.respond(z, name, qtype);
      out.push(r);
      const last = r.message.answer.filter((x) => x.type === T.CNAME);
      const cname = last.find((x) => x.name.equals(name));
      const dname = r.message.answer.find((x) => x.type === T.DNAME && name.isSubdomainOf(x.name));
      const hit = r.message.answer.some((x) => x.name.equals(name) && x.type === qtype);
      if (hit || (cname === undefined && dname === undefined)) break;
      const target = cname !== undefined ? decodeNameRdata('CNAME', cname.rdata)?.target : undefined;
      if (target === undefined) break;
      name = target;
      z = null;
    }
    return out;
  }
}

/** The sections of one authoritative answer. */
export interface Answer { rcode: number; aa: boolean; answer: RecordValue[]; authority: RecordValue[] }

function existsBelow(z: MemoryZone, name: Name): boolean {
  for (const n of z.nodes.values()) if (n.name.isSubdomainOf(name) && !n.name.equals(name)) return true;
  return false;
}

function nsecMatch(z: MemoryZone, name: Name): RecordValue[] {
  const r = z.nsec.find((x) => x.name.equals(name));
  return r === undefined ? [] : z.rrset(r.name, T.NSEC);
}

function nsecCover(z: MemoryZone, name: Name): RecordValue[] {
  const r = z.nsec.find((x) => {
    const next = decodeNSEC(x.rdata)?.next ?? z.apex;
    return x.name.compare(name) < 0 && (next.compare(x.name) <= 0 || name.compare(next) < 0);
  });
  return r === undefined ? [] : z.rrset(r.name, T.NSEC);
}

function n3Match(z: MemoryZone, name: Name): RecordValue[] {
  const h = z.hash(name);
  const r = z.nsec3.find((x) => Buffer.compare(x.hash, h) === 0);
  return r === undefined ? [] : z.rrset(r.rr.name, T.NSEC3);
}

function n3Cover(z: MemoryZone, name: Name): RecordValue[] {
  const h = z.hash(name);
  const list = z.nsec3;
  for (let i = 0; i < list.length; i++) {
    const cur = list[i]!.hash;
    const next = list[(i + 1) % list.length]!.hash;
    const after = Buffer.compare(cur, h) < 0;
    const before = Buffer.compare(h, next) < 0;
    if (Buffer.compare(next, cur) <= 0 ? after || before : after && before) return z.rrset(list[i]!.rr.name, T.NSEC3);
  }
  return [];
}

function wild(ce: Name): Name {
  return Name.fromText('*', ce);
}

/** Closest existing ancestor of `name` (names with data or empty non-terminals). */
function closestEncloser(z: MemoryZone, name: Name): Name {
  for (let n = name.parent(); ; n = n.parent()) if (z.node(n) !== undefined || existsBelow(z, n) || n.equals(z.apex)) return n;
}

/** NSEC3 closest encloser proof: CE match + next closer covered (RFC 5155 §7.2.1). */
function n3CeProof(z: MemoryZone, name: Name): { ce: Name; recs: RecordValue[] } {
  let ce = closestEncloser(z, name);
  while (n3Match(z, ce).length === 0 && !ce.equals(z.apex)) ce = ce.parent(); // opt-out gaps
  const nc = name.parent(name.labelCount() - ce.labelCount() - 1);
  return { ce, recs: [...n3Match(z, ce), ...n3Cover(z, nc)] };
}

function dedupe(list: RecordValue[]): RecordValue[] {
  const seen = new Set<string>();
  return list.filter((r) => { const k = `${r.name.key()}|${r.type}|${Buffer.from(r.rdata).toString('hex')}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

function nodataProof(z: MemoryZone, name: Name): RecordValue[] {
  if (!z.signed) return [];
  if (z.nsec.length > 0) return z.node(name) !== undefined ? nsecMatch(z, name) : nsecCover(z, name);
  const m = n3Match(z, name);
  return m.length > 0 ? m : n3CeProof(z, name).recs;
}

/** NSD-like answer from zone `z` (RFC 1034 §4.3.2 with the DNSSEC additions of RFC 4035 §3.1). */
export function answerFrom(z: MemoryZone, qname: Name, qtype: number): Answer {
  const soa = z.rrset(z.apex, T.SOA);
  const cut = z.cutAbove(qname);
  if (cut !== null && !(cut.equals(qname) && qtype === T.DS)) {
    const ds = z.rrset(cut, T.DS);
    return { rcode: 0, aa: false, answer: [], authority: dedupe([...(z.set(cut, T.NS) ?? []), ...(ds.length > 0 ? ds : nodataProof(z, cut))]) };
  }
  for (let a = qname.parent(); a.labelCount() >= z.apex.labelCount() && !qname.equals(z.apex); a = a.parent()) {
    const dn = z.set(a, T.DNAME);
    if (dn !== undefined && dn[0] !== undefined) {
      const target = decodeNameRdata('DNAME', dn[0].rdata)!.target;
      const rewritten = Name.fromLabels(qname.labels().slice(0, qname.labelCount() - a.labelCount())).concat(target);
      const synth = new RecordValue(qname, T.CNAME, 1, dn[0].ttl, rewritten.wire.slice());
      return { rcode: 0, aa: true, answer: [...z.rrset(a, T.DNAME), synth], authority: [] };
    }
    if (a.equals(z.apex)) break;
  }
  const node = z.node(qname);
  if (node !== undefined) {
    if (node.sets.has(qtype)) return { rcode: 0, aa: true, answer: z.rrset(qname, qtype), authority: [] };
    if (node.sets.has(T.CNAME)) return { rcode: 0, aa: true, answer: z.rrset(qname, T.CNAME), authority: [] };
    return { rcode: 0, aa: true, answer: [], authority: dedupe([...soa, ...nodataProof(z, qname)]) };
  }
  if (existsBelow(z, qname)) return { rcode: 0, aa: true, answer: [], authority: dedupe([...soa, ...nodataProof(z, qname)]) };
  const ce = closestEncloser(z, qname);
  const wc = wild(ce);
  const wnode = z.node(wc);
  const nc = qname.parent(qname.labelCount() - ce.labelCount() - 1);
  const n3 = z.signed && z.nsec.length === 0;
  if (wnode !== undefined) {
    const t = wnode.sets.has(qtype) ? qtype : wnode.sets.has(T.CNAME) ? T.CNAME : null;
    if (t !== null) {
      const synth = z.rrset(wc, t).map((r) => new RecordValue(qname, r.type, r.class, r.ttl, r.rdata));
      const proof = !z.signed ? [] : n3 ? n3Cover(z, nc) : nsecCover(z, qname);
      return { rcode: 0, aa: true, answer: synth, authority: dedupe(proof) };
    }
    const proof = !z.signed ? [] : n3 ? [...n3CeProof(z, qname).recs, ...n3Match(z, wc)] : [...nsecCover(z, qname), ...nsecMatch(z, wc)];
    return { rcode: 0, aa: true, answer: [], authority: dedupe([...soa, ...proof]) };
  }
  const proof = !z.signed ? [] : n3 ? [...n3CeProof(z, qname).recs, ...n3Cover(z, wc)] : [...nsecCover(z, qname), ...nsecCover(z, wc)];
  return { rcode: 3, aa: true, answer: [], authority: dedupe([...soa, ...proof]) };
}

/** A trust-anchor store holding the DS of the root KSK of `h` (like root-ds.txt), at a fixed clock. */
export function anchorsFor(h: MemoryHierarchy, nowSec: number, apex = '.'): TrustAnchorStore {
  const store = new TrustAnchorStore({ nowSec: () => nowSec });
  const z = h.zone(apex);
  const ds = decodeDS('DS', dsRdata(z.apex, z.ksk));
  if (ds === null) throw new Error('bad DS');
  store.add({ type: 'DS', owner: z.apex, ds, source: 'test' });
  return store;
}
