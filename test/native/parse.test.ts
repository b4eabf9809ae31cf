// parse.test.ts — native parseMessage on hand-built messages: every PARSE_* status with its offset,
// compression (pointer chains, forward/self pointers, hop cap), the 255-octet name limit (RFC 1035
// §3.1), every structured RDATA type expanded into the table, and OPT options (RFC 6891, 7873, 8914).
import test from 'ava';
import * as abi from '../../src/native/abi.js';
import { parseMessage, type ParseResult } from '../../src/native/parse.js';
import {
  buildMessage, concat, expandedRdata, longName, nameWire, OPT_SAMPLE, TYPE_SAMPLES, u16, u32,
} from './wire-builder.js';

interface Row { section: number; type: number; klass: number; ttl: number; owner: Uint8Array; rdata: Uint8Array; wireOff: number }

function rows(r: ParseResult): Row[] {
  if (!r.ok) throw new Error(`parse failed: ${r.status} at ${r.offset}`);
  const out: Row[] = [];
  const n = r.table[abi.HDR_ROWS] ?? 0;
  for (let i = 0; i < n; i++) {
    const at = abi.HDR_WORDS + i * abi.RR_STRIDE;
    const col = (k: number): number => r.table[at + k] ?? -1;
    out.push({
      section: col(abi.COL_SECTION_TYPE) >>> 16,
      type: col(abi.COL_SECTION_TYPE) & 0xffff,
      klass: col(abi.COL_CLASS),
      ttl: col(abi.COL_TTL),
      owner: r.data.subarray(col(abi.COL_OWNER_OFF), col(abi.COL_OWNER_OFF) + col(abi.COL_OWNER_LEN)),
      rdata: r.data.subarray(col(abi.COL_RDATA_OFF), col(abi.COL_RDATA_OFF) + col(abi.COL_RDATA_LEN)),
      wireOff: col(abi.COL_WIRE_OFF),
    });
  }
  return out;
}

const header = (counts: readonly number[], id = 0xabcd, flags = 0x0100): number[] => [...u16(id), ...u16(flags), ...counts.flatMap(u16)];
const fails = (wire: Uint8Array | number[]): { status: string; offset: number } => {
  const r = parseMessage(wire instanceof Uint8Array ? wire : Uint8Array.from(wire));
  return r.ok ? { status: 'OK', offset: -1 } : { status: r.status, offset: r.offset };
};
const q = { name: 'www.example.com.', type: 1 };

test('query: header words and the question row', (t) => {
  const r = parseMessage(buildMessage({ id: 0xbeef, flags: 0x0120, question: [q] }));
  t.true(r.ok);
  if (!r.ok) return;
  t.deepEqual(Array.from(r.table.subarray(0, abi.HDR_WORDS)), [0xbeef, 0x0120, 1, 0, 0, 0, 1, abi.NO_ROW]);
  const [row] = rows(r);
  t.deepEqual(row, { section: 0, type: 1, klass: 1, ttl: 0, owner: nameWire('www.example.com.'), rdata: new Uint8Array(0), wireOff: 12 });
});

test('TRUNCATED: short header, missing question, short fixed fields, RDLENGTH past the end', (t) => {
  t.deepEqual(fails(header([0, 0, 0]).slice(0, 11)), { status: 'TRUNCATED', offset: 0 });
  t.deepEqual(fails(header([1, 0, 0, 0])), { status: 'TRUNCATED', offset: 12 });
  t.deepEqual(fails([...header([1, 0, 0, 0]), 3, 0x61, 0x62]), { status: 'TRUNCATED', offset: 12 });
  t.deepEqual(fails([...header([1, 0, 0, 0]), 0, 0, 1, 0]), { status: 'TRUNCATED', offset: 13 });
  t.deepEqual(fails([...header([0, 1, 0, 0]), 0, ...u16(1), ...u16(1), ...u32(60), ...u16(4), 1, 2, 3]), { status: 'TRUNCATED', offset: 23 });
  // ancount says 2 but only one RR follows: the lie surfaces at the end of the message.
  const one = buildMessage({ question: [q], answer: [{ owner: 'www.example.com.', type: 1, rdata: [[1, 2, 3, 4]] }], counts: [1, 2, 0, 0] });
  t.deepEqual(fails(one), { status: 'TRUNCATED', offset: one.length });
});

