// udp.test.ts — real loopback UDP: acceptance rules (RFC 5452), spoof counters, timeout within the
// deadline with the socket closed, TC, abort, and 0x20 exact-case matching.
import test from 'ava';
import dgram from 'node:dgram';
import { systemClock } from '../../../src/util/clock.js';
import { cryptoRandom, seededRandom } from '../../../src/util/random.js';
import { AbortedError } from '../../../src/util/errors.js';
import { udpExchange, type UdpExchangeOptions } from '../../../src/transport/udp.js';
import { createTransportStats, type TransportStats } from '../../../src/transport/types.js';
import { apply0x20, readId } from '../../../src/transport/query-match.js';
import { echoReply, makeQuery, qname, udpResponder, watchUdpSockets } from './helpers.js';

function opts(stats: TransportStats, extra: Partial<UdpExchangeOptions> = {}): UdpExchangeOptions {
  return { timeoutMs: 1000, clock: systemClock, random: cryptoRandom, stats, localAddress: '127.0.0.1', ...extra };
}

test.serial('normal reply is accepted with the ID we chose', async (t) => {
  const srv = await udpResponder((m, r, s) => s.send(echoReply(m), r.port, r.address));
  const stats = createTransportStats();
  let sentId = -1;
  const res = await udpExchange({ address: '127.0.0.1', port: srv.port }, makeQuery('example.com'), opts(stats, { onSend: (id) => (sentId = id) }));
  await srv.close();
  t.is(res.kind, 'reply');
  if (res.kind !== 'reply') return;
  t.false(res.viaTcp);
  t.is(readId(res.wire), sentId);
  t.is(qname(res.wire), 'example.com');
  t.true(res.rttMs >= 0 && res.rttMs < 1000);
  t.like(stats, { sent: 1, accepted: 1, wrongId: 0 });
});

test.serial('wrong ID, wrong source port, wrong question and QR=0 are ignored; the real reply wins', async (t) => {
  const other = dgram.createSocket('udp4');
  await new Promise<void>((r) => other.bind(0, '127.0.0.1', () => r()));
  const srv = await udpResponder((m, r, s) => {
    const id = m.readUInt16BE(0);
    s.send(echoReply(m, { id: (id + 1) & 0xffff }), r.port, r.address); // wrong ID
    other.send(echoReply(m), r.port, r.address); // right everything, wrong source port
    const wrongQ = Buffer.from(makeQuery('example.org'));
    wrongQ.writeUInt16BE(id, 0);
    s.send(echoReply(wrongQ), r.port, r.address); // wrong question
    s.send(echoReply(m, { qr: false }), r.port, r.address); // not a response
    setTimeout(() => s.send(echoReply(m), r.port, r.address), 80);
  });
  const stats = createTransportStats();
  const res = await udpExchange({ address: '127.0.0.1', port: srv.port }, makeQuery('example.com'), opts(stats));
  await srv.close();
  other.close();
  t.is(res.kind, 'reply');
  t.like(stats, { accepted: 1, wrongId: 1, wrongSource: 1, wrongQuestion: 1, notResponse: 1 });
});

test.serial('silence gives timeout within the deadline and the socket is closed', async (t) => {
  const srv = await udpResponder(() => {});
  const start = performance.now();
  let elapsed = 0;
  const w = await watchUdpSockets(async () => {
    const r = await udpExchange({ address: '127.0.0.1', port: srv.port }, makeQuery('example.com'), opts(createTransportStats(), { timeoutMs: 200 }));
    elapsed = performance.now() - start;
    return r;
  });
  t.like(w.value, { kind: 'timeout' });
  t.true(elapsed >= 195 && elapsed < 350, `elapsed ${elapsed.toFixed(1)} ms`);
  t.deepEqual([w.created, w.closed], [1, 1], 'the query socket was closed');
  await srv.close();
});

