// transport.ts — the Transport interface the resolver uses, and NetTransport: UDP first, TCP on
// truncation (or from the start when asked), DNS cookies as a client, and a cap on queries in
// flight. Network conditions come back as ExchangeResult values; only misuse and abort throw.
// Resources: RFC 1035 §4.2, RFC 7766 §5 (TC → TCP), RFC 7873 §5.2–§5.3 (cookies, BADCOOKIE).
import type { Clock } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { cryptoRandom } from '../util/random.js';
import { AbortedError, ClosedError, InvalidArgumentError } from '../util/errors.js';
import { channels } from '../util/log.js';
import { ClientCookies, EDNS_OPTION_COOKIE, RCODE_BADCOOKIE } from './cookies.js';
import { extendedRcode, getOption, setOption } from './edns-bytes.js';
import { readId } from './query-match.js';
import type { TcpPoolOptions } from './tcp.js';
import { TcpPool } from './tcp.js';
import type { ExchangeOptions, ExchangeResult, ServerAddress, TransportStats } from './types.js';
import { createTransportStats } from './types.js';
import { UdpSocketPool } from './udp.js';

export type { ExchangeOptions, ExchangeResult, ServerAddress, TransportStats } from './types.js';

/** What the resolver needs from the network: one query out, one result back. */
export interface Transport {
  exchange(server: ServerAddress, query: Uint8Array, options: ExchangeOptions): Promise<ExchangeResult>;
}

/**
 * Upstream queries in flight at once. UDP queries share a rotating pool of random-port sockets
 * (RFC 5452 §9.2, see udp.ts), TCP ones hold connections, so this bounds file descriptors: the
 * common soft RLIMIT_NOFILE is 1024 and client-facing sockets, TCP connections and files need the rest. Unbound's num-queries-per-thread
 * defaults to 1024 for the same reason. Further queries wait (within their deadline) for a slot.
 */
export const DEFAULT_MAX_OUTSTANDING = 768;

/** Options of NetTransport. */
export interface NetTransportOptions {
  readonly clock?: Clock;
  readonly random?: Random;
  readonly maxOutstanding?: number;
  /** Local address for UDP sockets and TCP connections (port is always kernel-chosen). */
  readonly localAddress?: string;
  readonly tcp?: Omit<TcpPoolOptions, 'clock' | 'random' | 'stats' | 'localAddress'>;
  /** Client cookie state; queries carrying an OPT record get a COOKIE option. Off when omitted. */
  readonly cookies?: ClientCookies;
}

interface Waiter {
  grant(): void;
}

/** The real network transport (node:dgram + node:net). */
export class NetTransport implements Transport {
  /** Counters of sent, accepted and ignored (possibly spoofed) replies. */
  readonly stats: TransportStats = createTransportStats();
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #max: number;
  readonly #localAddress: string | undefined;
  readonly #cookies: ClientCookies | undefined;
  readonly #tcp: TcpPool;
  readonly #udp: UdpSocketPool;
  readonly #waiters: Waiter[] = [];
  #outstanding = 0;
  #closed = false;

