// text.test.ts — the two presentation paths agree: for every type we decode (and an unknown type
// in RFC 3597 form) our TypeScript printing equals ldns's rrToText modulo whitespace and ldns's
// trailing `;{...}` comments; recordFromText/toZoneLine round trip; messageToText shape.
import test from 'ava';
import { RRType } from '../../../src/wire/constants.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { Message, RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { DECODED_TYPES } from '../../../src/wire/rdata/codec.js';
import { messageToText, recordFromText, recordToText, toZoneLine } from '../../../src/wire/text.js';
import { Rng, randomName, randomRdata } from './gen.js';

const norm = (s: string): string => s.replace(/;\{[^}]*\}\s*$/, '').replace(/\s+/g, ' ').trim();

test('TS record text equals ldns rrToText for every decoded type and an unknown type', (t) => {
  const rng = new Rng(7);
  const types = [...DECODED_TYPES, 65534, 4321];
  const mismatches: string[] = [];
  let compared = 0;
  for (const type of types) {
    for (let i = 0; i < 40; i++) {
      const rd = randomRdata(rng, type, i % 2 === 1);
      const rec = RecordValue.of(randomName(rng, true), rng.int(0, 86400), rd.type === 'OPAQUE' ? { ...rd, rrtype: type } : rd);
      const ldns = toZoneLine(rec);
      if (ldns === null) {
        mismatches.push(`ldns rejected type ${type}`);
        continue;
      }
      compared++;
      if (norm(ldns) !== norm(recordToText(rec))) mismatches.push(`type ${type}:\n ldns ${ldns}\n ts   ${recordToText(rec)}`);
    }
  }
  t.deepEqual(mismatches.slice(0, 5), []);
  t.is(compared, types.length * 40);
});

test('recordFromText parses zone lines through ldns, relative to the origin', (t) => {
  const origin = Name.fromText('example.com.');
  const r = recordFromText('mail 300 IN MX 10 mx1', origin);
  if (!r.ok) return t.fail(r.error);
  t.is(r.record.name.toText(), 'mail.example.com.');
  t.is(r.record.ttl, 300);
  t.is(r.record.type, RRType.MX);
  const mx = r.record.decode();
  t.true(mx.type === 'MX' && mx.preference === 10 && mx.exchange.toText() === 'mx1.example.com.');
  const ds = recordFromText('. 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D');
  if (!ds.ok) return t.fail(ds.error);
  const d = ds.record.decode();
  t.true(d.type === 'DS' && d.keyTag === 20326 && d.digest.length === 32);
  t.is(toZoneLine(ds.record)?.split(/\s+/).slice(0, 6).join(' '), '. 172800 IN DS 20326 8');
  t.false(recordFromText('bad line with nonsense', origin).ok);
});

test('messageToText prints a dig-like dump', (t) => {
  const www = Name.fromText('www.example.com.');
  const wire = new MessageBuilder({ id: 9, qr: true, rd: true, ra: true, ad: true })
    .question(www, RRType.A)
    .answer([RecordValue.of(www, 60, { type: 'A', address: '192.0.2.7' })])
    .edns({ dnssecOk: true, extendedErrors: [{ code: 22, text: 'no reachable authority' }] })
    .toWire();
  const r = Message.fromWire(wire);
  if (!r.ok) return t.fail(r.reason);
  const text = messageToText(r.message);
  t.regex(text, /opcode: QUERY, status: NOERROR, id: 9/);
  t.regex(text, /flags: qr rd ra ad; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1/);
  t.regex(text, /EDE: 22 \(no reachable authority\)/);
  t.regex(text, /www\.example\.com\.\t60\tIN\tA\t192\.0\.2\.7/);
});
