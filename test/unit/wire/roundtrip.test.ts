// roundtrip.test.ts — decode(encode(m)) == m over a seeded corpus of random valid messages (names
// with odd bytes, every supported type plus unknown ones, RRSIGs, EDNS with options), with and
// without compression, and encode(decode(encode(m))) byte-identical.
import test from 'ava';
import { bytesEqual } from '../../../src/util/bytes.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { type Message, Message as M } from '../../../src/wire/message.js';
import { decodeRdata } from '../../../src/wire/rdata/codec.js';
import { Rng, type Spec, build, randomSpec } from './gen.js';

function check(spec: Spec, m: Message): string | null {
  const h = spec.header;
  for (const k of ['id', 'qr', 'opcode', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd', 'rcode'] as const) {
    if (m[k] !== h[k]) return `header ${k}: ${m[k]} != ${h[k]}`;
  }
  if (m.question.length !== spec.question.length) return 'question count';
  for (const [i, q] of spec.question.entries()) {
    const d = m.question[i]!;
    if (!bytesEqual(d.name.wire, q.name.wire) || d.type !== q.type || d.class !== q.class) return `question ${i}`;
  }
  const got = [m.answer, m.authority, m.additional];
  for (let s = 0; s < 3; s++) {
    const want = spec.sections[s]!;
    if (got[s]!.length !== want.length) return `section ${s} count ${got[s]!.length} != ${want.length}`;
    for (const [i, r] of want.entries()) {
      const d = got[s]![i]!;
      if (!bytesEqual(d.name.wire, r.name.wire) || d.type !== r.type || d.class !== r.class || d.ttl !== r.ttl) return `section ${s} rr ${i} header`;
      if (!bytesEqual(d.rdata, r.rdata)) return `section ${s} rr ${i} rdata (type ${r.type})`;
      if (JSON.stringify(d.decode(), replacer) !== JSON.stringify(decodeRdata(r.type, r.rdata), replacer)) return `section ${s} rr ${i} decode`;
    }
  }
  if ((m.edns === undefined) !== (spec.edns === undefined)) return 'edns presence';
  if (m.edns !== undefined && spec.edns !== undefined) {
    if (m.edns.udpSize !== spec.edns.udpSize || m.edns.dnssecOk !== spec.edns.dnssecOk) return 'edns fields';
    if (JSON.stringify(m.edns.extendedErrors) !== JSON.stringify(spec.edns.ede)) return 'edns ede';
    const c = spec.edns.cookie;
    if (c !== undefined && (!bytesEqual(m.edns.cookie?.client ?? new Uint8Array(0), c.client) || !bytesEqual(m.edns.cookie?.server ?? new Uint8Array(0), c.server ?? new Uint8Array(0)))) return 'cookie';
  }
  return null;
}

function replacer(_k: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (v !== null && typeof v === 'object' && 'wire' in v && (v as { wire: unknown }).wire instanceof Uint8Array) return Buffer.from((v as { wire: Uint8Array }).wire).toString('hex');
  return v;
}

test('decode(encode(m)) == m over 3000 generated messages', (t) => {
  const rng = new Rng(0xadb17);
  let smaller = 0;
  const failures: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const spec = randomSpec(rng);
    const plain = build(spec, false);
    const packed = build(spec, true);
    if (packed.length < plain.length) smaller++;
    if (packed.length > plain.length) failures.push(`#${i}: compression made it longer`);
    for (const [label, wire] of [['plain', plain], ['compressed', packed]] as const) {
      const r = M.fromWire(wire);
      if (!r.ok) {
        failures.push(`#${i} ${label}: ${r.status} at ${r.offset}`);
        continue;
      }
      const err = check(spec, r.message);
      if (err !== null) failures.push(`#${i} ${label}: ${err}`);
      const again = MessageBuilder.fromMessage(r.message).build({ compress: label === 'compressed' }).wire;
      if (!bytesEqual(again, wire)) failures.push(`#${i} ${label}: re-encode differs`);
    }
  }
  t.deepEqual(failures.slice(0, 10), []);
  t.true(smaller > 1500, `compression helped in only ${smaller} messages`);
});
