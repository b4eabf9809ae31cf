// wire-builder.ts — test-only DNS message assembler for the native parser tests: names from dotted
// text, RDATA as parts (bytes or names), optional RFC 1035 §4.1.4 compression of owners and of the
// names inside RDATA, and raw count overrides for lying headers. No escapes in names (tests only).
import fs from 'node:fs';

export type Part = Uint8Array | readonly number[] | { name: string; compress?: boolean };
export interface QuestionSpec { name: string; type: number; klass?: number }
export interface RrSpec { owner: string; type: number; klass?: number; ttl?: number; rdata?: readonly Part[] }
export interface MessageSpec {
  id?: number;
  flags?: number;
  question?: readonly QuestionSpec[];
  answer?: readonly RrSpec[];
  authority?: readonly RrSpec[];
  additional?: readonly RrSpec[];
  /** Compress owner names and RDATA names marked compress (default true). */
  compress?: boolean;
  /** Header counts to write instead of the real ones. */
  counts?: readonly [number, number, number, number];
}

export const u16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
export const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

export function concat(...parts: ReadonlyArray<Uint8Array | readonly number[]>): Uint8Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Dotted text → uncompressed wire name ('.' is the root). */
export function nameWire(text: string): Uint8Array {
  const labels = text.split('.').filter((l) => l.length > 0);
  const bytes: number[] = [];
  for (const l of labels) bytes.push(l.length, ...Buffer.from(l, 'latin1'));
  bytes.push(0);
  return Uint8Array.from(bytes);
}

/** A name of `count` labels of `len` characters each under `tail` (for length limits). */
export function longName(count: number, len: number, tail = ''): string {
  const labels = Array.from({ length: count }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(len));
  return `${labels.join('.')}.${tail}`;
}

/** RDATA parts with every name written uncompressed: what the parser must return. */
export function expandedRdata(parts: readonly Part[]): Uint8Array {
  return concat(...parts.map((p) => ('name' in p ? nameWire(p.name) : p)));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** test/fixtures/messages/*.hex: '#' lines are comments, the rest is the message in hex. */
export function loadFixtureMessages(): Array<{ file: string; wire: Uint8Array }> {
  const dir = new URL('../../../test/fixtures/messages/', import.meta.url);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.hex')).sort().map((file) => {
    const text = fs.readFileSync(new URL(file, dir), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('');
    return { file, wire: new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex')) };
  });
}

class Writer {
  readonly bytes: number[] = [];
  private readonly suffixes = new Map<string, number>();
  private readonly compress: boolean;
  constructor(compress: boolean) {
    this.compress = compress;
  }

  name(text: string, compress: boolean): void {
    const labels = text.split('.').filter((l) => l.length > 0);
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).join('.').toLowerCase();
      const at = this.suffixes.get(key);
      if (this.compress && compress && at !== undefined) {
        this.bytes.push(0xc0 | (at >> 8), at & 0xff);
        return;
      }
      if (this.bytes.length < 0x4000) this.suffixes.set(key, this.bytes.length);
      const l = labels[i] ?? '';
      this.bytes.push(l.length, ...Buffer.from(l, 'latin1'));
    }
    this.bytes.push(0);
  }

  rr(rr: RrSpec): void {
    this.name(rr.owner, true);
    this.bytes.push(...u16(rr.type), ...u16(rr.klass ?? 1), ...u32(rr.ttl ?? 3600), 0, 0);
    const lenAt = this.bytes.length - 2;
    const start = this.bytes.length;
    for (const p of rr.rdata ?? []) {
      if ('name' in p) this.name(p.name, p.compress ?? false);
      else this.bytes.push(...p);
    }
    const rdlen = this.bytes.length - start;
    this.bytes[lenAt] = rdlen >> 8;
    this.bytes[lenAt + 1] = rdlen & 0xff;
  }
}

export function buildMessage(spec: MessageSpec): Uint8Array {
  const w = new Writer(spec.compress ?? true);
  const q = spec.question ?? [];
  const sections = [spec.answer ?? [], spec.authority ?? [], spec.additional ?? []];
  const counts = spec.counts ?? [q.length, sections[0]?.length ?? 0, sections[1]?.length ?? 0, sections[2]?.length ?? 0];
  w.bytes.push(...u16(spec.id ?? 0x1234), ...u16(spec.flags ?? 0x8180));
  for (const c of counts) w.bytes.push(...u16(c));
  for (const e of q) {
    w.name(e.name, true);
    w.bytes.push(...u16(e.type), ...u16(e.klass ?? 1));
  }
  for (const s of sections) for (const rr of s) w.rr(rr);
  return Uint8Array.from(w.bytes);
}

