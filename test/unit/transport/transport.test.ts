// transport.test.ts — NetTransport over real loopback sockets: TC → TCP retry, tcp:true, DNS cookie
// round trip with BADCOOKIE retry and a forged client cookie ignored, and the outstanding-query cap.
import test from 'ava';
import { NetTransport } from '../../../src/transport/transport.js';
import { ClientCookies } from '../../../src/transport/cookies.js';
import { findOpt, getOption, setOption } from '../../../src/transport/edns-bytes.js';
import { systemClock } from '../../../src/util/clock.js';
import { cryptoRandom } from '../../../src/util/random.js';
import { echoReply, frame, makeQuery, qname, sleep, tcpResponder, udpResponder } from './helpers.js';

test('TC=1 over UDP is retried over TCP on the same port', async (t) => {
  const tcp = await tcpResponder((q, conn) => conn.write(frame(echoReply(q))));
  const udp = await udpResponder((m, r, s) => s.send(echoReply(m, { tc: true }), r.port, r.address), tcp.port);
  const nt = new NetTransport({ localAddress: '127.0.0.1' });
  const res = await nt.exchange({ address: '127.0.0.1', port: tcp.port }, makeQuery('big.example'), { timeoutMs: 2000 });
  t.is(res.kind, 'reply');
  t.true(res.kind === 'reply' && res.viaTcp && qname(res.wire) === 'big.example');
  t.is(nt.stats.sent, 2);
  // tcp: true skips UDP.
  const direct = await nt.exchange({ address: '127.0.0.1', port: tcp.port }, makeQuery('t.example'), { timeoutMs: 2000, tcp: true });
  t.true(direct.kind === 'reply' && direct.viaTcp);
  t.is(nt.stats.sent, 3);
  nt.close();
  await udp.close();
  await tcp.close();
});

test('cookie round trip, forged client cookie ignored, BADCOOKIE retried with the new server cookie', async (t) => {
  const seen: Array<Uint8Array | undefined> = [];
  let mode: 'normal' | 'forge' | 'badcookie' = 'normal';
  const serverCookie = new Uint8Array(8).fill(0xaa);
  const freshCookie = new Uint8Array(16).fill(0xbb);
  const udp = await udpResponder((m, r, s) => {
    const sent = getOption(m, 10);
    seen.push(sent);
    const client = sent?.subarray(0, 8) ?? new Uint8Array(8);
    const withCookie = (sc: Uint8Array, cc = client): Buffer => Buffer.from(setOption(echoReply(m), 10, Buffer.concat([cc, sc]))!);
    if (mode === 'forge') {
      s.send(withCookie(serverCookie, new Uint8Array(8).fill(1)), r.port, r.address); // not our client cookie
      setTimeout(() => s.send(withCookie(serverCookie), r.port, r.address), 30);
    } else if (mode === 'badcookie') {
      mode = 'normal';
      const reply = withCookie(freshCookie);
      reply[3] = (reply[3]! & 0xf0) | 7;
      reply[findOpt(reply)!.ttlAt] = 1; // extended RCODE 23 = BADCOOKIE
      s.send(reply, r.port, r.address);
    } else s.send(withCookie(serverCookie), r.port, r.address);
  });
  const cookies = new ClientCookies({ clock: systemClock, random: cryptoRandom });
  const nt = new NetTransport({ localAddress: '127.0.0.1', cookies });
  const server = { address: '127.0.0.1', port: udp.port };
  const ask = () => nt.exchange(server, makeQuery('c.example', 'A', true), { timeoutMs: 1000 });

  t.is((await ask()).kind, 'reply');
  t.is(seen[0]?.length, 8, 'first query: client cookie only');
  t.deepEqual(cookies.serverCookie(server), serverCookie);
  t.is((await ask()).kind, 'reply');
  t.deepEqual(seen[1], Buffer.concat([cookies.clientCookie(server), serverCookie]), 'second query echoes the server cookie');

  mode = 'forge';
  t.is((await ask()).kind, 'reply');
  t.is(nt.stats.badCookie, 1, 'reply with a foreign client cookie was ignored');

  mode = 'badcookie';
  const n = seen.length;
  const res = await ask();
  t.true(res.kind === 'reply' && (res.wire[3]! & 0x0f) === 0, 'retry got NOERROR');
  t.is(seen.length, n + 2, 'exactly one retry');
  t.deepEqual(seen[n + 1], Buffer.concat([cookies.clientCookie(server), freshCookie]));
  nt.close();
  await udp.close();
});

test('outstanding-query cap: extra queries wait for a slot, then time out if none frees', async (t) => {
  let inFlight = 0;
  let maxInFlight = 0;
  const udp = await udpResponder((m, r, s) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      s.send(echoReply(m), r.port, r.address);
    }, 60);
  });
  const nt = new NetTransport({ localAddress: '127.0.0.1', maxOutstanding: 2 });
  const server = { address: '127.0.0.1', port: udp.port };
  const all = await Promise.all(['a', 'b', 'c', 'd'].map((l) => nt.exchange(server, makeQuery(`${l}.example`), { timeoutMs: 1000 })));
  t.true(all.every((r) => r.kind === 'reply'));
  t.is(maxInFlight, 2);
  t.is(nt.outstanding, 0);
  // With one slot busy for 60 ms, a waiter with a 20 ms budget times out without sending.
  const one = new NetTransport({ localAddress: '127.0.0.1', maxOutstanding: 1 });
  const busy = one.exchange(server, makeQuery('busy.example'), { timeoutMs: 1000 });
  await sleep(5);
  t.deepEqual(await one.exchange(server, makeQuery('late.example'), { timeoutMs: 20 }), { kind: 'timeout' });
  t.is((await busy).kind, 'reply');
  t.is(one.stats.sent, 1);
  nt.close();
  one.close();
  await udp.close();
});

test('a closed UDP port (ICMP unreachable) ends the exchange as a network error, not after the timeout', async (t) => {
  // Find a loopback port with nothing behind it: bind, note the port, close.
  const probe = await udpResponder(() => undefined);
  const port = probe.port;
  await probe.close();
  const nt = new NetTransport({ localAddress: '127.0.0.1' });
  const res = await nt.exchange({ address: '127.0.0.1', port }, makeQuery('closed.example'), { timeoutMs: 10_000 });
  t.is(res.kind, 'network-error');
  t.regex(res.kind === 'network-error' ? String((res.error as NodeJS.ErrnoException).code) : '', /ECONNREFUSED/);
  nt.close();
});
