// infra-cache.ts — what we know about each upstream server address: smoothed RTT and variance
// (Jacobson/Karels, RFC 6298 §2, as Unbound's rtt_info), the retransmission timeout with
// exponential back-off on timeouts (capped, then probed now and then), EDNS capability, and
// lame/broken flags per (server, zone) with expiry. Bounded by entry count (LRU). select() orders
// candidates like Unbound's iter_filter_order: random within a 400 ms band of the best.
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { LruCache } from '../util/lru.js';

/** Lower bound of the timeout (Unbound RTT_MIN_TIMEOUT). */
export const RTT_MIN_TIMEOUT_MS = 50;
/** Upper bound; a server at the cap is considered down (Unbound infra-cache-max-rtt). */
export const RTT_MAX_TIMEOUT_MS = 120_000;
/** Assumed RTT of a server never measured (Unbound UNKNOWN_SERVER_NICENESS). */
export const UNKNOWN_SERVER_RTT_MS = 376;
/** Servers within this much of the best are chosen at random (Unbound RTT_BAND). */
export const RTT_BAND_MS = 400;
/** How long per-server data lives (Unbound infra-host-ttl). */
export const DEFAULT_INFRA_HOST_TTL_SEC = 900;
/** A down server is probed again after this (Unbound keeps probing at the cap). */
export const DEFAULT_PROBE_INTERVAL_MS = 60_000;
/** How long a lame or broken flag is kept. */
export const DEFAULT_LAME_TTL_SEC = 900;
/** Entries kept (servers, and separately server/zone flags). */
export const DEFAULT_INFRA_MAX_ENTRIES = 10_000;

/** A server as the cache sees it (structurally the transport's ServerAddress). */
export interface InfraServer {
  readonly address: string;
  readonly port: number;
}

/** EDNS support learned from replies. */
export type EdnsCapability = 'unknown' | 'edns' | 'no-edns';

/** Why a server is skipped for a zone. */
export type LameKind = 'lame' | 'dnssec-lame' | 'broken';

/** A snapshot of one server's state. */
export interface ServerInfo {
  readonly srttMs: number;
  readonly rttvarMs: number;
  /** Timeout to use for the next query (srtt + 4·rttvar, or the backed-off value). */
  readonly rtoMs: number;
  readonly measured: boolean;
  readonly timeouts: number;
  readonly edns: EdnsCapability;
  /** When at the cap: the server may be probed from this time on. */
  readonly probeAtMs: number;
}

/** Result of select(): usable servers in preferred order, and the ones skipped. */
export interface Selection<S extends InfraServer> {
  readonly ordered: S[];
  readonly skipped: Array<{ readonly server: S; readonly reason: 'backed-off' | LameKind }>;
}

/** Options of InfraCache. */
export interface InfraCacheOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly maxEntries?: number;
  readonly hostTtlSec?: number;
  readonly lameTtlSec?: number;
  readonly probeIntervalMs?: number;
  readonly maxRtoMs?: number;
}

interface Entry {
  srttMs: number;
  rttvarMs: number;
  rtoMs: number;
  measured: boolean;
  timeouts: number;
  edns: EdnsCapability;
  probeAtMs: number;
}

function key(s: InfraServer): string {
  return `${s.address.toLowerCase()}#${s.port}`;
}

/** Per-server infrastructure cache. */
export class InfraCache {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #hostTtlMs: number;
  readonly #lameTtlMs: number;
  readonly #probeMs: number;
  readonly #maxRto: number;
  readonly #hosts: LruCache<string, Entry>;
  readonly #lame: LruCache<string, LameKind>;

  constructor(options: InfraCacheOptions) {
    this.#clock = options.clock;
    this.#random = options.random;
    this.#hostTtlMs = (options.hostTtlSec ?? DEFAULT_INFRA_HOST_TTL_SEC) * 1000;
    this.#lameTtlMs = (options.lameTtlSec ?? DEFAULT_LAME_TTL_SEC) * 1000;
    this.#probeMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    this.#maxRto = options.maxRtoMs ?? RTT_MAX_TIMEOUT_MS;
    const max = options.maxEntries ?? DEFAULT_INFRA_MAX_ENTRIES;
    this.#hosts = new LruCache({ maxBytes: max, clock: this.#clock });
    this.#lame = new LruCache({ maxBytes: max, clock: this.#clock });
  }

  /** Servers with state. */
  get size(): number {
    return this.#hosts.size;
  }

