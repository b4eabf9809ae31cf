// tcp.test.ts — real loopback TCP: pipelining with out-of-order replies on one reused connection,
// split and coalesced frames, idle close, read timeout, peer close, abort, per-server cap.
import test from 'ava';
import type net from 'node:net';
import { systemClock } from '../../../src/util/clock.js';
import { cryptoRandom } from '../../../src/util/random.js';
import { AbortedError } from '../../../src/util/errors.js';
import { TcpPool, type TcpPoolOptions } from '../../../src/transport/tcp.js';
import { createTransportStats } from '../../../src/transport/types.js';
import { echoReply, frame, makeQuery, qname, sleep, tcpResponder } from './helpers.js';

function pool(extra: Partial<TcpPoolOptions> = {}): TcpPool {
  return new TcpPool({ clock: systemClock, random: cryptoRandom, stats: createTransportStats(), localAddress: '127.0.0.1', ...extra });
}

test('pipelined queries on one connection, replies out of order, matched by ID', async (t) => {
  const held: Array<[Buffer, net.Socket]> = [];
  const srv = await tcpResponder((q, conn) => {
    held.push([Buffer.from(q), conn]);
    if (held.length === 3) for (const [m, c] of held.reverse()) c.write(frame(echoReply(m)));
  });
  const p = pool();
  const server = { address: '127.0.0.1', port: srv.port };
  const names = ['a.example', 'b.example', 'c.example'];
  const results = await Promise.all(names.map((n) => p.exchange(server, makeQuery(n), { timeoutMs: 2000 })));
  t.deepEqual(results.map((r) => (r.kind === 'reply' ? qname(r.wire) : r.kind)), names);
  t.true(results.every((r) => r.kind === 'reply' && r.viaTcp));
  t.is(srv.accepted(), 1, 'one connection carried all three');
  // Reuse: a later query goes over the same connection.
  held.length = 0;
  const again = p.exchange(server, makeQuery('d.example'), { timeoutMs: 2000 });
  await sleep(50);
  for (const [m, c] of held) c.write(frame(echoReply(m)));
  t.is((await again).kind, 'reply');
  t.is(srv.accepted(), 1);
  p.close();
  await srv.close();
});

test('a reply split into single bytes and two replies coalesced in one chunk', async (t) => {
  const held: Array<[Buffer, net.Socket]> = [];
  const srv = await tcpResponder(async (q, conn) => {
    held.push([Buffer.from(q), conn]);
    if (held.length < 3) return;
    const [first, second, third] = held.map(([m]) => frame(echoReply(m)));
    for (const byte of first!) {
      conn.write(Buffer.from([byte]));
      await sleep(1);
    }
    conn.write(Buffer.concat([second!, third!]));
  });
  const p = pool();
  const server = { address: '127.0.0.1', port: srv.port };
  const names = ['split.example', 'co1.example', 'co2.example'];
  const results = await Promise.all(names.map((n) => p.exchange(server, makeQuery(n), { timeoutMs: 3000 })));
  t.deepEqual(results.map((r) => (r.kind === 'reply' ? qname(r.wire) : r.kind)), names);
  p.close();
  await srv.close();
});

test('idle connection closes after the idle timeout', async (t) => {
  let closedByPeer = false;
  const srv = await tcpResponder((q, conn) => {
    conn.once('close', () => (closedByPeer = true));
    conn.write(frame(echoReply(q)));
  });
  const p = pool({ idleTimeoutMs: 100 });
  const r = await p.exchange({ address: '127.0.0.1', port: srv.port }, makeQuery('idle.example'), { timeoutMs: 1000 });
  t.is(r.kind, 'reply');
  t.is(p.connectionCount, 1);
  await sleep(250);
  t.is(p.connectionCount, 0);
  t.true(closedByPeer);
  await srv.close();
});

test('no reply gives timeout; server closing gives network-error; abort throws', async (t) => {
  const srv = await tcpResponder((q, conn) => {
    if (qname(q) === 'close.example') conn.destroy();
  });
  const p = pool();
  const server = { address: '127.0.0.1', port: srv.port };
  const start = performance.now();
  const r1 = await p.exchange(server, makeQuery('silent.example'), { timeoutMs: 150 });
  const elapsed = performance.now() - start;
  t.is(r1.kind, 'timeout');
  t.true(elapsed < 300, `elapsed ${elapsed.toFixed(1)}`);
  const r2 = await p.exchange(server, makeQuery('close.example'), { timeoutMs: 1000 });
  t.is(r2.kind, 'network-error');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  await t.throwsAsync(p.exchange(server, makeQuery('silent.example'), { timeoutMs: 1000, signal: ac.signal }), { instanceOf: AbortedError });
  p.close();
  await srv.close();
});

test('connection refused is a network-error value', async (t) => {
  const srv = await tcpResponder(() => {});
  const port = srv.port;
  await srv.close();
  const r = await pool().exchange({ address: '127.0.0.1', port }, makeQuery('x.example'), { timeoutMs: 1000 });
  t.is(r.kind, 'network-error');
});

test('per-server cap and pipeline depth: with maxPipeline 1 and maxPerServer 2, a third query is refused', async (t) => {
  const srv = await tcpResponder(() => {});
  const p = pool({ maxPerServer: 2, maxPipeline: 1 });
  const server = { address: '127.0.0.1', port: srv.port };
  const a = p.exchange(server, makeQuery('a.example'), { timeoutMs: 200 });
  const b = p.exchange(server, makeQuery('b.example'), { timeoutMs: 200 });
  const c = await p.exchange(server, makeQuery('c.example'), { timeoutMs: 200 });
  t.deepEqual(c, { kind: 'local-limit', limit: 'tcp-connections-per-server' });
  t.is(p.connectionsTo(server), 2);
  t.deepEqual([(await a).kind, (await b).kind], ['timeout', 'timeout']);
  p.close();
  await srv.close();
});
