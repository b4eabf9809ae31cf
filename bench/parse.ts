// parse.ts — decode/encode throughput on realistic DNSSEC responses (answer + RRSIG; authority
// NS + DS + RRSIG; glue; OPT with DO; 600–1,400 bytes) built with adbit's encoder: (a) native parse
// to the record table, (b) parse + materialise every record and RDATA, (b') the TypeScript half of
// (b) alone over cached parse results, (c) dns-packet decode; then encode adbit vs dns-packet.
// Run: node dist/bench/parse.js [--json]. Medians of 5 interleaved rounds, spread=(max-min)/median.
import { availableParallelism, loadavg } from 'node:os';
import dnsPacket from 'dns-packet';
import { parseMessage } from '../src/native/parse.js';
import { RRType } from '../src/wire/constants.js';
import { MessageBuilder } from '../src/wire/encode.js';
import { Message, RecordValue } from '../src/wire/message.js';
import { Name } from '../src/wire/name.js';
import type { Rdata } from '../src/wire/rdata/codec.js';

const REPEATS = 5;
const MIN_MS = 300;
const CORPUS = 64;

let seed = 12345;
const rnd = (): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
};
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(0, 255));

function sig(owner: Name, covered: number, signer: Name, sigLen: number): RecordValue {
  return RecordValue.of(owner, 3600, {
    type: 'RRSIG', typeCovered: covered, algorithm: sigLen === 64 ? 13 : 8, labels: owner.labelCount(), originalTtl: 3600,
    expiration: 1_790_000_000, inception: 1_780_000_000, keyTag: int(0, 65535), signerName: signer, signature: bytes(sigLen),
  });
}

/** One referral-style DNSSEC response: answer + RRSIG, authority NS + DS + RRSIG, glue, OPT. */
function makeResponse(i: number): Uint8Array {
  const sigLen = i % 3 === 0 ? 64 : i % 3 === 1 ? 128 : 256; // ECDSA P-256, RSA-1024, RSA-2048
  const zone = Name.fromText(`zone${i}.example.`);
  const qname = Name.fromText(`mail${i}`, zone);
  const qtype = [RRType.A, RRType.AAAA, RRType.MX, RRType.TLSA][i % 4] ?? RRType.A;
  const answers: Rdata[] = [];
  for (let k = int(1, 3); k > 0; k--) {
    if (qtype === RRType.A) answers.push({ type: 'A', address: `192.0.${int(0, 255)}.${int(1, 254)}` });
    else if (qtype === RRType.AAAA) answers.push({ type: 'AAAA', address: `2001:db8::${int(1, 65535).toString(16)}` });
    else if (qtype === RRType.MX) answers.push({ type: 'MX', preference: 10 * k, exchange: Name.fromText(`mx${k}`, zone) });
    else answers.push({ type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: bytes(32) });
  }
  const answer = [...answers.map((rd) => RecordValue.of(qname, 3600, rd)), sig(qname, qtype, zone, sigLen)];
  const parent = Name.fromText('example.');
  const nsNames = Array.from({ length: int(2, 5) }, (_, k) => Name.fromText(`ns${k + 1}`, zone));
  const authority = [
    ...nsNames.map((n) => RecordValue.of(zone, 86400, { type: 'NS', target: n })),
    RecordValue.of(zone, 86400, { type: 'DS', keyTag: int(0, 65535), algorithm: 13, digestType: 2, digest: bytes(32) }),
    sig(zone, RRType.DS, parent, sigLen),
  ];
  const glue = nsNames.flatMap((n) => [
    RecordValue.of(n, 86400, { type: 'A', address: `198.51.100.${int(1, 254)}` }),
    RecordValue.of(n, 86400, { type: 'AAAA', address: `2001:db8:53::${int(1, 65535).toString(16)}` }),
  ]);
  return new MessageBuilder({ id: int(0, 65535), qr: true, rd: true, ra: true, ad: true })
    .question(qname, qtype).answer(answer).authority(authority).additional(glue)
    .edns({ udpSize: 1232, dnssecOk: true }).toWire();
}

interface Stat { median: number; min: number; max: number; spread: number }
function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)] ?? 0;
  const min = s[0] ?? 0;
  const max = s[s.length - 1] ?? 0;
  return { median, min, max, spread: median === 0 ? 0 : (max - min) / median };
}

let sink = 0;
interface Variant { name: string; items: readonly unknown[]; fn: (x: never) => unknown }
interface Rates { wall: Stat; cpu: Stat }

/**
 * Messages per second for each variant, REPEATS rounds of at least MIN_MS each. Rounds are
 * interleaved (A B C, A B C, …) so that load from other processes hits every variant alike; the
 * CPU-time rate (process.cpuUsage) is reported next to the wall-clock rate for the same reason.
 */
function measure(variants: readonly Variant[]): Map<string, Rates> {
  const wall = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (const v of variants) for (const x of v.items) (v.fn as (x: unknown) => unknown)(x); // warm-up
  for (let r = 0; r < REPEATS; r++) {
    for (const v of variants) {
      const fn = v.fn as (x: unknown) => unknown;
      let ops = 0;
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      let ms = 0;
      while (ms < MIN_MS) {
        for (const x of v.items) if (fn(x) !== undefined) sink++;
        ops += v.items.length;
        ms = Number(process.hrtime.bigint() - t0) / 1e6;
      }
      const c = process.cpuUsage(c0);
      wall.get(v.name)?.push((ops / ms) * 1000);
      cpu.get(v.name)?.push((ops / (c.user + c.system)) * 1e6);
    }
  }
  return new Map(variants.map((v) => [v.name, { wall: stat(wall.get(v.name) ?? []), cpu: stat(cpu.get(v.name) ?? []) }]));
}

