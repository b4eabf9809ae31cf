// tcp.ts — DNS over TCP: 2-byte length framing (RFC 1035 §4.2.2), connection reuse per server
// with pipelined queries and out-of-order replies matched by ID (RFC 7766 §6.2.1), an idle timeout
// that closes unused connections (RFC 7766 §6.2.3), connect and per-query read timeouts, and caps
// on connections per server and in total. Frames may arrive split or several in one chunk.
import net from 'node:net';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { AbortedError, ClosedError, InvalidArgumentError } from '../util/errors.js';
import { matchReply, readId, writeId } from './query-match.js';
import type { ExchangeResult, ServerAddress, TransportStats } from './types.js';
import { serverKey } from './types.js';

/** Connections kept to one server; RFC 7766 §6.2.2 asks clients not to open many in parallel. */
export const DEFAULT_TCP_MAX_PER_SERVER = 2;
/** Connections in total; each holds a file descriptor and kernel buffers. */
export const DEFAULT_TCP_MAX_TOTAL = 128;
/** Queries in flight on one connection before another is opened (RFC 7766 §6.2.1.1). */
export const DEFAULT_TCP_MAX_PIPELINE = 64;
/** Idle connections close after this; RFC 7766 §6.2.3 wants seconds, not minutes. */
export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 10_000;
/** Upper bound on the TCP handshake (the exchange deadline may cut it shorter). */
export const DEFAULT_TCP_CONNECT_TIMEOUT_MS = 3_000;

/** Options of a TcpPool. */
export interface TcpPoolOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly stats: TransportStats;
  readonly maxPerServer?: number;
  readonly maxTotal?: number;
  readonly maxPipeline?: number;
  readonly idleTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly localAddress?: string;
}

/** Options of one TCP exchange. */
export interface TcpExchangeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly exactCase?: boolean;
}

interface Pending {
  readonly wire: Uint8Array;
  readonly exactCase: boolean;
  readonly startMs: number;
  readonly settle: (r: ExchangeResult) => void;
}

class Connection {
  readonly pending = new Map<number, Pending>();
  readonly socket: net.Socket;
  state: 'connecting' | 'open' | 'closed' = 'connecting';
  sent = 0;
  #buf: Buffer = Buffer.alloc(0);
  #idle: NodeJS.Timeout | undefined;
  #connectTimedOut = false;

  readonly key: string;
  private readonly pool: TcpPoolOptions & { readonly onClose: (c: Connection) => void };
  private readonly idleTimeoutMs: number;

  constructor(
    key: string,
    server: ServerAddress,
    pool: TcpPoolOptions & { readonly onClose: (c: Connection) => void },
    idleTimeoutMs: number,
    connectTimeoutMs: number,
  ) {
    this.key = key;
    this.pool = pool;
    this.idleTimeoutMs = idleTimeoutMs;
    const opts: net.TcpNetConnectOpts = { host: server.address, port: server.port, noDelay: true };
    this.socket = net.connect(pool.localAddress === undefined ? opts : { ...opts, localAddress: pool.localAddress });
    const connectTimer = setTimeout(() => {
      this.#connectTimedOut = true;
      this.socket.destroy();
    }, connectTimeoutMs);
    this.socket.once('connect', () => {
      clearTimeout(connectTimer);
      if (this.state === 'connecting') this.state = 'open';
    });
    let lastError: Error | undefined;
    this.socket.on('error', (e) => (lastError = e));
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.socket.on('close', () => {
      clearTimeout(connectTimer);
      clearTimeout(this.#idle);
      this.state = 'closed';
      const result: ExchangeResult = this.#connectTimedOut
        ? { kind: 'timeout' }
        : { kind: 'network-error', error: lastError ?? new Error('connection closed by peer') };
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const p of waiting) p.settle(result);
      this.pool.onClose(this);
    });
  }

  /** Send one framed query with a fresh ID not in use on this connection. */
  send(query: Uint8Array, exactCase: boolean, settle: (r: ExchangeResult) => void): number {
    let id = this.pool.random.u16();
    while (this.pending.has(id)) id = this.pool.random.u16();
    const frame = Buffer.allocUnsafe(2 + query.length);
    frame.writeUInt16BE(query.length, 0);
    frame.set(query, 2);
    const wire = frame.subarray(2);
    writeId(wire, id);
    clearTimeout(this.#idle);
    this.socket.ref();
    this.pending.set(id, { wire, exactCase, startMs: this.pool.clock.nowMs(), settle });
    this.sent++;
    this.pool.stats.sent++;
    this.socket.write(frame);
    return id;
  }

  /** Forget a query (timeout or abort); a late reply is then ignored. */
  forget(id: number): void {
    if (this.pending.delete(id)) this.#maybeIdle();
  }

  #maybeIdle(): void {
    if (this.pending.size > 0 || this.state === 'closed') return;
    // An idle connection must not keep the process alive.
    this.socket.unref();
    this.#idle = setTimeout(() => this.socket.destroy(), this.idleTimeoutMs);
    this.#idle.unref();
  }

  #onData(chunk: Buffer): void {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    while (this.#buf.length >= 2) {
      const len = this.#buf.readUInt16BE(0);
      if (this.#buf.length < 2 + len) break;
      const msg = Uint8Array.prototype.slice.call(this.#buf, 2, 2 + len);
      this.#buf = this.#buf.subarray(2 + len);
      this.#onMessage(msg);
    }
  }

