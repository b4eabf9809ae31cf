// listeners.test.ts — UDP and TCP listeners with a canned QueryHandler on 127.0.0.1 port 0:
// replies, ACL REFUSED, RFC 7766 pipelining with out-of-order replies, idle timeout, slowloris
// deadline, connection cap, in-flight cap, handler failure and timeout, SIGTERM-style drain.
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import test from 'ava';
import type { Answer } from '../../../src/resolver/answer.js';
import { Acl } from '../../../src/server/acl.js';
import type { HandlerQuestion, QueryHandler } from '../../../src/server/handler.js';
import { Metrics } from '../../../src/server/metrics.js';
import { startServer, type RunningServer } from '../../../src/server/run.js';
import type { TcpLimits } from '../../../src/server/tcp-server.js';
import { ListenError, UdpServer } from '../../../src/server/udp-server.js';
import { QueryPipeline } from '../../../src/server/pipeline.js';
import { createJsonLogger } from '../../../src/util/log.js';
import { Rcode } from '../../../src/wire/constants.js';
import { Name } from '../../../src/wire/name.js';
import { SECURE, a, answer, parse, reqWire } from './helpers.js';

const quiet = createJsonLogger({ level: 'error', write: () => undefined });

/** Answers `<ms>.delay.test.` after ms milliseconds; `fail.test.` throws; records peak concurrency. */
class Canned implements QueryHandler {
  active = 0;
  peak = 0;
  async answer(q: HandlerQuestion, o: { signal: AbortSignal }): Promise<Answer> {
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      const label = q.name.toText().split('.');
      if (label[0] === 'fail') throw new Error('boom');
      const ms = label[1] === 'delay' ? Number(label[0]) : 0;
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        o.signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); });
      });
      return answer(SECURE, [a(q.name, '192.0.2.7')]);
    } finally {
      this.active--;
    }
  }
  close(): void {}
}

async function serve(h: QueryHandler, allow = ['127.0.0.0/8'], tcpLimits: Partial<TcpLimits> = {}): Promise<RunningServer> {
  return startServer({ listen: [{ host: '127.0.0.1', port: 0 }], allow, openResolver: false, logLevel: 'error', metricsPublic: false, workers: 1 },
    { handler: h, log: quiet, tcpLimits });
}

function udpAsk(port: number, wire: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const t = setTimeout(() => { s.close(); reject(new Error('udp timeout')); }, 3000);
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(m); });
    s.send(wire, port, '127.0.0.1');
  });
}

function frame(w: Uint8Array): Buffer {
  const b = Buffer.alloc(2 + w.length);
  b.writeUInt16BE(w.length);
  b.set(w, 2);
  return b;
}

/** Collects framed replies from a socket; resolves after `n` replies. */
function readFrames(s: Socket, n: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const out: Uint8Array[] = [];
    let buf = Buffer.alloc(0);
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (out.length === n) resolve(out);
      }
    });
    s.on('close', () => reject(new Error(`closed after ${out.length} replies`)));
  });
}

function tcpConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
}

function closedWithin(s: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    s.on('close', () => { clearTimeout(t); resolve(true); });
  });
}

const q = (name: string, id: number): Uint8Array => reqWire({ name: Name.fromText(name), id, dnssecOk: true });

test('UDP: answer with AD; ACL miss → REFUSED with EDE 18', async (t) => {
  const srv = await serve(new Canned());
  const m = parse(await udpAsk(srv.udp[0]!.port, q('www.example.test.', 7)));
  t.is(m.id, 7);
  t.is(m.rcode, 0);
  t.true(m.ad);
  t.is(m.answer.length, 1);
  await srv.shutdown(100);
  const closed = await serve(new Canned(), ['10.0.0.0/8']);
  const r = parse(await udpAsk(closed.udp[0]!.port, q('www.example.test.', 8)));
  t.is(r.rcode, Rcode.REFUSED);
  t.deepEqual(r.edns?.extendedErrors.map((e) => e.code), [18]);
  t.is(closed.snapshot().refused, 1);
  await closed.shutdown(100);
});

test('TCP: pipelined queries are answered out of order as they complete (RFC 7766 §6.2.1.1)', async (t) => {
  const srv = await serve(new Canned());
  const s = await tcpConnect(srv.tcp[0]!.port);
  const replies = readFrames(s, 3);
  s.write(Buffer.concat([frame(q('300.delay.test.', 1)), frame(q('150.delay.test.', 2)), frame(q('0.delay.test.', 3))]));
  const ids = (await replies).map((w) => parse(w).id);
  t.deepEqual(ids, [3, 2, 1]);
  s.destroy();
  await srv.shutdown(100);
});