function materialise(wire: Uint8Array): number {
  return walk(Message.fromWire(wire));
}

/** Reads every field of every record and decodes every RDATA. */
function walk(r: ReturnType<typeof Message.fromWire>): number {
  if (!r.ok) throw new Error(r.reason);
  const m = r.message;
  let n = m.question[0]?.name.wire.length ?? 0;
  for (const sec of [m.answer, m.authority, m.additional]) {
    for (const rr of sec) {
      n += rr.name.wire.length + rr.type + rr.class + rr.ttl;
      const d = rr.decode();
      n += d.type.length;
    }
  }
  return n + (m.edns?.udpSize ?? 0);
}

// Keep the 600–1,400-byte responses the issue asks for (smaller ones are regenerated).
const wires: Uint8Array[] = [];
for (let i = 0; wires.length < CORPUS; i++) {
  const w = makeResponse(i);
  if (w.length >= 600 && w.length <= 1400) wires.push(w);
}
const sizes = wires.map((w) => w.length).sort((a, b) => a - b);
const bufs = wires.map((w) => Buffer.from(w));
const packets = bufs.map((b) => dnsPacket.decode(b));
const tiny = [Buffer.from(new MessageBuilder({ id: 1, rd: true }).question(Name.fromText('example.com.'), RRType.A).toWire())];
const builders = wires.map((w) => {
  const r = Message.fromWire(w);
  if (!r.ok) throw new Error(r.reason);
  const m = r.message;
  // Pre-materialised records so the encode bench measures the encoder, not the decoder.
  const copy = (xs: readonly { name: Name; type: number; class: number; ttl: number; rdata: Uint8Array }[]): RecordValue[] =>
    xs.map((x) => new RecordValue(x.name, x.type, x.class, x.ttl, x.rdata.slice()));
  return { q: m.question[0]!, an: copy(m.answer), ns: copy(m.authority), ar: copy(m.additional) };
});

const parsed = wires.map((w) => parseMessage(w));
if (parsed.some((p) => !p.ok)) throw new Error('corpus does not parse');

const encodeAdbit = (b: (typeof builders)[number]): Uint8Array =>
  new MessageBuilder({ id: 1, qr: true }).question(b.q.name, b.q.type).answer(b.an).authority(b.ns).additional(b.ar).edns({ dnssecOk: true }).toWire();
const m = measure([
  { name: 'decode.nativeTable', items: wires, fn: (w: Uint8Array) => parseMessage(w) },
  { name: 'decode.materialised', items: wires, fn: materialise },
  { name: 'decode.materialiseOnly', items: parsed, fn: (p: ReturnType<typeof parseMessage>) => walk(Message.fromParsed(p)) },
  { name: 'decode.dnsPacket', items: bufs, fn: (b: Buffer) => dnsPacket.decode(b) },
  { name: 'tiny.nativeTable', items: tiny, fn: (w: Uint8Array) => parseMessage(w) },
  { name: 'tiny.dnsPacket', items: tiny, fn: (b: Buffer) => dnsPacket.decode(b) },
  { name: 'encode.adbit', items: builders, fn: encodeAdbit },
  { name: 'encode.dnsPacket', items: packets, fn: (p: dnsPacket.Packet) => dnsPacket.encode(p) },
]);
const get = (k: string): Rates => m.get(k) ?? { wall: stat([]), cpu: stat([]) };
const ratio = (a: string, b: string): { cpu: number; wall: number } => ({
  cpu: get(a).cpu.median / get(b).cpu.median,
  wall: get(a).wall.median / get(b).wall.median,
});
const ratios = {
  decodeNativeVsDnsPacket: ratio('decode.nativeTable', 'decode.dnsPacket'),
  decodeMaterialisedVsDnsPacket: ratio('decode.materialised', 'decode.dnsPacket'),
  materialiseOnlyVsDnsPacket: ratio('decode.materialiseOnly', 'decode.dnsPacket'),
  tinyNativeVsDnsPacket: ratio('tiny.nativeTable', 'tiny.dnsPacket'),
  encodeAdbitVsDnsPacket: ratio('encode.adbit', 'encode.dnsPacket'),
};
const info = {
  node: process.version,
  cpus: availableParallelism(),
  loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  corpus: { messages: CORPUS, minBytes: sizes[0], medianBytes: sizes[CORPUS >> 1], maxBytes: sizes[CORPUS - 1] },
  tinyBytes: tiny[0]?.length,
  repeats: REPEATS,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...info, results: Object.fromEntries(m), ratios, sink }, null, 2));
} else {
  const f = (s: Stat): string => `${Math.round(s.median).toLocaleString('en-US').padStart(9)}/s ±${(s.spread * 100).toFixed(0).padStart(3)}%`;
  console.log(`node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')}; ${CORPUS} responses ${sizes[0]}–${sizes[CORPUS - 1]} B (median ${sizes[CORPUS >> 1]}); ` +
    `median of ${REPEATS} interleaved rounds; spread = (max-min)/median`);
  console.log('variant                      msgs per CPU-second       msgs per wall-second');
  for (const [k, v] of m) console.log(`${k.padEnd(28)} ${f(v.cpu)}      ${f(v.wall)}`);
  for (const [k, r] of Object.entries(ratios)) console.log(`ratio ${k.padEnd(32)} cpu ${r.cpu.toFixed(2)}x  wall ${r.wall.toFixed(2)}x`);
  console.log('target: decode >= 3x dns-packet');
}
