// parse-fuzz.test.ts — random bytes and mutations of valid messages through parseMessage: it never
// throws, the status is always a known code, and on success every table row points inside `data`
// with an uncompressed owner name (RFC 1035 §3.1). Deterministic: a SHA-256 counter-mode PRNG.
import { createHash } from 'node:crypto';
import test from 'ava';
import * as abi from '../../src/native/abi.js';
import { PARSE_REASONS, parseMessage, type ParseResult } from '../../src/native/parse.js';
import { buildMessage, loadFixtureMessages, OPT_SAMPLE, TYPE_SAMPLES } from './wire-builder.js';

class Prng {
  private buf = new Uint8Array(0);
  private at = 0;
  private counter = 0;
  private readonly seed: string;
  constructor(seed: string) {
    this.seed = seed;
  }
  byte(): number {
    if (this.at >= this.buf.length) {
      this.buf = createHash('sha256').update(`${this.seed}:${this.counter++}`).digest();
      this.at = 0;
    }
    return this.buf[this.at++] ?? 0;
  }
  int(n: number): number {
    return ((this.byte() << 16) | (this.byte() << 8) | this.byte()) % n;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.byte());
  }
}

function isName(data: Uint8Array, off: number, len: number): boolean {
  let p = off;
  while (p < off + len) {
    const l = data[p] ?? 0xff;
    if (l === 0) return p === off + len - 1;
    if (l > abi.MAX_LABEL) return false;
    p += 1 + l;
  }
  return false;
}

/** Returns a description of the first inconsistency, or '' when the result is sound. */
function checkResult(r: ParseResult, wire: Uint8Array): string {
  if (!r.ok) {
    if (!(r.status in PARSE_REASONS)) return `unknown status ${r.status}`;
    return r.offset >= 0 && r.offset <= Math.max(wire.length, abi.MAX_MESSAGE_BYTES) ? '' : `offset ${r.offset}`;
  }
  const t = r.table;
  const rows = t[abi.HDR_ROWS] ?? -1;
  const sum = (t[abi.HDR_QDCOUNT] ?? 0) + (t[abi.HDR_ANCOUNT] ?? 0) + (t[abi.HDR_NSCOUNT] ?? 0) + (t[abi.HDR_ARCOUNT] ?? 0);
  if (rows !== sum || t.length !== abi.HDR_WORDS + rows * abi.RR_STRIDE) return 'table size';
  const optRow = t[abi.HDR_OPT_ROW] ?? -1;
  if (optRow !== abi.NO_ROW && optRow >= rows) return 'opt row';
  let lastSection = 0;
  let lastWire = -1;
  for (let i = 0; i < rows; i++) {
    const col = (k: number): number => t[abi.HDR_WORDS + i * abi.RR_STRIDE + k] ?? -1;
    const section = col(abi.COL_SECTION_TYPE) >>> 16;
    if (section < lastSection || section > abi.SECTION_ADDITIONAL) return `row ${i} section`;
    lastSection = section;
    if (col(abi.COL_WIRE_OFF) <= lastWire || col(abi.COL_WIRE_OFF) >= wire.length) return `row ${i} wire offset`;
    lastWire = col(abi.COL_WIRE_OFF);
    const oOff = col(abi.COL_OWNER_OFF);
    const oLen = col(abi.COL_OWNER_LEN);
    if (oLen < 1 || oLen > abi.MAX_NAME_WIRE || oOff + oLen > r.data.length || !isName(r.data, oOff, oLen)) return `row ${i} owner`;
    if (col(abi.COL_RDATA_OFF) + col(abi.COL_RDATA_LEN) > r.data.length) return `row ${i} rdata`;
    if (section === abi.SECTION_QUESTION && col(abi.COL_RDATA_LEN) !== 0) return `row ${i} question rdata`;
  }
  return '';
}

function loadSeeds(): Uint8Array[] {
  const seeds: Uint8Array[] = loadFixtureMessages().map((f) => f.wire);
  for (const s of TYPE_SAMPLES) seeds.push(buildMessage({ question: [{ name: s.rr.owner, type: s.rr.type }], answer: [s.rr], additional: [OPT_SAMPLE] }));
  return seeds;
}

function mutate(rng: Prng, seed: Uint8Array): Uint8Array {
  let m: Uint8Array = Uint8Array.from(seed);
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = m.length === 0 ? 0 : rng.int(m.length);
    switch (rng.int(6)) {
      case 0: m[at] = (m[at] ?? 0) ^ (1 << rng.int(8)); break; // bit flip
      case 1: m[at] = rng.byte(); break; // random byte
      case 2: m = m.subarray(0, rng.int(m.length + 1)); break; // truncate
      case 3: { // insert a few random bytes
        const ins = rng.bytes(1 + rng.int(8));
        m = Uint8Array.from([...m.subarray(0, at), ...ins, ...m.subarray(at)]);
        break;
      }
      case 4: m[at] = 0xc0 | rng.int(0x40); if (at + 1 < m.length) m[at + 1] = rng.byte(); break; // pointer
      default: { // change a header count
        const c = 4 + 2 * rng.int(4);
        if (c + 1 < m.length) m[c + 1] = rng.int(8);
      }
    }
  }
  return m;
}

test('random bytes: never throws, known status, consistent table', (t) => {
  const rng = new Prng('adbit-parse-random-1');
  const started = Date.now();
  let ok = 0;
  for (let i = 0; i < 2000; i++) {
    const len = rng.int(i % 10 === 0 ? 1024 : 64);
    const wire = rng.bytes(len);
    if (i % 3 === 0 && wire.length >= 12) wire.fill(0, 4, 12); // zero counts so some messages parse
    const r = parseMessage(wire);
    const bad = checkResult(r, wire);
    if (bad) t.fail(`input ${Buffer.from(wire).toString('hex')}: ${bad}`);
    if (r.ok) ok++;
  }
  t.true(ok > 0, 'some random inputs parse');
  t.true(Date.now() - started < 10_000);
});

test('mutated valid messages: never throws, known status, consistent table', (t) => {
  const rng = new Prng('adbit-parse-mutate-1');
  const seeds = loadSeeds();
  t.true(seeds.length >= 7);
  for (const s of seeds) t.is(checkResult(parseMessage(s), s), '');
  const started = Date.now();
  const statuses = new Set<string>();
  for (let i = 0; i < 4000; i++) {
    const seed = seeds[rng.int(seeds.length)] ?? new Uint8Array(0);
    const wire = mutate(rng, seed);
    const r = parseMessage(wire);
    statuses.add(r.ok ? 'OK' : r.status);
    const bad = checkResult(r, wire);
    if (bad) t.fail(`mutant ${Buffer.from(wire).toString('hex')}: ${bad}`);
  }
  t.true(Date.now() - started < 10_000);
  // The mutations reach the main failure classes, not just one.
  for (const s of ['OK', 'TRUNCATED', 'POINTER_FORWARD', 'RDATA_LENGTH', 'TRAILING_DATA']) t.true(statuses.has(s), s);
  t.log(`statuses seen: ${[...statuses].sort().join(', ')}`);
});