  #onMessage(msg: Uint8Array): void {
    const stats = this.pool.stats;
    if (msg.length < 12) {
      stats.malformed++;
      return;
    }
    const p = this.pending.get(readId(msg));
    if (p === undefined) {
      stats.wrongId++;
      return;
    }
    const verdict = matchReply(p.wire, msg, p.exactCase);
    if (verdict !== 'ok') {
      if (verdict === 'not-response') stats.notResponse++;
      else if (verdict === 'wrong-question') stats.wrongQuestion++;
      else stats.malformed++;
      return;
    }
    stats.accepted++;
    this.pending.delete(readId(msg));
    this.#maybeIdle();
    p.settle({ kind: 'reply', wire: msg, rttMs: Math.max(0, this.pool.clock.nowMs() - p.startMs), viaTcp: true });
  }
}

/** A pool of reusable, pipelined TCP connections to upstream servers. */
export class TcpPool {
  readonly #opts: TcpPoolOptions & { readonly onClose: (c: Connection) => void };
  readonly #byServer = new Map<string, Connection[]>();
  #total = 0;
  #closed = false;

  constructor(options: TcpPoolOptions) {
    this.#opts = { ...options, onClose: (c) => this.#remove(c) };
  }

  /** Open connections in total. */
  get connectionCount(): number {
    return this.#total;
  }

  /** Open connections to one server. */
  connectionsTo(server: ServerAddress): number {
    return this.#byServer.get(serverKey(server))?.length ?? 0;
  }

  /** One query over TCP; retries once on a fresh connection if a reused one was closed under it. */
  async exchange(server: ServerAddress, query: Uint8Array, options: TcpExchangeOptions): Promise<ExchangeResult> {
    if (this.#closed) throw new ClosedError();
    if (net.isIP(server.address) === 0) throw new InvalidArgumentError(`not an IP address: ${server.address}`);
    if (query.length < 12 || query.length > 65535) throw new InvalidArgumentError(`bad query length ${query.length}`);
    const deadline = this.#opts.clock.nowMs() + options.timeoutMs;
    const first = await this.#once(server, query, options, options.timeoutMs);
    if (first.result.kind !== 'network-error' || !first.reused) return first.result;
    const left = deadline - this.#opts.clock.nowMs();
    if (left <= 0) return { kind: 'timeout' };
    return (await this.#once(server, query, options, left, true)).result;
  }

  async #once(
    server: ServerAddress, query: Uint8Array, options: TcpExchangeOptions, timeoutMs: number, fresh = false,
  ): Promise<{ result: ExchangeResult; reused: boolean }> {
    const { signal } = options;
    if (signal?.aborted === true) throw new AbortedError();
    const conn = this.#acquire(server, fresh);
    if (typeof conn === 'string') return { result: { kind: 'local-limit', limit: conn }, reused: false };
    const reused = conn.sent > 0;
    const result = await new Promise<ExchangeResult>((resolve, reject) => {
      let id = -1;
      const finish = (r: ExchangeResult | Error): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (r instanceof Error) {
          conn.forget(id);
          reject(r);
        } else resolve(r);
      };
      const timer = setTimeout(() => {
        conn.forget(id);
        finish({ kind: 'timeout' });
      }, timeoutMs);
      const onAbort = (): void => finish(new AbortedError());
      signal?.addEventListener('abort', onAbort, { once: true });
      id = conn.send(query, options.exactCase ?? false, finish);
    });
    return { result, reused };
  }

  #acquire(server: ServerAddress, fresh: boolean): Connection | string {
    const key = serverKey(server);
    const list = this.#byServer.get(key) ?? [];
    const max = this.#opts.maxPipeline ?? DEFAULT_TCP_MAX_PIPELINE;
    let best: Connection | undefined;
    for (const c of list) {
      if (c.state !== 'closed' && c.pending.size < max && (best === undefined || c.pending.size < best.pending.size)) best = c;
    }
    if (best !== undefined && !fresh) return best;
    if (list.length >= (this.#opts.maxPerServer ?? DEFAULT_TCP_MAX_PER_SERVER)) {
      if (best !== undefined) return best;
      return 'tcp-connections-per-server';
    }
    if (this.#total >= (this.#opts.maxTotal ?? DEFAULT_TCP_MAX_TOTAL) && !this.#closeOneIdle()) {
      return best ?? 'tcp-connections-total';
    }
    const conn = new Connection(
      key, server, this.#opts,
      this.#opts.idleTimeoutMs ?? DEFAULT_TCP_IDLE_TIMEOUT_MS,
      this.#opts.connectTimeoutMs ?? DEFAULT_TCP_CONNECT_TIMEOUT_MS,
    );
    list.push(conn);
    this.#byServer.set(key, list);
    this.#total++;
    return conn;
  }

  // Make room under the total cap by dropping a connection nobody is waiting on.
  #closeOneIdle(): boolean {
    for (const list of this.#byServer.values()) {
      const idle = list.find((c) => c.pending.size === 0);
      if (idle !== undefined) {
        this.#remove(idle);
        idle.socket.destroy();
        return true;
      }
    }
    return false;
  }

  #remove(c: Connection): void {
    const list = this.#byServer.get(c.key);
    const i = list?.indexOf(c) ?? -1;
    if (list === undefined || i < 0) return;
    list.splice(i, 1);
    this.#total--;
    if (list.length === 0) this.#byServer.delete(c.key);
  }

  /** Close every connection; waiting queries get a network-error result. */
  close(): void {
    this.#closed = true;
    for (const list of [...this.#byServer.values()]) for (const c of [...list]) c.socket.destroy();
  }
}