test('POINTER_FORWARD: self, forward, and a chain whose second hop is not backwards', (t) => {
  t.deepEqual(fails([...header([1, 0, 0, 0]), 0xc0, 12, 0, 1, 0, 1]), { status: 'POINTER_FORWARD', offset: 12 });
  t.deepEqual(fails([...header([1, 0, 0, 0]), 0xc0, 14, 0, 0, 1, 0, 1]), { status: 'POINTER_FORWARD', offset: 12 });
  // Question 1 at 12: "a" + pointer to 22 (forward). Question 2 at 20 points back to 12, whose
  // pointer then targets 22 >= 12, the start of the run being read: rejected at offset 14.
  const wire = [...header([2, 0, 0, 0]), 1, 0x61, 0xc0, 12 + 10, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1];
  t.deepEqual(fails(wire), { status: 'POINTER_FORWARD', offset: 14 });
});

// Question "." at 12, then an opaque RR (type 65280) whose RDATA is a chain of `n` backward
// pointers (P0 -> root at 12, Pi -> Pi-1), then a question-less RR owned by a pointer to the last.
function pointerChain(n: number): Uint8Array {
  const ptrs: number[] = [];
  const rdataAt = 12 + 5 + 1 + 10;
  for (let i = 0; i < n; i++) {
    const target = i === 0 ? 12 : rdataAt + 2 * (i - 1);
    ptrs.push(0xc0 | (target >> 8), target & 0xff);
  }
  const lastAt = rdataAt + 2 * (n - 1);
  return Uint8Array.from([
    ...header([1, 2, 0, 0]), 0, 0, 1, 0, 1,
    0, ...u16(65280), ...u16(1), ...u32(0), ...u16(ptrs.length), ...ptrs,
    0xc0 | (lastAt >> 8), lastAt & 0xff, ...u16(1), ...u16(1), ...u32(0), ...u16(4), 1, 2, 3, 4,
  ]);
}

test('POINTER_LOOP: 127 hops are accepted, 128 are a loop', (t) => {
  const ok = parseMessage(pointerChain(126)); // 1 hop to P125, 125 down the chain, 1 to the root
  t.true(ok.ok);
  if (ok.ok) t.deepEqual(rows(ok)[2]?.owner, Uint8Array.of(0));
  const bad = pointerChain(127);
  t.is(fails(bad).status, 'POINTER_LOOP');
  t.is(fails(bad).offset, 12 + 5 + 1 + 10); // the 128th hop is P0's pointer
});

test('BAD_LABEL_TYPE: 0x40 and 0x80 label types', (t) => {
  t.deepEqual(fails([...header([1, 0, 0, 0]), 1, 0x61, 0x41, 0, 0, 1, 0, 1]), { status: 'BAD_LABEL_TYPE', offset: 14 });
  t.deepEqual(fails([...header([1, 0, 0, 0]), 0x80, 0, 0, 1, 0, 1]), { status: 'BAD_LABEL_TYPE', offset: 12 });
});