test('TCP: idle connections are closed; a half-sent message hits its deadline', async (t) => {
  const srv = await serve(new Canned(), undefined, { idleTimeoutMs: 200, messageDeadlineMs: 300 });
  const idle = await tcpConnect(srv.tcp[0]!.port);
  t.true(await closedWithin(idle, 2000));
  const slow = await tcpConnect(srv.tcp[0]!.port);
  // Trickle: one byte every 100 ms keeps the socket "active" but never completes a message.
  const w = frame(q('www.example.test.', 9));
  let i = 0;
  const iv = setInterval(() => { if (!slow.destroyed && i < w.length) slow.write(w.subarray(i, ++i)); }, 100);
  t.true(await closedWithin(slow, 2000));
  clearInterval(iv);
  t.true(i < w.length);
  await srv.shutdown(100);
});

test('TCP: connection cap closes the extra connection at once', async (t) => {
  const srv = await serve(new Canned(), undefined, { maxConnections: 2 });
  const c1 = await tcpConnect(srv.tcp[0]!.port);
  const c2 = await tcpConnect(srv.tcp[0]!.port);
  await new Promise((r) => setTimeout(r, 50));
  const c3 = await tcpConnect(srv.tcp[0]!.port);
  t.true(await closedWithin(c3, 1000));
  const ok = readFrames(c1, 1);
  c1.write(frame(q('www.example.test.', 5)));
  t.is(parse((await ok)[0]!).id, 5);
  c1.destroy();
  c2.destroy();
  await srv.shutdown(100);
});

test('TCP: in-flight cap per connection pauses reading, all queries still answered', async (t) => {
  const h = new Canned();
  const srv = await serve(h, undefined, { maxInFlight: 2 });
  const s = await tcpConnect(srv.tcp[0]!.port);
  const replies = readFrames(s, 6);
  s.write(Buffer.concat(Array.from({ length: 6 }, (_, i) => frame(q('50.delay.test.', 100 + i)))));
  t.deepEqual((await replies).map((w) => parse(w).id).sort(), [100, 101, 102, 103, 104, 105]);
  t.true(h.peak <= 2, `peak ${h.peak}`);
  s.destroy();
  await srv.shutdown(100);
});

test('handler failure → SERVFAIL + EDE 0; handler timeout → SERVFAIL', async (t) => {
  const pipeline = new QueryPipeline({ handler: new Canned(), acl: new Acl(), metrics: new Metrics(false), log: quiet, timeoutMs: 100 });
  const remote = { address: '127.0.0.1', port: 1, transport: 'udp' as const };
  const f = parse((await pipeline.handle(q('fail.test.', 1), remote))!);
  t.is(f.rcode, Rcode.SERVFAIL);
  t.deepEqual(f.edns?.extendedErrors.map((e) => e.code), [0]);
  const slow = parse((await pipeline.handle(q('1000.delay.test.', 2), remote))!);
  t.is(slow.rcode, Rcode.SERVFAIL);
  t.regex(slow.edns?.extendedErrors[0]?.text ?? '', /timed out/);
  t.is(pipeline.metrics.s.rcodes['SERVFAIL'], 2);
});

test('shutdown drains: a query in flight still gets its reply', async (t) => {
  const srv = await serve(new Canned());
  const pending = udpAsk(srv.udp[0]!.port, q('300.delay.test.', 77));
  await new Promise((r) => setTimeout(r, 50));
  const drained = srv.shutdown(2000);
  t.is(parse(await pending).id, 77);
  t.true(await drained);
});

test('bind conflict → ListenError saying what to do', async (t) => {
  const srv = await serve(new Canned());
  const other = new UdpServer(srv.pipeline);
  const e = await t.throwsAsync(other.listen({ host: '127.0.0.1', port: srv.udp[0]!.port }), { instanceOf: ListenError });
  t.regex(e?.message ?? '', /in use.*another address or port/);
  await srv.shutdown(100);
});

test('overload: beyond maxInFlight UDP queries are dropped, TCP ones get SERVFAIL', async (t) => {
  const pipeline = new QueryPipeline({ handler: new Canned(), acl: new Acl(), metrics: new Metrics(false), log: quiet, maxInFlight: 2 });
  const udp = { address: '127.0.0.1', port: 1, transport: 'udp' as const };
  const slow = [pipeline.handle(q('200.delay.test.', 1), udp), pipeline.handle(q('200.delay.test.', 2), udp)];
  t.is(pipeline.inFlight, 2);
  t.is(await pipeline.handle(q('www.example.test.', 3), udp), null);
  const tcp = parse((await pipeline.handle(q('www.example.test.', 4), { ...udp, transport: 'tcp' }))!);
  t.is(tcp.rcode, Rcode.SERVFAIL);
  t.regex(tcp.edns?.extendedErrors[0]?.text ?? '', /overloaded/);
  t.is(pipeline.metrics.s.dropped, 2);
  for (const r of await Promise.all(slow)) t.is(parse(r!).rcode, 0);
});
