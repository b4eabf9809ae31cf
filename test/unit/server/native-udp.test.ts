// native-udp.test.ts — the native UDP engine of adbit serve on 127.0.0.1 port 0 with a canned
// handler: hits answered by the I/O threads without the handler (ID/case patched, metrics merged),
// misses and refusals through the JS pipeline, the ACL swapped on reload, hostile datagrams
// survived, a concurrent burst over several threads, drain, EADDRINUSE, and io-threads 0 (dgram).
import { createSocket, type Socket } from 'node:dgram';
import test from 'ava';
import type { Answer } from '../../../src/resolver/answer.js';
import type { ServeConfig } from '../../../src/server/config.js';
import type { HandlerQuestion, QueryHandler } from '../../../src/server/handler.js';
import { startServer, type RunningServer } from '../../../src/server/run.js';
import { ListenError } from '../../../src/server/udp-server.js';
import { createJsonLogger } from '../../../src/util/log.js';
import { Rcode } from '../../../src/wire/constants.js';
import { Name } from '../../../src/wire/name.js';
import { SECURE, a, answer, parse, reqWire } from './helpers.js';

const quiet = createJsonLogger({ level: 'error', write: () => undefined });

class Counting implements QueryHandler {
  calls = 0;
  async answer(q: HandlerQuestion): Promise<Answer> {
    this.calls++;
    return answer(SECURE, [a(q.name, '192.0.2.7', 300)], 0, [], q.name);
  }
  close(): void {}
}

function cfg(over: Partial<ServeConfig> = {}): ServeConfig {
  return { listen: [{ host: '127.0.0.1', port: 0 }], allow: ['127.0.0.0/8'], openResolver: false, logLevel: 'error', metricsPublic: false, workers: 1, ioThreads: 2, ...over };
}

/** Sends every wire from one socket and collects replies by ID until all came or the timeout. */
async function exchange(port: number, wires: Uint8Array[], timeoutMs = 3000): Promise<Map<number, Buffer>> {
  const s: Socket = createSocket('udp4');
  const got = new Map<number, Buffer>();
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, timeoutMs);
    s.on('message', (m) => {
      got.set(m.readUInt16BE(0), m);
      if (got.size === wires.length) { clearTimeout(t); resolve(); }
    });
    for (const w of wires) s.send(w, port, '127.0.0.1');
  });
  s.close();
  return got;
}

const q = (id: number, name = 'www.example.test.'): Uint8Array => reqWire({ id, name: Name.fromText(name), dnssecOk: true });

async function withServer(h: QueryHandler, over: Partial<ServeConfig>, fn: (srv: RunningServer, port: number) => Promise<void>): Promise<void> {
  const srv = await startServer(cfg(over), { handler: h, log: quiet });
  try {
    await fn(srv, srv.udp[0]!.port);
  } finally {
    await srv.shutdown(100);
  }
}

test('hits are answered by the native threads: no handler call, ID and 0x20 case patched, metrics merged', async (t) => {
  const h = new Counting();
  await withServer(h, {}, async (srv, port) => {
    const first = await exchange(port, [q(1)]);
    t.is(first.size, 1);
    t.is(h.calls, 1);
    const ids = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const got = await exchange(port, ids.map((id) => q(id, id % 2 === 0 ? 'WwW.ExAmPle.TEST.' : 'www.example.test.')));
    t.is(got.size, 100);
    t.is(h.calls, 1, 'every repeat was a hit');
    for (const id of ids) {
      const m = parse(got.get(id)!);
      t.is(m.id, id);
      t.is(m.ad, true);
      t.is(m.question[0]!.name.toText(), id % 2 === 0 ? 'WwW.ExAmPle.TEST.' : 'www.example.test.');
      t.is(m.answer[0]!.ttl <= 300, true);
    }
    const s = srv.snapshot();
    t.is(s.replyCacheHits, 100);
    t.is(s.queries['udp'], 101);
    t.is(s.security['secure'], 101);
    t.is(s.rcodes['NOERROR'], 101);
    t.is(s.latencyCount, 101);
    t.true(s.latencyBuckets.reduce((x, y) => x + y, 0) >= 100);
  });
});

test('a reload that narrows the ACL reaches the native hit path (REFUSED, not a cached answer)', async (t) => {
  const h = new Counting();
  await withServer(h, {}, async (srv, port) => {
    await exchange(port, [q(1)]);
    t.is(parse((await exchange(port, [q(2)])).get(2)!).rcode, Rcode.NOERROR);
    srv.reload(cfg({ allow: ['10.0.0.0/8'] }));
    const m = parse((await exchange(port, [q(3)])).get(3)!);
    t.is(m.rcode, Rcode.REFUSED);
    t.is(m.answer.length, 0);
    t.is(srv.snapshot().refused, 1);
  });
});