  constructor(options: NetTransportOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? cryptoRandom;
    this.#max = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING;
    if (!(this.#max >= 1)) throw new InvalidArgumentError('maxOutstanding must be ≥ 1');
    this.#localAddress = options.localAddress;
    this.#cookies = options.cookies;
    this.#udp = new UdpSocketPool({ stats: this.stats });
    this.#tcp = new TcpPool({
      ...options.tcp, clock: this.#clock, random: this.#random, stats: this.stats,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
  }

  /** Queries currently holding a slot. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** Open TCP connections. */
  get tcpConnections(): number {
    return this.#tcp.connectionCount;
  }

  async exchange(server: ServerAddress, query: Uint8Array, options: ExchangeOptions): Promise<ExchangeResult> {
    if (this.#closed) throw new ClosedError();
    if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) {
      throw new InvalidArgumentError(`timeoutMs must be a positive number, got ${options.timeoutMs}`);
    }
    if (options.signal?.aborted === true) throw new AbortedError();
    const deadline = this.#clock.nowMs() + options.timeoutMs;
    // A free slot is taken synchronously (no promise and microtask per query on the common path).
    if (this.#outstanding < this.#max) this.#outstanding++;
    else if (!(await this.#acquire(options.timeoutMs, options.signal))) return { kind: 'timeout' };
    try {
      return await this.#run(server, query, options, deadline);
    } finally {
      this.#release();
    }
  }

  async #run(server: ServerAddress, query: Uint8Array, options: ExchangeOptions, deadline: number): Promise<ExchangeResult> {
    const cookies = this.#cookies;
    const withCookie = (): Uint8Array | undefined =>
      cookies === undefined ? undefined : setOption(query, EDNS_OPTION_COOKIE, cookies.cookieFor(server));
    let wire = withCookie() ?? query;
    const cookied = wire !== query;
    // RFC 7873 §5.3: a reply whose client cookie is not ours is discarded like a forgery.
    const accept = cookied && cookies !== undefined
      ? (reply: Uint8Array) => {
        const v = cookies.onReply(server, getOption(reply, EDNS_OPTION_COOKIE));
        return v === 'ok' || v === 'absent';
      }
      : undefined;
    let viaTcp = options.tcp === true;
    let badCookieRetried = false;
    for (;;) {
      const left = deadline - this.#clock.nowMs();
      if (left <= 0) return { kind: 'timeout' };
      const r = await this.#once(server, wire, options, left, viaTcp, accept);
      if (r.kind === 'truncated' && !viaTcp) {
        viaTcp = true; // RFC 7766 §5: a truncated UDP answer is retried over TCP.
        continue;
      }
      if (r.kind !== 'reply' || !cookied || extendedRcode(r.wire) !== RCODE_BADCOOKIE) return r;
      // RFC 7873 §5.3: BADCOOKIE carries a fresh server cookie; retry once with it, then over TCP.
      if (!badCookieRetried) {
        badCookieRetried = true;
        wire = withCookie() ?? wire;
        continue;
      }
      if (viaTcp) return r;
      viaTcp = true;
    }
  }

  async #once(
    server: ServerAddress, wire: Uint8Array, options: ExchangeOptions, timeoutMs: number, viaTcp: boolean,
    accept: ((reply: Uint8Array) => boolean) | undefined,
  ): Promise<ExchangeResult> {
    const signal = options.signal;
    const exactCase = options.exactCase ?? false;
    const common = { timeoutMs, exactCase, ...(signal === undefined ? {} : { signal }) };
    if (channels.upstreamSend.hasSubscribers) {
      channels.upstreamSend.publish({ address: server.address, port: server.port, id: -1, bytes: wire.length, viaTcp });
    }
    let r: ExchangeResult;
    if (viaTcp) {
      r = await this.#tcp.exchange(server, wire, common);
      if (r.kind === 'reply' && accept !== undefined && !accept(r.wire)) {
        this.stats.badCookie++;
        r = { kind: 'network-error', error: new Error('DNS COOKIE mismatch over TCP') };
      }
    } else {
      r = await this.#udp.exchange(server, wire, {
        ...common, clock: this.#clock, random: this.#random, stats: this.stats,
        ...(this.#localAddress === undefined ? {} : { localAddress: this.#localAddress }),
        ...(accept === undefined ? {} : { accept }),
      });
    }
    if (channels.upstreamReply.hasSubscribers) {
      const got = r.kind === 'reply' || r.kind === 'truncated' ? r : undefined;
      channels.upstreamReply.publish({
        address: server.address, port: server.port, id: got === undefined ? -1 : readId(got.wire), kind: r.kind,
        rttMs: got === undefined ? -1 : got.rttMs, viaTcp,
      });
    }
    return r;
  }

  #acquire(timeoutMs: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.#outstanding < this.#max) {
      this.#outstanding++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
      };
      const waiter: Waiter = { grant: () => { cleanup(); resolve(true); } };
      const timer = setTimeout(() => { cleanup(); resolve(false); }, timeoutMs);
      const onAbort = (): void => { cleanup(); reject(new AbortedError()); };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  // Hand the slot straight to the oldest waiter, or give it back.
  #release(): void {
    const next = this.#waiters[0];
    if (next !== undefined) next.grant();
    else this.#outstanding--;
  }

  /** Close TCP connections and UDP sockets; later exchange() calls throw ClosedError. */
  close(): void {
    this.#closed = true;
    this.#tcp.close();
    this.#udp.close();
  }
}
