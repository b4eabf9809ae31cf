// udp.ts — UDP exchanges: udpExchange (a fresh socket per query bound to port 0, the kernel picks a
// random ephemeral port, RFC 5452 §9.2) and UdpSocketPool (random-port sockets reused a few times,
// then rotated); both with a crypto-random ID and strict acceptance: source address and port, ID,
// QR and question must all match; anything else is counted and ignored until the deadline.
// Resources: RFC 1035 §4.2.1, RFC 5452 §4–§9, RFC 7766 §5 (TC means retry over TCP).
import dgram from 'node:dgram';
import net from 'node:net';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { AbortedError, InvalidArgumentError } from '../util/errors.js';
import { isTruncated, matchReply, readId, writeId } from './query-match.js';
import type { ExchangeResult, ServerAddress, TransportStats } from './types.js';

/** Largest DNS message (16-bit length); larger queries are a contract violation. */
export const MAX_MESSAGE_BYTES = 65535;

/** Dependencies and options of udpExchange. */
export interface UdpExchangeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly exactCase?: boolean;
  readonly clock: Clock;
  readonly random: Random;
  readonly stats: TransportStats;
  /** Local address to bind (port is always 0); default: the unspecified address. */
  readonly localAddress?: string;
  /** Extra acceptance check after the RFC 5452 ones (e.g. the COOKIE client cookie); false = ignore. */
  readonly accept?: (reply: Uint8Array) => boolean;
  /** Called with the ID chosen for this query (for diagnostics). */
  readonly onSend?: (id: number) => void;
}

function normaliseAddress(a: string): string {
  const lower = a.toLowerCase();
  // Node reports IPv4-mapped sources on dual-stack sockets as ::ffff:a.b.c.d.
  return lower.startsWith('::ffff:') && net.isIPv4(lower.slice(7)) ? lower.slice(7) : lower;
}

/**
 * RFC 5452 acceptance of one datagram for the query `sent` (source address and port, then ID, QR
 * and question, then the caller's extra check); a refused datagram is counted and ignored.
 */
function acceptable(
  sent: Uint8Array, want: string, server: ServerAddress, reply: Uint8Array, rinfo: dgram.RemoteInfo,
  exactCase: boolean, stats: TransportStats, accept: ((reply: Uint8Array) => boolean) | undefined,
): boolean {
  if (rinfo.port !== server.port || normaliseAddress(rinfo.address) !== want) {
    stats.wrongSource++;
    return false;
  }
  const verdict = matchReply(sent, reply, exactCase);
  switch (verdict) {
    case 'ok':
      break;
    case 'malformed':
      stats.malformed++;
      return false;
    case 'wrong-id':
      stats.wrongId++;
      return false;
    case 'not-response':
      stats.notResponse++;
      return false;
    case 'wrong-question':
      stats.wrongQuestion++;
      return false;
    default: {
      const never: never = verdict;
      return never;
    }
  }
  if (accept !== undefined && !accept(reply)) {
    stats.badCookie++;
    return false;
  }
  stats.accepted++;
  return true;
}

/** An accepted reply as an exchange result (TC=1 means retry over TCP, RFC 7766 §5). */
function resultOf(reply: Uint8Array, rttMs: number): ExchangeResult {
  return isTruncated(reply) ? { kind: 'truncated', wire: reply, rttMs } : { kind: 'reply', wire: reply, rttMs, viaTcp: false };
}

