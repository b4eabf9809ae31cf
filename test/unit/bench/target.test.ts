// target.test.ts — the pieces of bench/target.ts that need no resolver: the query encoding (RD + AD
// bits, RFC 6840 §5.7; EDNS0 OPT with DO, RFC 3225), the name layout of the generated hierarchy,
// and the cold-pass load loop against a tiny loopback UDP server that answers with or without AD.
import test from 'ava';
import { createSocket } from 'node:dgram';
import { nameAt } from '../../../bench/gen-hierarchy.js';
import { coldPass, encodeQuery, treeRssMB } from '../../../bench/target.js';

test('encodeQuery: header flags RD+AD, one question, one OPT with DO', (t) => {
  const q = encodeQuery(0x1234, 'h1.z2.bench.');
  t.is(q.readUInt16BE(0), 0x1234);
  t.is(q.readUInt16BE(2), 0x0120);
  t.deepEqual([q.readUInt16BE(4), q.readUInt16BE(6), q.readUInt16BE(8), q.readUInt16BE(10)], [1, 0, 0, 1]);
  t.deepEqual([...q.subarray(12, 15)], [2, 0x68, 0x31]); // "h1"
  const opt = q.subarray(q.length - 11);
  t.is(opt.readUInt16BE(1), 41);
  t.is(opt.readUInt32BE(5) & 0x8000, 0x8000);
});

test('nameAt spreads names round-robin over the leaf zones', (t) => {
  t.deepEqual([0, 1, 9, 10, 11].map((i) => nameAt(i, 10)),
    ['h0.z0-of-10.bench.', 'h0.z1-of-10.bench.', 'h0.z9-of-10.bench.', 'h1.z0-of-10.bench.', 'h1.z1-of-10.bench.']);
  t.is(nameAt(5, 100), 'h0.z5-of-100.bench.'); // sizes never share names, so one target cache stays cold per size
});

test('coldPass sends each name once and counts answers and AD answers', async (t) => {
  const srv = createSocket('udp4');
  const seen: string[] = [];
  srv.on('message', (m, rinfo) => {
    const qname = m.subarray(13, 13 + (m[12] ?? 0)).toString('ascii');
    seen.push(qname);
    const n = Number(qname.slice(1));
    const r = Buffer.from(m);
    r[2] = 0x81; // QR + RD
    r[3] = n % 3 === 0 ? 0x03 : n % 2 === 0 ? 0xa0 : 0x80; // NXDOMAIN | RA+AD | RA
    r.writeUInt16BE(n % 3 === 0 ? 0 : 1, 6); // ANCOUNT (no record needed: the loop reads the header)
    srv.send(r, rinfo.port, rinfo.address);
  });
  await new Promise<void>((res) => srv.bind(0, '127.0.0.1', res));
  const names = Array.from({ length: 30 }, (_, i) => `h${i}.example.`);
  const r = await coldPass('127.0.0.1', srv.address().port, names, 4, 2000);
  srv.close();
  t.is(seen.length, 30);
  t.is(new Set(seen).size, 30);
  t.is(r.answered, 20); // n % 3 !== 0
  t.is(r.secure, 10); // answered and even
  t.true(r.qps > 0);
});

test('treeRssMB reads this process (and is 0 for a missing PID)', (t) => {
  const mb = treeRssMB(process.pid);
  t.true(mb > 5 && mb < 4096);
  t.is(treeRssMB(2 ** 22 + 12345), 0);
});
