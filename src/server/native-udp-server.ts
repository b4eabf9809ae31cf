// native-udp-server.ts — the UDP listeners on the native engine (native/src/udp_engine.cc): the
// core owns the sockets and answers reply-cache hits on its own I/O threads with recvmmsg/sendmmsg;
// every datagram it does not answer (miss, non-plain query, client outside the ACL, which the JS
// pipeline then REFUSEs) arrives here in batches and goes through the QueryPipeline, its reply
// back out through the socket it came in on. Native hit counts are merged into the metrics.
import type { Acl } from './acl.js';
import { LATENCY_BUCKETS_SEC, mergeSnapshots, emptySnapshot, type MetricsSnapshot } from './metrics.js';
import type { QueryPipeline, Remote } from './pipeline.js';
import { bindErrorMessage, ListenError, type ListenAddress, type UdpListeners } from './udp-server.js';
import { createUdpEngine, MISS_META_STRIDE, type NativeUdpEngine, PEER_BYTES, SECURITY_CODES } from '../native/udp.js';
import { rcodeToText } from '../wire/constants.js';

/** Packs an ACL into the engine's rows: [family, prefix, 16 address bytes]. */
export function packAcl(acl: Acl): Uint8Array {
  const out = new Uint8Array(acl.networks.length * 18);
  acl.networks.forEach((n, i) => {
    out[i * 18] = n.family;
    out[i * 18 + 1] = n.prefix;
    out.set(n.bytes.subarray(0, 16), i * 18 + 2);
  });
  return out;
}

export interface NativeUdpOptions {
  /** I/O threads reading the sockets (each answers hits on its own). */
  readonly threads: number;
  /** SO_REUSEPORT: only when several worker processes share the port (cluster). */
  readonly reusePort: boolean;
}

export class NativeUdpServer implements UdpListeners {
  readonly engine: string;
  readonly #pipeline: QueryPipeline;
  readonly #engine: NativeUdpEngine;
  #started = false;
  #closed = false;
  /** Resolvers waiting for the quiesce barrier (an empty miss batch). */
  #barriers: (() => void)[] = [];

  constructor(pipeline: QueryPipeline, o: NativeUdpOptions) {
    this.#pipeline = pipeline;
    this.engine = `native, ${o.threads} I/O thread${o.threads === 1 ? '' : 's'}`;
    this.#engine = createUdpEngine(pipeline.replies.table, {
      threads: o.threads, reusePort: o.reusePort, onMisses: (d, m, p, a) => this.#onMisses(d, m, p, a),
    });
    this.setAcl(pipeline.acl);
  }

  /** Binds one address (before start()); resolves with the bound port. */
  async listen(a: ListenAddress): Promise<number> {
    try {
      return this.#engine.listen(a.host, a.port);
    } catch (e) {
      throw new ListenError(bindErrorMessage('UDP', a, e as NodeJS.ErrnoException), { cause: e });
    }
  }

  /** Starts the I/O threads once every address is bound. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#engine.start();
  }

  /** The hit path checks the ACL natively; refused clients still reach the pipeline (REFUSED). */
  setAcl(acl: Acl): void {
    this.#engine.setAcl(packAcl(acl));
  }

  #onMisses(data: Buffer, meta: Uint32Array, peers: Buffer, addrs: string[]): void {
    if (meta.length === 0) {
      for (const f of this.#barriers.splice(0)) f();
      return;
    }
    if (this.#closed) return;
    const pipeline = this.#pipeline;
    const engine = this.#engine;
    for (let i = 0, r = 0; r < meta.length; i++, r += MISS_META_STRIDE) {
      const wire = data.subarray(meta[r]!, meta[r]! + meta[r + 1]!);
      const socket = meta[r + 2]!;
      const peer = peers.subarray(i * PEER_BYTES, i * PEER_BYTES + meta[r + 4]!);
      const remote: Remote = { address: addrs[i]!, port: meta[r + 3]!, transport: 'udp' };
      pipeline.handle(wire, remote).then((reply) => {
        if (reply !== null && !this.#closed) engine.send(socket, peer, reply);
      }, (e: unknown) => pipeline.log.error('udp pipeline failed', { err: e }));
    }
  }

  /** Native hit counters as a metrics snapshot (hits are counted only there, never in JS). */
  snapshot(): MetricsSnapshot {
    const st = this.#engine.stats();
    const s = emptySnapshot();
    if (st.hits > 0) s.queries['udp'] = st.hits;
    st.hitsRcode.forEach((n, i) => { if (n > 0) s.rcodes[rcodeToText(i)] = n; });
    st.hitsSecurity.forEach((n, i) => { if (n > 0) s.security[SECURITY_CODES[i]!] = n; });
    s.cacheHits = st.hits;
    s.replyCacheHits = st.hits;
    s.dropped = st.droppedQueue + st.droppedSend + st.droppedOversize + st.droppedDraining;
    // Each hit counts with its batch's time (recvmmsg return to sendmmsg done); beyond the last
    // bound (+Inf) it is only in the count, as in Metrics.latency().
    LATENCY_BUCKETS_SEC.forEach((_, i) => { s.latencyBuckets[i] = st.hitHistogram[i] ?? 0; });
    s.latencyCount = st.hits;
    s.latencySumSec = st.hitNsSum / 1e9;
    return s;
  }

  /** `base` plus the native counters. */
  merge(base: MetricsSnapshot): MetricsSnapshot {
    return mergeSnapshots([base, this.snapshot()]);
  }

  /**
   * SIGTERM: new datagrams are dropped; resolves once every datagram read before has reached the
   * pipeline (so the drain that follows counts it as in flight and its reply still goes out).
   */
  stopAccepting(): Promise<void> {
    if (!this.#started || this.#closed) {
      this.#engine.setAccepting(false);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#barriers.push(resolve);
      if (!this.#engine.quiesce()) setTimeout(() => { for (const f of this.#barriers.splice(0)) f(); }, 50);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#engine.close();
    for (const f of this.#barriers.splice(0)) f();
  }
}
