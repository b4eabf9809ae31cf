// pipeline.ts — request bytes → reply bytes for both listeners: ACL (REFUSED, RFC 8914 §4.19),
// preflight checks (respond.ts), RFC 8482 for ANY, the QueryHandler with a per-query deadline,
// reply construction, metrics and the count of queries in flight (for the SIGTERM drain). Cache
// hits are answered synchronously by fromCache() (reply-cache.ts) before any parsing or promise.
import { Message } from '../wire/message.js';
import { Rcode, RRType, rcodeToText } from '../wire/constants.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { Acl } from './acl.js';
import type { Answer } from '../resolver/answer.js';
import type { QueryHandler } from './handler.js';
import type { Metrics } from './metrics.js';
import { ReplyCache } from './reply-cache.js';
import { anyReply, answerReply, preflight, refusedReply, SERVER_UDP_PAYLOAD, servfailReply, type Transport } from './respond.js';

/** A client waits ~5 s before retrying (RFC 1536 §1); answer SERVFAIL before its second retry. */
export const CLIENT_QUERY_TIMEOUT_MS = 10_000;

/**
 * Queries in resolution at once per process. Beyond it UDP queries are dropped (the client
 * retries; Unbound's num-queries-per-thread does the same) and TCP ones get SERVFAIL, so an
 * overload keeps memory bounded instead of queueing without limit.
 */
export const MAX_IN_FLIGHT = 2048;

export interface Remote {
  readonly address: string;
  readonly port: number;
  readonly transport: Transport;
}

export interface PipelineOptions {
  handler: QueryHandler;
  acl: Acl;
  metrics: Metrics;
  log: Logger;
  timeoutMs?: number;
  maxInFlight?: number;
  /** Reply cache size in bytes (0 disables it); clock for its TTLs (tests pin it). */
  replyCacheBytes?: number;
  clock?: Clock;
}

/** Smallest TTL among the answer's records (Infinity when it has none). */
function answerTtlSec(a: Answer): number {
  let t = Infinity;
  for (const r of a.answer) if (r.ttl < t) t = r.ttl;
  for (const r of a.authority) if (r.ttl < t) t = r.ttl;
  return t;
}

/** Shared by the UDP and TCP listeners of one process. */
export class QueryPipeline {
  handler: QueryHandler;
  acl: Acl;
  readonly metrics: Metrics;
  log: Logger;
  readonly timeoutMs: number;
  readonly maxInFlight: number;
  readonly replies: ReplyCache;
  #inFlight = 0;
  #idle: (() => void)[] = [];

  constructor(o: PipelineOptions) {
    this.handler = o.handler;
    this.acl = o.acl;
    this.metrics = o.metrics;
    this.log = o.log;
    this.timeoutMs = o.timeoutMs ?? CLIENT_QUERY_TIMEOUT_MS;
    this.maxInFlight = o.maxInFlight ?? MAX_IN_FLIGHT;
    this.replies = new ReplyCache({ ...(o.clock === undefined ? {} : { clock: o.clock }), serverUdpPayload: SERVER_UDP_PAYLOAD, ...(o.replyCacheBytes === undefined ? {} : { maxBytes: o.replyCacheBytes }) });
  }

  /**
   * The cached reply for `wire`, or null (then call handle()). Synchronous and allocation-light:
   * no Message, no promise, no AbortController. The ACL is checked first, as in handle().
   */
  fromCache(wire: Uint8Array, remote: Remote): Buffer | null {
    if (wire.length < 17 || !this.acl.allows(remote.address)) return null;
    const started = performance.now();
    const hit = this.replies.lookup(wire, remote.transport === 'tcp');
    if (hit === null) return null;
    const m = this.metrics;
    m.query(remote.transport);
    m.rcode(hit.entry.rcodeName);
    m.security(hit.entry.security);
    m.cache(true);
    m.replyHit();
    m.latency((performance.now() - started) / 1000);
    return hit.wire;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves once nothing is in flight or after `ms` (SIGTERM drain); true when drained. */
  drain(ms: number): Promise<boolean> {
    if (this.#inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.#idle.push(() => { clearTimeout(t); resolve(true); });
    });
  }

  /** The reply for one request, or null when it gets none. Never throws. */
  async handle(wire: Uint8Array, remote: Remote): Promise<Uint8Array | null> {
    const started = performance.now();
    this.metrics.query(remote.transport);
    const pf = preflight(wire, Message.fromWire);
    if (pf.kind === 'drop') {
      this.metrics.drop();
      return null;
    }
    if (!this.acl.allows(remote.address)) {
      this.metrics.refuse();
      this.metrics.rcode('REFUSED');
      return pf.kind === 'query' ? refusedReply(pf.message) : null;
    }
    if (pf.kind === 'reply') {
      this.log.debug('rejected request', { client: remote.address, why: pf.why, rcode: rcodeToText(pf.rcode) });
      this.metrics.rcode(rcodeToText(pf.rcode));
      return pf.wire;
    }
    const m = pf.message;
    if (pf.question.type === RRType.ANY) {
      this.metrics.rcode('NOERROR');
      return anyReply(m, remote.transport);
    }
    if (this.#inFlight >= this.maxInFlight) {
      this.metrics.drop();
      if (remote.transport === 'udp') return null;
      this.metrics.rcode('SERVFAIL');
      return servfailReply(m, 'server overloaded');
    }
    this.#inFlight++;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.timeoutMs);
    const signal = ac.signal;
    try {
      const a = await this.handler.answer(pf.question, { cd: m.cd, dnssecOk: m.edns?.dnssecOk ?? false, signal });
      const r = answerReply(m, a, remote.transport);
      const rcodeName = rcodeToText(r.rcode);
      // Cacheable: NOERROR/NXDOMAIN answers that fit, and the bogus SERVFAIL (short-lived, RFC 4035
      // §4.7); never truncated replies, resolver failures, REFUSED or FORMERR.
      const bogusFail = a.outcome.security === 'bogus' && r.rcode === Rcode.SERVFAIL;
      if (!r.truncated && (r.rcode === Rcode.NOERROR || r.rcode === Rcode.NXDOMAIN || bogusFail)) {
        this.replies.store(wire, remote.transport === 'tcp', r.wire, { answerTtlSec: answerTtlSec(a), rcode: r.rcode, security: a.outcome.security });
      }
      this.metrics.rcode(rcodeName);
      this.metrics.security(a.outcome.security);
      this.metrics.cache(a.fromCache);
      this.metrics.latency((performance.now() - started) / 1000);
      return r.wire;
    } catch (e) {
      const timedOut = signal.aborted;
      if (!timedOut) this.log.error('handler failed', { client: remote.address, qname: pf.question.name.toText(), err: e });
      this.metrics.rcode(rcodeToText(Rcode.SERVFAIL));
      return servfailReply(m, timedOut ? 'resolution timed out' : 'internal error');
    } finally {
      clearTimeout(timer);
      // setImmediate: the listener sends the reply in a continuation of this promise; the drain
      // must not close the socket before that write is queued.
      if (--this.#inFlight === 0) setImmediate(() => { if (this.#inFlight === 0) for (const f of this.#idle.splice(0)) f(); });
    }
  }
}
