// encode.test.ts — MessageBuilder: compression shrinks output and decodes to the same records,
// RDATA names compressed only for RFC 1035 types (RFC 3597 §4), truncation by whole RRsets
// (RFC 2181 §9) with TC exactly when answer/authority data was dropped, OPT always kept.
import test from 'ava';
import { bytesEqual } from '../../../src/util/bytes.js';
import { RRType } from '../../../src/wire/constants.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { Message, type ResourceRecord, RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { groupRRsets } from '../../../src/wire/rrset.js';
import { Rng, randomName, randomRRset } from './gen.js';

const zone = Name.fromText('example.com.');
const www = Name.fromText('www.example.com.');
const mx = Name.fromText('mx.example.com.');

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay).indexOf(Buffer.from(needle));
}

function decode(wire: Uint8Array): Message {
  const r = Message.fromWire(wire);
  if (!r.ok) throw new Error(`${r.status} at ${r.offset}`);
  return r.message;
}

test('compression makes output smaller and decodes to the same records', (t) => {
  const recs = [
    RecordValue.of(www, 300, { type: 'CNAME', target: mx }),
    RecordValue.of(zone, 300, { type: 'MX', preference: 10, exchange: mx }),
    RecordValue.of(zone, 300, { type: 'SOA', mname: Name.fromText('ns1.example.com.'), rname: Name.fromText('hostmaster.example.com.'), serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 }),
  ];
  const build = (compress: boolean): Uint8Array => new MessageBuilder({ qr: true }).question(www, RRType.A).answer(recs).build({ compress }).wire;
  const plain = build(false);
  const packed = build(true);
  t.true(packed.length < plain.length - 30, `${packed.length} vs ${plain.length}`);
  const a = decode(plain).answer;
  const b = decode(packed).answer;
  t.is(b.length, 3);
  for (let i = 0; i < 3; i++) {
    t.true(a[i]!.name.equals(b[i]!.name));
    t.deepEqual(b[i]!.rdata, recs[i]!.rdata);
  }
  // MX RDATA was compressed: its uncompressed form is not in the wire.
  t.is(indexOf(packed, recs[1]!.rdata), -1);
});

test('names in RRSIG, NSEC and SRV RDATA are never compressed', (t) => {
  const sig = RecordValue.of(www, 300, { type: 'RRSIG', typeCovered: 1, algorithm: 13, labels: 3, originalTtl: 300, expiration: 2, inception: 1, keyTag: 7, signerName: zone, signature: new Uint8Array(64).fill(9) });
  const nsec = RecordValue.of(zone, 300, { type: 'NSEC', next: www, types: [1, 46, 47] });
  const srv = RecordValue.of(Name.fromText('_sip._tcp.example.com.'), 300, { type: 'SRV', priority: 1, weight: 2, port: 5060, target: www });
  const wire = new MessageBuilder({ qr: true }).question(www, RRType.A)
    .answer([RecordValue.of(www, 300, { type: 'A', address: '192.0.2.1' }), sig]).authority([nsec]).additional([srv]).toWire();
  for (const r of [sig, nsec, srv]) t.not(indexOf(wire, r.rdata), -1, `RDATA of type ${r.type} must appear uncompressed`);
  const m = decode(wire);
  t.deepEqual(m.answer[1]?.rdata, sig.rdata);
});

function responseWithSizes(): MessageBuilder {
  const ans = [1, 2, 3].map((i) => RecordValue.of(www, 60, { type: 'A', address: `192.0.2.${i}` }));
  const sig = RecordValue.of(www, 60, { type: 'RRSIG', typeCovered: 1, algorithm: 8, labels: 3, originalTtl: 60, expiration: 2, inception: 1, keyTag: 7, signerName: zone, signature: new Uint8Array(256) });
  const ns = [1, 2].map((i) => RecordValue.of(zone, 60, { type: 'NS', target: Name.fromText(`ns${i}.example.com.`) }));
  const glue = [1, 2].map((i) => RecordValue.of(Name.fromText(`ns${i}.example.com.`), 60, { type: 'AAAA', address: `2001:db8::${i}` }));
  return new MessageBuilder({ id: 7, qr: true, rd: true }).question(www, RRType.A).answer([...ans, sig]).authority(ns).additional(glue).edns({ udpSize: 1232, dnssecOk: true });
}