test('hostile datagrams never stop the engine; a good query is answered afterwards', async (t) => {
  const h = new Counting();
  await withServer(h, {}, async (_srv, port) => {
    const loop = Buffer.from(q(7));
    loop.writeUInt16BE(0xc00c, 12); // name = pointer to itself
    const hostile: Uint8Array[] = [
      Buffer.alloc(0), Buffer.alloc(1), Buffer.alloc(11), Buffer.alloc(12), loop,
      Buffer.alloc(9000, 0x41), Buffer.from(q(8)).subarray(0, 20),
      ...Array.from({ length: 200 }, (_, i) => Buffer.from(Array.from({ length: 12 + (i % 80) }, (_, j) => (i * 31 + j * 7) & 0xff))),
    ];
    const s = createSocket('udp4');
    for (const w of hostile) s.send(w, port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 300));
    s.close();
    const got = await exchange(port, [q(42)]);
    t.is(parse(got.get(42)!).rcode, Rcode.NOERROR);
  });
});

test('a concurrent burst from 8 clients over 4 I/O threads: every query answered correctly', async (t) => {
  const h = new Counting();
  await withServer(h, { ioThreads: 4 }, async (srv, port) => {
    const names = Array.from({ length: 20 }, (_, i) => `n${i}.example.test.`);
    await exchange(port, names.map((n, i) => q(i + 1, n)));
    const clients = await Promise.all(Array.from({ length: 8 }, async (_, c) => {
      const wires = Array.from({ length: 500 }, (_, i) => q(c * 1000 + i + 1, names[i % 20]!));
      // Waves of 100: a client's own receive buffer (rmem_default, ~256 small datagrams) must not overflow.
      const got = new Map<number, Buffer>();
      for (let i = 0; i < wires.length; i += 100) for (const [k, v] of await exchange(port, wires.slice(i, i + 100), 5000)) got.set(k, v);
      let ok = 0;
      for (const [id, m] of got) {
        const p = parse(m);
        if (p.id === id && p.question[0]!.name.toText() === names[(id - c * 1000 - 1) % 20]) ok++;
      }
      return ok;
    }));
    t.deepEqual(clients, Array(8).fill(500));
    t.is(h.calls, 20);
    t.is(srv.snapshot().replyCacheHits, 4000);
  });
});

test('draining drops new datagrams; the port in use is a ListenError with the remedy', async (t) => {
  const h = new Counting();
  await withServer(h, {}, async (srv, port) => {
    await t.throwsAsync(startServer(cfg({ listen: [{ host: '127.0.0.1', port }] }), { handler: h, log: quiet }),
      { instanceOf: ListenError, message: /in use.*--listen 127\.0\.0\.1:5353/s });
    await exchange(port, [q(1)]);
    const done = srv.shutdown(100);
    t.is((await exchange(port, [q(2)], 300)).size, 0);
    await done;
  });
});

test('io-threads 0 serves through node:dgram with the same cache', async (t) => {
  const h = new Counting();
  await withServer(h, { ioThreads: 0 }, async (srv, port) => {
    await exchange(port, [q(1)]);
    const got = await exchange(port, [q(2), q(3)]);
    t.is(got.size, 2);
    t.is(h.calls, 1);
    t.is(srv.snapshot().replyCacheHits, 2);
  });
});

test('IPv6 loopback is served natively too (ipv6only socket), with its own port', async (t) => {
  const h = new Counting();
  const srv = await startServer(cfg({ listen: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }], allow: ['127.0.0.0/8', '::1/128'] }), { handler: h, log: quiet });
  try {
    const port6 = srv.udp[1]!.port;
    const ask = (id: number): Promise<Buffer> => new Promise((resolve, reject) => {
      const s = createSocket('udp6');
      const timer = setTimeout(() => { s.close(); reject(new Error('udp6 timeout')); }, 3000);
      s.on('message', (m) => { clearTimeout(timer); s.close(); resolve(m); });
      s.send(q(id), port6, '::1');
    });
    t.is(parse(await ask(1)).rcode, Rcode.NOERROR);
    const hit = parse(await ask(2));
    t.is(hit.id, 2);
    t.is(h.calls, 1);
    t.is(srv.snapshot().replyCacheHits, 1);
  } finally {
    await srv.shutdown(100);
  }
});