test('names of exactly 255 octets parse; 256 octets are NAME_TOO_LONG (also when built by pointers)', (t) => {
  const n255 = longName(4, 62, 'a.'); // 4*63 + 2 + 1 = 255
  t.is(nameWire(n255).length, 255);
  const ok = parseMessage(buildMessage({ question: [{ name: n255, type: 1 }] }));
  t.true(ok.ok);
  if (ok.ok) t.deepEqual(rows(ok)[0]?.owner, nameWire(n255));
  const n256 = longName(4, 62, 'ab.');
  t.is(nameWire(n256).length, 256);
  t.deepEqual(fails(buildMessage({ question: [{ name: n256, type: 1 }] })), { status: 'NAME_TOO_LONG', offset: 12 + 4 * 63 });
  // A label in place followed by a pointer to a 253-octet name: 2 + 253 = 255 is fine, 3 + 253 is not.
  const n253 = longName(4, 62, '');
  t.is(nameWire(n253).length, 253);
  const viaPointer = (label: string): Uint8Array =>
    buildMessage({ question: [{ name: n253, type: 1 }, { name: `${label}.${n253}`, type: 1 }] });
  const okWire = viaPointer('x');
  t.is(okWire.length, 12 + 253 + 4 + 2 + 2 + 4);
  const r1 = parseMessage(okWire);
  t.true(r1.ok);
  if (r1.ok) t.is(rows(r1)[1]?.owner.length, 255);
  // The offset is the label that overflows: the fourth 62-octet label of the pointed-to name.
  t.deepEqual(fails(viaPointer('xy')), { status: 'NAME_TOO_LONG', offset: 12 + 3 * 63 });
});

test('RDATA_LENGTH, TRAILING_DATA, OVERSIZE, TOO_MANY_RECORDS', (t) => {
  const mx = (extra: number[]): Uint8Array => buildMessage({ answer: [{ owner: 'example.com.', type: 15, rdata: [u16(10), { name: 'mx.example.com.' }, extra] }] });
  const m1 = mx([0]);
  t.deepEqual(fails(m1), { status: 'RDATA_LENGTH', offset: m1.length - 1 });
  const soaShort = buildMessage({ answer: [{ owner: '.', type: 6, rdata: [[0, 0], u32(1)] }] });
  t.deepEqual(fails(soaShort), { status: 'RDATA_LENGTH', offset: soaShort.length - 4 });
  const nameOut = buildMessage({ answer: [{ owner: '.', type: 2, rdata: [[3, 0x61, 0x62]] }] });
  t.deepEqual(fails(nameOut), { status: 'RDATA_LENGTH', offset: nameOut.length - 3 });
  const good = buildMessage({ question: [q] });
  t.deepEqual(fails(concat(good, [0])), { status: 'TRAILING_DATA', offset: good.length });
  t.deepEqual(fails(new Uint8Array(65536)), { status: 'OVERSIZE', offset: 65535 });
  t.deepEqual(fails(new Uint8Array(65535)), { status: 'TRAILING_DATA', offset: 12 }); // 65535 is not oversize
  t.deepEqual(fails(header([4096, 1, 0, 0])), { status: 'TOO_MANY_RECORDS', offset: 4 });
});

test('BAD_OPT: OPT in answer, non-root owner, second OPT', (t) => {
  const inAnswer = buildMessage({ question: [q], answer: [OPT_SAMPLE] });
  t.deepEqual(fails(inAnswer), { status: 'BAD_OPT', offset: buildMessage({ question: [q] }).length });
  const nonRoot = buildMessage({ additional: [{ ...OPT_SAMPLE, owner: 'example.' }] });
  t.deepEqual(fails(nonRoot), { status: 'BAD_OPT', offset: 12 });
  const one = buildMessage({ additional: [OPT_SAMPLE] });
  const two = buildMessage({ additional: [OPT_SAMPLE, OPT_SAMPLE] });
  t.deepEqual(fails(two), { status: 'BAD_OPT', offset: one.length });
});