test('truncation: additional RRsets dropped whole without TC; OPT kept', (t) => {
  const full = responseWithSizes().build();
  t.false(full.truncated);
  const fm = decode(full.wire);
  t.is(fm.additional.length, 2);
  // Room for everything but one glue RRset (AAAA ns2 = 2+10+16 bytes with compression).
  const r = responseWithSizes().build({ maxSize: full.wire.length - 10 });
  t.false(r.truncated);
  t.is(r.droppedRRsets, 1);
  const m = decode(r.wire);
  t.false(m.tc);
  t.is(m.answer.length, 4);
  t.is(m.authority.length, 2);
  t.is(m.additional.length, 1);
  t.truthy(m.edns);
  t.true(r.wire.length <= full.wire.length - 10);
});

test('truncation: a dropped answer RRset sets TC and nothing partial remains', (t) => {
  const r = responseWithSizes().build({ maxSize: 200 });
  t.true(r.truncated);
  const m = decode(r.wire);
  t.true(m.tc);
  t.is(m.answer.length, 0); // A RRset + 256-byte RRSIG does not fit in 200
  t.is(m.authority.length, 0);
  t.is(m.additional.length, 0);
  t.truthy(m.edns); // RFC 6891 §7: OPT stays
  t.true(m.edns?.dnssecOk);
  t.is(m.question.length, 1);
});

test('truncation keeps whole RRsets over random messages and limits', (t) => {
  const rng = new Rng(99);
  const problems: string[] = [];
  for (let i = 0; i < 300; i++) {
    const sections: ResourceRecord[][] = [[], [], []];
    for (let s = 0; s < 3; s++) for (let k = rng.int(0, 4); k > 0; k--) sections[s]!.push(...randomRRset(rng));
    const mk = (): MessageBuilder => new MessageBuilder({ qr: true }).question(randomName(rng), 1).answer(sections[0]!).authority(sections[1]!).additional(sections[2]!).edns({});
    const full = mk().build();
    const limit = rng.int(100, Math.max(120, full.wire.length));
    const r = mk().build({ maxSize: limit });
    const m = decode(r.wire);
    if (r.wire.length > limit && r.wire.length > 12 + 300) problems.push(`#${i} size ${r.wire.length} > ${limit}`);
    const want = sections.map((s) => groupRRsets(s));
    const got = [m.answer, m.authority, m.additional].map((s) => groupRRsets(s));
    let droppedAnAu = false;
    for (let s = 0; s < 3; s++) {
      for (const set of got[s]!) {
        const orig = want[s]!.find((w) => w.name.equals(set.name) && w.type === set.type);
        if (orig === undefined || orig.records.length !== set.records.length || orig.rrsigs.length !== set.rrsigs.length) problems.push(`#${i} partial RRset in section ${s}`);
      }
      if (s < 2 && got[s]!.length < want[s]!.length) droppedAnAu = true;
    }
    if (m.tc !== droppedAnAu) problems.push(`#${i} tc=${m.tc} but dropped answer/authority=${droppedAnAu}`);
    if (m.edns === undefined) problems.push(`#${i} OPT missing`);
  }
  t.deepEqual(problems, []);
});

test('fromMessage re-encodes a decoded message byte for byte', (t) => {
  const wire = responseWithSizes().toWire();
  t.true(bytesEqual(MessageBuilder.fromMessage(decode(wire)).toWire(), wire));
});

test('RCODE above 15 without EDNS is a programmer error', (t) => {
  t.throws(() => new MessageBuilder({ rcode: 16 }).toWire());
  const m = decode(new MessageBuilder({ qr: true, rcode: 23 }).edns({}).toWire());
  t.is(m.rcode, 23);
});
