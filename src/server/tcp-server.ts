// tcp-server.ts — the node:net listener (RFC 7766): 2-byte length framing (§8), pipelined queries
// answered out of order as they complete (§6.2.1.1), an idle timeout (§6.2.3), a cap on open
// connections and on queries in flight per connection (§6.2.2: read pauses at the cap), and a
// deadline for a started message so a slow trickle (slowloris) cannot hold a connection open.
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { QueryPipeline } from './pipeline.js';
import { bindErrorMessage, type ListenAddress, ListenError } from './udp-server.js';

/** RFC 7766 §6.2.3: idle timeouts "on the order of seconds"; Unbound uses 30 s, BIND 30 s. */
export const TCP_IDLE_TIMEOUT_MS = 10_000;
/** A message that has begun must arrive whole within this time (slowloris bound). */
export const TCP_MESSAGE_DEADLINE_MS = 5_000;
/** Open client connections per process (Unbound incoming-num-tcp default is 10 per thread; MTAs use few). */
export const TCP_MAX_CONNECTIONS = 256;
/** Queries one connection may have in flight before we stop reading it (Unbound: 32 per stream). */
export const TCP_MAX_IN_FLIGHT = 32;

export interface TcpLimits {
  readonly idleTimeoutMs: number;
  readonly messageDeadlineMs: number;
  readonly maxConnections: number;
  readonly maxInFlight: number;
}

export const DEFAULT_TCP_LIMITS: TcpLimits = {
  idleTimeoutMs: TCP_IDLE_TIMEOUT_MS, messageDeadlineMs: TCP_MESSAGE_DEADLINE_MS,
  maxConnections: TCP_MAX_CONNECTIONS, maxInFlight: TCP_MAX_IN_FLIGHT,
};

/** The TCP listeners of one process. */
export class TcpServer {
  readonly #pipeline: QueryPipeline;
  readonly #limits: TcpLimits;
  readonly #servers: Server[] = [];
  readonly #conns = new Set<Socket>();

  constructor(pipeline: QueryPipeline, limits: Partial<TcpLimits> = {}) {
    this.#pipeline = pipeline;
    this.#limits = { ...DEFAULT_TCP_LIMITS, ...limits };
  }

  get connections(): number {
    return this.#conns.size;
  }

  async listen(a: ListenAddress): Promise<number> {
    const srv = createServer({ allowHalfOpen: true, noDelay: true }, (s) => this.#accept(s));
    await new Promise<void>((resolve, reject) => {
      const onErr = (e: NodeJS.ErrnoException): void => reject(new ListenError(bindErrorMessage('TCP', a, e), { cause: e }));
      srv.once('error', onErr);
      srv.listen({ host: a.host, port: a.port, ...(isIPv6(a.host) ? { ipv6Only: true } : {}) }, () => {
        srv.off('error', onErr);
        resolve();
      });
    });
    srv.on('error', (e) => this.#pipeline.log.warn('tcp server error', { err: e }));
    this.#servers.push(srv);
    const addr = srv.address();
    return typeof addr === 'object' && addr !== null ? addr.port : a.port;
  }

  #accept(s: Socket): void {
    if (this.#conns.size >= this.#limits.maxConnections) {
      this.#pipeline.metrics.drop();
      s.destroy();
      return;
    }
    this.#conns.add(s);
    const remote = { address: s.remoteAddress ?? '', port: s.remotePort ?? 0, transport: 'tcp' as const };
    let buf: Buffer = Buffer.alloc(0);
    let inFlight = 0;
    let ended = false;
    let msgTimer: NodeJS.Timeout | undefined;
    const finishIfDone = (): void => {
      if (ended && inFlight === 0 && !s.destroyed) s.end();
    };
    s.setTimeout(this.#limits.idleTimeoutMs, () => {
      // Idle means no bytes either way and nothing pending (RFC 7766 §6.2.3).
      if (inFlight === 0) s.destroy();
    });
    s.on('close', () => {
      this.#conns.delete(s);
      clearTimeout(msgTimer);
    });
    s.on('error', () => s.destroy());
    s.on('end', () => {
      ended = true;
      finishIfDone();
    });
    const max = this.#limits.maxInFlight;
    // Takes whole frames off the buffer while under the in-flight cap; the rest waits (§6.2.2).
    const pump = (): void => {
      let took = false;
      while (buf.length >= 2 && inFlight < max) {
        const len = buf.readUInt16BE(0);
        if (len < 12) {
          // RFC 7766 §8: no DNS message is shorter than its header; the stream is out of sync.
          s.destroy();
          return;
        }
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        took = true;
        const hit = this.#pipeline.fromCache(msg, remote);
        if (hit !== null) {
          const out = Buffer.allocUnsafe(2 + hit.length);
          out.writeUInt16BE(hit.length, 0);
          hit.copy(out, 2);
          s.write(out);
          continue;
        }
        inFlight++;
        this.#pipeline.handle(msg, remote).then((reply) => {
          if (reply !== null && !s.destroyed) {
            const out = Buffer.allocUnsafe(2 + reply.length);
            out.writeUInt16BE(reply.length, 0);
            out.set(reply, 2);
            s.write(out);
          }
        }, () => s.destroy()).finally(() => {
          inFlight--;
          pump();
          finishIfDone();
        });
      }
      const blocked = inFlight >= max;
      if (blocked && !s.isPaused()) s.pause();
      else if (!blocked && s.isPaused()) s.resume();
      // The slowloris deadline runs only while the client owes us the rest of a message.
      const owed = buf.length > 0 && !blocked;
      if (!owed || took) {
        clearTimeout(msgTimer);
        msgTimer = undefined;
      }
      if (owed && msgTimer === undefined) {
        msgTimer = setTimeout(() => s.destroy(), this.#limits.messageDeadlineMs);
      }
    };
    s.on('data', (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      pump();
    });
  }

  /** Stops accepting new connections (SIGTERM); open ones finish their queries. */
  stopAccepting(): void {
    for (const srv of this.#servers) srv.close();
  }

  /** Closes listeners and every connection. */
  async close(): Promise<void> {
    const done = this.#servers.splice(0).map((srv) => new Promise<void>((r) => srv.close(() => r())));
    for (const s of this.#conns) s.destroy();
    await Promise.all(done);
  }
}