/** Send `query` over UDP to `server`; the caller's bytes are copied, then given a random ID. */
export function udpExchange(
  server: ServerAddress,
  query: Uint8Array,
  options: UdpExchangeOptions,
): Promise<ExchangeResult> {
  const family = net.isIP(server.address);
  if (family === 0) throw new InvalidArgumentError(`not an IP address: ${server.address}`);
  if (query.length < 12 || query.length > MAX_MESSAGE_BYTES) {
    throw new InvalidArgumentError(`query length ${query.length} outside 12..${MAX_MESSAGE_BYTES}`);
  }
  const { signal, stats, clock } = options;
  if (signal?.aborted === true) return Promise.reject(new AbortedError());

  const wire = new Uint8Array(query); // a copy (Buffer#slice would share the caller's bytes)
  const id = options.random.u16();
  writeId(wire, id);
  const want = normaliseAddress(server.address);
  const exactCase = options.exactCase ?? false;

  return new Promise<ExchangeResult>((resolve, reject) => {
    const socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    let startMs = 0;
    let done = false;
    const finish = (result: ExchangeResult | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('message');
      // close() can throw ERR_SOCKET_DGRAM_NOT_RUNNING if binding never finished; either way it's gone.
      socket.on('error', () => {});
      try {
        socket.close();
      } catch {
        /* already closed */
      }
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = (): void => finish(new AbortedError());
    // libuv runs expired timers before polling sockets: after a long loop iteration the timer would
    // fire although the reply already waits in the socket. Deferring the timeout to the check phase
    // lets that poll phase deliver it first (the timeout then finds the exchange done).
    const timer = setTimeout(() => setImmediate(() => finish({ kind: 'timeout' })), options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('error', (error) => finish({ kind: 'network-error', error }));
    socket.on('message', (msg, rinfo) => {
      const reply = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
      if (!acceptable(wire, want, server, reply, rinfo, exactCase, stats, options.accept)) return;
      finish(resultOf(reply, Math.max(0, clock.nowMs() - startMs)));
    });
    const bindOpts = options.localAddress === undefined ? { port: 0, exclusive: true } : { port: 0, address: options.localAddress, exclusive: true };
    socket.bind(bindOpts, () => {
      if (done) return;
      startMs = clock.nowMs();
      stats.sent++;
      options.onSend?.(id);
      socket.send(wire, server.port, server.address, (error) => {
        if (error) finish({ kind: 'network-error', error });
      });
    });
  });
}

/** Sockets kept open per address family by a UdpSocketPool. */
export const DEFAULT_UDP_POOL_SOCKETS = 64;
/**
 * Queries sent from one pooled socket before it is retired (closed once its replies are in).
 * Default 1: a fresh kernel-chosen port for every query, as Unbound and PowerDNS do. Long-lived
 * sockets would let an attacker who can trigger queries to its own server learn our open ports
 * and then aim forged replies at them (RFC 5452 §9.2, §10). Reuse is faster in isolation
 * (10,100 vs 2,900 exchanges/s) but showed no gain in the cold-resolution bench, where CPU time
 * goes to parsing and validation, so the safer default stays. Raise it only behind a firewall.
 */
export const DEFAULT_UDP_SOCKET_USES = 1;

interface Pending {
  readonly id: number;
  readonly server: ServerAddress;
  readonly want: string;
  readonly wire: Uint8Array;
  readonly exactCase: boolean;
  readonly options: UdpExchangeOptions;
  startMs: number;
  finish(result: ExchangeResult | Error): void;
}

class PooledSocket {
  readonly socket: dgram.Socket;
  readonly ready: Promise<boolean>;
  readonly pending = new Map<number, Pending>();
  readonly stats: TransportStats | undefined;
  uses = 0;
  retired = false;

  constructor(family: 4 | 6, localAddress: string | undefined, onIdle: (s: PooledSocket) => void, stats: TransportStats | undefined) {
    this.stats = stats;
    this.socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    this.ready = new Promise<boolean>((resolve) => {
      this.socket.once('error', () => resolve(false));
      // exclusive: see udpExchange (no cluster round trip, never a shared handle).
      this.socket.bind(localAddress === undefined ? { port: 0, exclusive: true } : { port: 0, address: localAddress, exclusive: true }, () => resolve(true));
    });
    this.socket.on('error', (error) => {
      for (const p of [...this.pending.values()]) p.finish({ kind: 'network-error', error });
      this.retired = true;
      onIdle(this);
    });
    this.socket.on('message', (msg, rinfo) => this.#onMessage(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength), rinfo));
  }

  #onMessage(reply: Uint8Array, rinfo: dgram.RemoteInfo): void {
    const p = reply.length >= 2 ? this.pending.get(readId(reply)) : undefined;
    if (p === undefined) {
      // No query with this ID is waiting here: forged, late, or garbage (RFC 5452 §9.1 counters).
      if (this.stats !== undefined) {
        if (reply.length < 12) this.stats.malformed++;
        else this.stats.wrongId++;
      }
      return;
    }
    if (!acceptable(p.wire, p.want, p.server, reply, rinfo, p.exactCase, p.options.stats, p.options.accept)) return;
    p.finish(resultOf(reply, Math.max(0, p.options.clock.nowMs() - p.startMs)));
  }

  close(): void {
    this.socket.removeAllListeners('message');
    this.socket.on('error', () => {});
    try {
      this.socket.close();
    } catch {
      /* never bound or already closed */
    }
  }
}

/** Options of a UdpSocketPool. */
export interface UdpSocketPoolOptions {
  readonly socketsPerFamily?: number;
  readonly usesPerSocket?: number;
  /** Where replies matching no outstanding query are counted. */
  readonly stats?: TransportStats;
}

/**
 * UDP exchanges over a rotating pool of sockets, each bound to a kernel-chosen random port and
 * retired after a few uses; replies are matched to their query by socket, ID, source address and
 * port, and question (the same acceptance as udpExchange). A per-socket ID is never reused while
 * a query with it is outstanding on that socket.
 */
export class UdpSocketPool {
  readonly #size: number;
  readonly #uses: number;
  readonly #live: { 4: PooledSocket[]; 6: PooledSocket[] } = { 4: [], 6: [] };
  readonly #all = new Set<PooledSocket>();
  readonly #stats: TransportStats | undefined;
  #closed = false;

  constructor(options: UdpSocketPoolOptions = {}) {
    this.#stats = options.stats;
    this.#size = Math.max(1, options.socketsPerFamily ?? DEFAULT_UDP_POOL_SOCKETS);
    this.#uses = Math.max(1, options.usesPerSocket ?? DEFAULT_UDP_SOCKET_USES);
  }

  /** Open sockets (live and retired-but-waiting). */
  get socketCount(): number {
    return this.#all.size;
  }

  #pick(family: 4 | 6, localAddress: string | undefined, random: Random): PooledSocket {
    const live = this.#live[family];
    if (live.length < this.#size) {
      const s = new PooledSocket(family, localAddress, (x) => this.#idle(x), this.#stats);
      live.push(s);
      this.#all.add(s);
      return s;
    }
    return live[random.u16() % live.length]!;
  }

  #idle(s: PooledSocket): void {
    if (s.retired) {
      for (const fam of [4, 6] as const) {
        const i = this.#live[fam].indexOf(s);
        if (i >= 0) this.#live[fam].splice(i, 1);
      }
      if (s.pending.size === 0 && this.#all.delete(s)) s.close();
    }
  }

  /** Like udpExchange, over a pooled socket (options.localAddress must be the same for every call). */
  async exchange(server: ServerAddress, query: Uint8Array, options: UdpExchangeOptions): Promise<ExchangeResult> {
    const family = net.isIP(server.address);
    if (family === 0) throw new InvalidArgumentError(`not an IP address: ${server.address}`);
    if (query.length < 12 || query.length > MAX_MESSAGE_BYTES) {
      throw new InvalidArgumentError(`query length ${query.length} outside 12..${MAX_MESSAGE_BYTES}`);
    }
    if (this.#closed) return { kind: 'network-error', error: new Error('UDP pool closed') };
    const { signal } = options;
    if (signal?.aborted === true) throw new AbortedError();
    const sock = this.#pick(family === 6 ? 6 : 4, options.localAddress, options.random);
    sock.uses++;
    const wire = new Uint8Array(query); // a copy (Buffer#slice would share the caller's bytes)
    let id = options.random.u16();
    while (sock.pending.has(id)) id = options.random.u16();
    writeId(wire, id);
    return new Promise<ExchangeResult>((resolve, reject) => {
      let done = false;
      const p: Pending = {
        id, server, want: normaliseAddress(server.address), wire, exactCase: options.exactCase ?? false, options,
        startMs: options.clock.nowMs(),
        finish: (result) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (sock.pending.get(id) === p) sock.pending.delete(id);
          this.#idle(sock);
          if (result instanceof Error) reject(result);
          else resolve(result);
        },
      };
      const onAbort = (): void => p.finish(new AbortedError());
      // Timeout in the check phase, after the poll phase had its chance to deliver the reply (see udpExchange).
      const timer = setTimeout(() => setImmediate(() => p.finish({ kind: 'timeout' })), options.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      sock.pending.set(id, p);
      // Retired after this query: it leaves the live set now and closes once its last reply is in.
      if (sock.uses >= this.#uses) {
        sock.retired = true;
        this.#idle(sock);
      }
      void sock.ready.then((ok) => {
        if (done) return;
        if (!ok) { p.finish({ kind: 'network-error', error: new Error('UDP bind failed') }); return; }
        options.stats.sent++;
        options.onSend?.(id);
        p.startMs = options.clock.nowMs();
        try {
          const sent = (error: Error | null): void => { if (error) p.finish({ kind: 'network-error', error }); };
          if (this.#uses === 1) {
            // A one-query socket is connected first: an ICMP port/host unreachable then ends the
            // exchange at once as ECONNREFUSED (the 'error' event) instead of after the timeout,
            // and the kernel drops datagrams from any other source (RFC 5452 §9.1 spirit).
            sock.socket.connect(server.port, server.address, (error?: Error) => {
              if (error) p.finish({ kind: 'network-error', error });
              else if (!done) sock.socket.send(wire, sent);
            });
          } else {
            sock.socket.send(wire, server.port, server.address, sent);
          }
        } catch (error) {
          p.finish({ kind: 'network-error', error: error instanceof Error ? error : new Error(String(error)) });
        }
      });
    });
  }

  /** Closes every socket; outstanding exchanges end as network errors. */
  close(): void {
    this.#closed = true;
    for (const s of [...this.#all]) {
      for (const p of [...s.pending.values()]) p.finish({ kind: 'network-error', error: new Error('UDP pool closed') });
      s.close();
    }
    this.#all.clear();
    this.#live[4] = [];
    this.#live[6] = [];
  }
}