test('BAD_RDATA: impossible field values', (t) => {
  const one = (type: number, rdata: number[]): { status: string; offset: number } =>
    fails(buildMessage({ answer: [{ owner: '.', type, rdata: [rdata] }] }));
  const rd = 12 + 1 + 10;
  t.deepEqual(one(1, [1, 2, 3, 4, 5]), { status: 'BAD_RDATA', offset: rd });
  t.deepEqual(one(28, [1, 2, 3, 4]), { status: 'BAD_RDATA', offset: rd });
  t.deepEqual(one(47, [0, 0, 1, 0x40, 0, 1, 0x40]), { status: 'BAD_RDATA', offset: rd + 4 }); // window 0 twice
  t.deepEqual(one(47, [0, 0, 0]), { status: 'BAD_RDATA', offset: rd + 1 }); // bitmap length 0
  t.deepEqual(one(47, [0, 0, 33, ...new Array<number>(33).fill(1)]), { status: 'BAD_RDATA', offset: rd + 1 });
  t.deepEqual(one(50, [1, 0, 0, 0, 0, 0]), { status: 'BAD_RDATA', offset: rd + 5 }); // hash length 0
  t.deepEqual(one(257, [0, 0]), { status: 'BAD_RDATA', offset: rd + 1 }); // CAA tag length 0
  const opt = (code: number, value: number[]): { status: string; offset: number } =>
    fails(buildMessage({ additional: [{ owner: '.', type: 41, klass: 1232, rdata: [u16(code), u16(value.length), value] }] }));
  t.deepEqual(opt(15, [0]), { status: 'BAD_RDATA', offset: rd });
  t.deepEqual(opt(10, new Array<number>(9).fill(1)), { status: 'BAD_RDATA', offset: rd });
  t.deepEqual(opt(10, new Array<number>(41).fill(1)), { status: 'BAD_RDATA', offset: rd });
  t.is(opt(10, new Array<number>(16).fill(1)).status, 'OK');
  t.is(opt(12, []).status, 'OK');
  t.deepEqual(one(16, []), { status: 'RDATA_LENGTH', offset: rd }); // TXT needs a character-string
  t.deepEqual(one(46, [...new Array<number>(18).fill(0), 0]), { status: 'RDATA_LENGTH', offset: rd + 19 }); // no signature
});

test('compression: owners and RDATA names expanded, including pointer chains', (t) => {
  const wire = buildMessage({
    question: [q],
    answer: [
      { owner: 'www.example.com.', type: 5, rdata: [{ name: 'web.example.com.', compress: true }] },
      { owner: 'web.example.com.', type: 1, rdata: [[192, 0, 2, 7]] },
    ],
  });
  t.true(wire.length < 12 + 21 + 2 * 16 + 21);
  const rs = rows(parseMessage(wire));
  t.deepEqual(rs.map((r) => r.owner), [nameWire('www.example.com.'), nameWire('www.example.com.'), nameWire('web.example.com.')]);
  t.deepEqual(rs[1]?.rdata, nameWire('web.example.com.'));
  t.deepEqual(rs.map((r) => r.section), [0, 1, 1]);
  // "web" + pointer into the CNAME RDATA, which itself points back at the question: a 2-hop chain.
  t.deepEqual(rs[2]?.rdata, Uint8Array.of(192, 0, 2, 7));
});

for (const { label, rr } of TYPE_SAMPLES) {
  test(`structured type ${label}: RDATA expanded into the table`, (t) => {
    const r = parseMessage(buildMessage({ question: [{ name: rr.owner, type: rr.type }], answer: [rr] }));
    const [, row] = rows(r);
    t.is(row?.type, rr.type);
    t.deepEqual(row?.owner, nameWire(rr.owner));
    t.deepEqual(row?.rdata, expandedRdata(rr.rdata ?? []));
  });
}

test('OPT with EDE, cookie and padding: row, payload size, TTL word, options kept verbatim', (t) => {
  const r = parseMessage(buildMessage({ question: [q], additional: [OPT_SAMPLE] }));
  t.true(r.ok);
  if (!r.ok) return;
  t.is(r.table[abi.HDR_OPT_ROW], 1);
  const opt = rows(r)[1];
  t.is(opt?.section, abi.SECTION_ADDITIONAL);
  t.is(opt?.klass, 1232);
  t.is(opt?.ttl, 0x8000);
  t.deepEqual(opt?.owner, Uint8Array.of(0));
  t.deepEqual(opt?.rdata, expandedRdata(OPT_SAMPLE.rdata ?? []));
});

test('a non-Uint8Array argument is a contract violation', (t) => {
  t.throws(() => parseMessage([1, 2, 3] as unknown as Uint8Array), { code: 'ADBIT_ERR_INVALID_ARG' });
});
