// plain-query.test.ts — buildQuery's direct path for plain queries (no cookie, no padding) must
// produce exactly the bytes MessageBuilder writes for the same header, question and OPT record
// (RFC 1035 §4.1, RFC 6891 §6.1.2), and the builder path must still serve cookies and padding.
import test from 'ava';
import { RRType } from '../../../src/wire/constants.js';
import { MessageBuilder, buildQuery, type QueryParams } from '../../../src/wire/encode.js';
import { Message } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';

/** What buildQuery wrote before the direct path: the general MessageBuilder. */
function viaBuilder(p: QueryParams): Uint8Array {
  const b = new MessageBuilder({ id: p.id, rd: p.rd ?? false, cd: p.cd ?? false, ad: p.ad ?? false });
  b.question(p.name, p.type, p.class ?? 1);
  if (p.edns !== false) {
    b.edns({ ...(p.udpSize === undefined ? {} : { udpSize: p.udpSize }), dnssecOk: p.dnssecOk ?? false, paddingBlock: 0 });
  }
  return b.toWire();
}

test('plain queries are byte-identical to the MessageBuilder encoding', (t) => {
  let n = 0;
  for (const text of ['.', 'a.b.example.', 'Xn--Mixed.CASE.example.', 'h12.z3-of-10.bench.']) {
    for (const rd of [true, false, undefined]) for (const cd of [true, false]) for (const ad of [true, undefined]) {
      for (const edns of [true, false, undefined]) for (const dnssecOk of [true, false, undefined]) for (const udpSize of [undefined, 512, 4096]) {
        for (const type of [RRType.A, RRType.DS, 65535]) for (const cls of [undefined, 1, 3]) {
          const p: QueryParams = {
            id: (n * 7919) & 0xffff, name: Name.fromText(text), type, cd,
            ...(cls === undefined ? {} : { class: cls }), ...(rd === undefined ? {} : { rd }), ...(ad === undefined ? {} : { ad }),
            ...(edns === undefined ? {} : { edns }), ...(dnssecOk === undefined ? {} : { dnssecOk }), ...(udpSize === undefined ? {} : { udpSize }),
          };
          n++;
          const got = Buffer.from(buildQuery(p)).toString('hex');
          const want = Buffer.from(viaBuilder(p)).toString('hex');
          if (got !== want) { t.fail(`${text} ${JSON.stringify({ ...p, name: text })}: ${got} != ${want}`); return; }
        }
      }
    }
  }
  t.is(n, 4 * 3 * 2 * 2 * 3 * 3 * 3 * 3 * 3);
});

test('a plain DO query parses back with its question, flags and EDNS fields', (t) => {
  const wire = buildQuery({ id: 0xbeef, name: Name.fromText('www.example.'), type: RRType.AAAA, rd: false, dnssecOk: true, udpSize: 1232 });
  const m = Message.fromWire(wire);
  if (!m.ok) { t.fail(m.reason); return; }
  t.is(m.message.id, 0xbeef);
  t.false(m.message.rd);
  t.is(m.message.question[0]?.name.toText(), 'www.example.');
  t.is(m.message.question[0]?.type, RRType.AAAA);
  t.is(m.message.edns?.udpSize, 1232);
  t.true(m.message.edns?.dnssecOk);
  t.deepEqual(m.message.edns?.options, []);
});

test('cookies and padding still take the builder path', (t) => {
  const name = Name.fromText('example.');
  const cookie = { client: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) };
  const withCookie = Message.fromWire(buildQuery({ id: 1, name, type: RRType.A, cookie }));
  t.true(withCookie.ok && withCookie.message.edns?.cookie !== undefined);
  const padded = buildQuery({ id: 1, name, type: RRType.A, padding: true });
  t.is(padded.length % 128, 0);
});