  #fresh(): Entry {
    // Unbound's rtt_init: srtt 0 and rttvar = niceness/4, so the first rto is the niceness (376 ms).
    return {
      srttMs: 0, rttvarMs: UNKNOWN_SERVER_RTT_MS / 4, rtoMs: UNKNOWN_SERVER_RTT_MS, measured: false,
      timeouts: 0, edns: 'unknown', probeAtMs: 0,
    };
  }

  #entry(s: InfraServer): Entry {
    return this.#hosts.get(key(s)) ?? this.#fresh();
  }

  #store(s: InfraServer, e: Entry): void {
    this.#hosts.set(key(s), e, 1, this.#clock.nowMs() + this.#hostTtlMs);
  }

  #clampRto(ms: number): number {
    return Math.min(this.#maxRto, Math.max(RTT_MIN_TIMEOUT_MS, Math.round(ms)));
  }

  /** Current state of a server (defaults for an unknown one). */
  info(s: InfraServer): ServerInfo {
    return { ...this.#entry(s) };
  }

  /** Timeout to use for the next query to `s`. */
  rtoMs(s: InfraServer): number {
    return this.#entry(s).rtoMs;
  }

  /**
   * A reply arrived after `rttMs`. RFC 6298 §2.2–2.3: the first sample sets srtt = R and
   * rttvar = R/2; later ones use gains 1/8 and 1/4. The rto is srtt + 4·rttvar, clamped; a reply
   * ends any back-off.
   */
  recordRtt(s: InfraServer, rttMs: number): void {
    const e = this.#entry(s);
    this.#sample(e, rttMs);
    this.#store(s, e);
  }

  /** recordRtt and recordEdns of one parsed reply with a single cache lookup and store. */
  recordReply(s: InfraServer, rttMs: number, edns: EdnsCapability): void {
    const e = this.#entry(s);
    this.#sample(e, rttMs);
    e.edns = edns;
    this.#store(s, e);
  }

  #sample(e: Entry, rttMs: number): void {
    const r = Math.max(0, rttMs);
    if (!e.measured) {
      e.srttMs = r;
      e.rttvarMs = r / 2;
      e.measured = true;
    } else {
      const delta = r - e.srttMs;
      e.srttMs += delta / 8;
      e.rttvarMs += (Math.abs(delta) - e.rttvarMs) / 4;
    }
    e.rtoMs = this.#clampRto(e.srttMs + 4 * e.rttvarMs);
    e.timeouts = 0;
    e.probeAtMs = 0;
  }

  /**
   * A query sent with timeout `usedRtoMs` got no answer. Like Unbound's rtt_lost, the timeout
   * used is doubled (not the current value, so many queries timing out together double once) and
   * capped; at the cap the server counts as down until a probe is due.
   */
  recordTimeout(s: InfraServer, usedRtoMs?: number): void {
    const e = this.#entry(s);
    const orig = usedRtoMs ?? e.rtoMs;
    e.timeouts++;
    if (e.rtoMs >= orig) {
      const doubled = Math.min(this.#maxRto, orig * 2);
      if (e.rtoMs <= doubled) e.rtoMs = doubled;
    }
    if (e.rtoMs >= this.#maxRto) e.probeAtMs = this.#clock.nowMs() + this.#probeMs;
    this.#store(s, e);
  }

  /** True when the server reached the timeout cap and no probe is due yet. */
  isBackedOff(s: InfraServer): boolean {
    const e = this.#hosts.get(key(s));
    return e !== undefined && e.rtoMs >= this.#maxRto && this.#clock.nowMs() < e.probeAtMs;
  }

  /** Record what a reply told us about EDNS support. */
  recordEdns(s: InfraServer, edns: EdnsCapability): void {
    const e = this.#entry(s);
    e.edns = edns;
    this.#store(s, e);
  }

  /** Flag `s` as lame/broken for `zone` (lower-cased presentation name) for ttlSec. */
  markLame(s: InfraServer, zone: string, kind: LameKind, ttlSec?: number): void {
    const ttlMs = ttlSec === undefined ? this.#lameTtlMs : ttlSec * 1000;
    this.#lame.set(`${key(s)}|${zone.toLowerCase()}`, kind, 1, this.#clock.nowMs() + ttlMs);
  }

  /** The unexpired lame/broken flag of `s` for `zone`, if any. */
  lameness(s: InfraServer, zone: string): LameKind | undefined {
    return this.#lame.get(`${key(s)}|${zone.toLowerCase()}`);
  }

  /**
   * Order candidates for a query in `zone`: drop lame ones and backed-off ones (no probe due),
   * then pick at random among those within RTT_BAND_MS of the best expected RTT, followed by the
   * rest by ascending RTT. Unmeasured servers count as UNKNOWN_SERVER_RTT_MS (so they get tried).
   */
  select<S extends InfraServer>(candidates: readonly S[], zone?: string): Selection<S> {
    const skipped: Array<{ server: S; reason: 'backed-off' | LameKind }> = [];
    const usable: Array<{ server: S; rtt: number }> = [];
    for (const server of candidates) {
      const lame = zone === undefined ? undefined : this.lameness(server, zone);
      if (lame !== undefined) skipped.push({ server, reason: lame });
      else if (this.isBackedOff(server)) skipped.push({ server, reason: 'backed-off' });
      else {
        const e = this.#hosts.get(key(server));
        // Unbound ranks by the rto, so a server that timed out sinks even before it reaches the cap.
        usable.push({ server, rtt: e === undefined ? UNKNOWN_SERVER_RTT_MS : e.rtoMs });
      }
    }
    if (usable.length === 0) return { ordered: [], skipped };
    const best = Math.min(...usable.map((u) => u.rtt));
    const band = usable.filter((u) => u.rtt <= best + RTT_BAND_MS);
    const rest = usable.filter((u) => u.rtt > best + RTT_BAND_MS).sort((a, b) => a.rtt - b.rtt);
    this.#random.shuffle(band);
    return { ordered: [...band, ...rest].map((u) => u.server), skipped };
  }
}