test.serial('TC=1 reply gives kind truncated', async (t) => {
  const srv = await udpResponder((m, r, s) => s.send(echoReply(m, { tc: true }), r.port, r.address));
  const res = await udpExchange({ address: '127.0.0.1', port: srv.port }, makeQuery('big.example'), opts(createTransportStats()));
  await srv.close();
  t.is(res.kind, 'truncated');
});

test.serial('AbortSignal rejects with AbortedError and closes the socket', async (t) => {
  const srv = await udpResponder(() => {});
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 30);
  const w = await watchUdpSockets(() =>
    udpExchange({ address: '127.0.0.1', port: srv.port }, makeQuery('example.com'), opts(createTransportStats(), { signal: ac.signal })));
  t.true(w.value instanceof AbortedError);
  t.deepEqual([w.created, w.closed], [1, 1]);
  await t.throwsAsync(
    udpExchange({ address: '127.0.0.1', port: srv.port }, makeQuery('example.com'), opts(createTransportStats(), { signal: ac.signal })),
    { instanceOf: AbortedError },
    'already aborted',
  );
  await srv.close();
});

test.serial('0x20: exact case required — a case-folding server is ignored, an echoing one accepted', async (t) => {
  const folding = await udpResponder((m, r, s) => {
    const lower = Buffer.from(m);
    for (let i = 12; i < lower.length - 4; i++) if (lower[i]! >= 0x41 && lower[i]! <= 0x5a) lower[i]! |= 0x20;
    s.send(echoReply(lower), r.port, r.address);
  });
  const echoing = await udpResponder((m, r, s) => s.send(echoReply(m), r.port, r.address));
  const q = makeQuery('www.example.com');
  t.true(apply0x20(q, seededRandom(3)) > 0);
  const stats = createTransportStats();
  const bad = await udpExchange({ address: '127.0.0.1', port: folding.port }, q, opts(stats, { timeoutMs: 150, exactCase: true }));
  t.is(bad.kind, 'timeout');
  t.is(stats.wrongQuestion, 1);
  const lax = await udpExchange({ address: '127.0.0.1', port: folding.port }, q, opts(stats, { exactCase: false }));
  t.is(lax.kind, 'reply', 'case-insensitive matching accepts it');
  const good = await udpExchange({ address: '127.0.0.1', port: echoing.port }, q, opts(stats, { exactCase: true }));
  t.is(good.kind, 'reply');
  await folding.close();
  await echoing.close();
});

test.serial('IPv6 loopback (::1) works the same way', async (t) => {
  const sock = dgram.createSocket('udp6');
  const bound = await new Promise<boolean>((resolve) => {
    sock.once('error', () => resolve(false));
    sock.bind(0, '::1', () => resolve(true));
  });
  if (!bound) {
    t.log('::1 unavailable on this machine; bound check only');
    t.pass();
    return;
  }
  sock.on('message', (m, r) => sock.send(echoReply(m), r.port, r.address));
  const stats = createTransportStats();
  const res = await udpExchange({ address: '::1', port: sock.address().port }, makeQuery('v6.example'), opts(stats, { localAddress: '::1' }));
  sock.close();
  t.is(res.kind, 'reply');
  t.is(stats.wrongSource, 0);
});

test.serial("the caller's query bytes are copied, never rewritten with the random ID (Buffer or Uint8Array)", async (t) => {
  const srv = await udpResponder((m, r, s) => s.send(echoReply(m), r.port, r.address));
  for (const query of [Buffer.from(makeQuery('example.com')), makeQuery('example.com')]) {
    const before = Buffer.from(query).toString('hex');
    let sentId = -1;
    const res = await udpExchange({ address: '127.0.0.1', port: srv.port }, query, opts(createTransportStats(), { random: seededRandom(7), onSend: (id) => (sentId = id) }));
    t.is(res.kind, 'reply');
    t.not(sentId, 0);
    t.is(Buffer.from(query).toString('hex'), before);
  }
  await srv.close();
});