const seq = (n: number, start = 1): number[] => Array.from({ length: n }, (_, i) => (start + i) & 0xff);
const str = (s: string): number[] => [s.length, ...Buffer.from(s, 'latin1')];
const c = (name: string): Part => ({ name, compress: true });
const u = (name: string): Part => ({ name, compress: false });

/** One sample RR per structured type (names compressed where a sender may, and where we accept it). */
export const TYPE_SAMPLES: ReadonlyArray<{ label: string; rr: RrSpec }> = [
  { label: 'A', rr: { owner: 'www.example.com.', type: 1, rdata: [[192, 0, 2, 1]] } },
  { label: 'AAAA', rr: { owner: 'www.example.com.', type: 28, rdata: [[0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1]] } },
  { label: 'NS', rr: { owner: 'example.com.', type: 2, rdata: [c('ns1.example.com.')] } },
  { label: 'CNAME', rr: { owner: 'alias.example.com.', type: 5, rdata: [c('www.example.com.')] } },
  { label: 'DNAME', rr: { owner: 'old.example.com.', type: 39, rdata: [c('new.example.com.')] } },
  { label: 'PTR', rr: { owner: '1.2.0.192.in-addr.arpa.', type: 12, rdata: [c('www.example.com.')] } },
  { label: 'SOA', rr: { owner: 'example.com.', type: 6, rdata: [c('ns1.example.com.'), c('hostmaster.example.com.'), u32(2024010101), u32(7200), u32(3600), u32(1209600), u32(300)] } },
  { label: 'MX', rr: { owner: 'example.com.', type: 15, rdata: [u16(10), c('mail.example.com.')] } },
  { label: 'SRV', rr: { owner: '_sip._tcp.example.com.', type: 33, rdata: [u16(0), u16(5), u16(5060), c('sip.example.com.')] } },
  { label: 'TXT', rr: { owner: 'example.com.', type: 16, rdata: [str('v=spf1 -all'), str(''), str('second')] } },
  { label: 'HINFO', rr: { owner: 'host.example.com.', type: 13, rdata: [str('PC'), str('Linux')] } },
  { label: 'RP', rr: { owner: 'example.com.', type: 17, rdata: [c('admin.example.com.'), c('info.example.com.')] } },
  { label: 'AFSDB', rr: { owner: 'example.com.', type: 18, rdata: [u16(1), c('afs.example.com.')] } },
  { label: 'NAPTR', rr: { owner: 'example.com.', type: 35, rdata: [u16(100), u16(10), str('S'), str('SIP+D2U'), str(''), c('_sip._udp.example.com.')] } },
  { label: 'DS', rr: { owner: 'example.com.', type: 43, rdata: [u16(12345), [8, 2], seq(32)] } },
  { label: 'CDS', rr: { owner: 'example.com.', type: 59, rdata: [u16(12345), [13, 2], seq(32, 7)] } },
  { label: 'DNSKEY', rr: { owner: 'example.com.', type: 48, rdata: [u16(257), [3, 13], seq(64, 3)] } },
  { label: 'RRSIG', rr: { owner: 'www.example.com.', type: 46, rdata: [u16(1), [13, 3], u32(3600), u32(1893456000), u32(1704067200), u16(12345), c('example.com.'), seq(64, 9)] } },
  { label: 'NSEC', rr: { owner: 'a.example.com.', type: 47, rdata: [u('www.example.com.'), [0, 6, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03], [1, 1, 0x40]] } },
  { label: 'NSEC3', rr: { owner: '2t7b4g4vsa5smi47k61mv5bv1a22bojr.example.com.', type: 50, rdata: [[1, 1], u16(0), [4, 0xaa, 0xbb, 0xcc, 0xdd], [20], seq(20, 40), [0, 6, 0x40, 0x01, 0x00, 0x00, 0x00, 0x02]] } },
  { label: 'NSEC3PARAM', rr: { owner: 'example.com.', type: 51, rdata: [[1, 0], u16(0), [0]] } },
  { label: 'TLSA', rr: { owner: '_25._tcp.mail.example.com.', type: 52, rdata: [[3, 1, 1], seq(32, 100)] } },
  { label: 'CAA', rr: { owner: 'example.com.', type: 257, rdata: [[0], str('issue'), Buffer.from('letsencrypt.org', 'latin1')] } },
  { label: 'TYPE65280', rr: { owner: 'example.com.', type: 65280, rdata: [[1, 2, 3, 0xc0, 0x0c]] } },
];

/** The OPT pseudo-RR with EDE (RFC 8914), cookie (RFC 7873) and padding (RFC 7830) options. */
export const OPT_SAMPLE: RrSpec = {
  owner: '.',
  type: 41,
  klass: 1232,
  ttl: 0x00008000,
  rdata: [u16(15), u16(6), u16(18), Buffer.from('oops', 'latin1'), u16(10), u16(8), seq(8), u16(12), u16(4), [0, 0, 0, 0]],
};
