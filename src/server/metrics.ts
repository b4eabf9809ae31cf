// metrics.ts — server counters in the Prometheus text exposition format (version 0.0.4): queries by
// transport and rcode, security outcomes, cache hits, upstream queries (counted from the
// adbit:upstream:send diagnostics channel) and a latency histogram; an optional HTTP endpoint that
// only binds loopback unless allowed, and a merge of per-worker snapshots for the cluster primary.
import { createServer, type Server } from 'node:http';
import diagnosticsChannel from 'node:diagnostics_channel';
import { InvalidArgumentError } from '../util/errors.js';

/** Histogram upper bounds in seconds: cache hits land in the first buckets, iterations later. */
export const LATENCY_BUCKETS_SEC: readonly number[] = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5];

/** A plain-object snapshot (also what workers send to the primary). */
export interface MetricsSnapshot {
  queries: Record<string, number>;
  rcodes: Record<string, number>;
  security: Record<string, number>;
  cacheHits: number;
  cacheMisses: number;
  /** Answers sent from the reply cache (a subset of cacheHits). */
  replyCacheHits: number;
  upstreamQueries: number;
  dropped: number;
  refused: number;
  latencyBuckets: number[];
  latencyCount: number;
  latencySumSec: number;
}

export function emptySnapshot(): MetricsSnapshot {
  return {
    queries: {}, rcodes: {}, security: {}, cacheHits: 0, cacheMisses: 0, replyCacheHits: 0, upstreamQueries: 0, dropped: 0, refused: 0,
    latencyBuckets: LATENCY_BUCKETS_SEC.map(() => 0), latencyCount: 0, latencySumSec: 0,
  };
}

const inc = (m: Record<string, number>, k: string, n = 1): void => {
  m[k] = (m[k] ?? 0) + n;
};

/** Counters of one process. */
export class Metrics {
  readonly s: MetricsSnapshot = emptySnapshot();
  readonly #onUpstream = (): void => {
    this.s.upstreamQueries++;
  };

  constructor(countUpstream = true) {
    if (countUpstream) diagnosticsChannel.subscribe('adbit:upstream:send', this.#onUpstream);
  }

  query(transport: string): void { inc(this.s.queries, transport); }
  rcode(name: string): void { inc(this.s.rcodes, name); }
  security(state: string): void { inc(this.s.security, state); }
  cache(hit: boolean): void { if (hit) this.s.cacheHits++; else this.s.cacheMisses++; }
  replyHit(): void { this.s.replyCacheHits++; }
  drop(): void { this.s.dropped++; }
  refuse(): void { this.s.refused++; }

  latency(sec: number): void {
    this.s.latencyCount++;
    this.s.latencySumSec += sec;
    // A plain loop over the fixed buckets: no closure allocated per query.
    const b = this.s.latencyBuckets;
    for (let i = 0; i < LATENCY_BUCKETS_SEC.length; i++) {
      if (sec <= LATENCY_BUCKETS_SEC[i]!) {
        b[i]!++;
        return;
      }
    }
  }

  close(): void {
    diagnosticsChannel.unsubscribe('adbit:upstream:send', this.#onUpstream);
  }
}

/** Sums snapshots (the cluster primary merges its workers'). */
export function mergeSnapshots(list: readonly MetricsSnapshot[]): MetricsSnapshot {
  const out = emptySnapshot();
  for (const s of list) {
    for (const k of ['queries', 'rcodes', 'security'] as const) for (const [n, v] of Object.entries(s[k])) inc(out[k], n, v);
    out.cacheHits += s.cacheHits;
    out.cacheMisses += s.cacheMisses;
    out.replyCacheHits += s.replyCacheHits ?? 0;
    out.upstreamQueries += s.upstreamQueries;
    out.dropped += s.dropped;
    out.refused += s.refused;
    s.latencyBuckets.forEach((v, i) => { out.latencyBuckets[i] = (out.latencyBuckets[i] ?? 0) + v; });
    out.latencyCount += s.latencyCount;
    out.latencySumSec += s.latencySumSec;
  }
  return out;
}

/** Prometheus text format. */
export function renderPrometheus(s: MetricsSnapshot): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  family('adbit_queries_total', 'counter', 'Client queries received, by transport.');
  for (const [k, v] of Object.entries(s.queries)) lines.push(`adbit_queries_total{transport="${k}"} ${v}`);
  family('adbit_responses_total', 'counter', 'Responses sent, by RCODE.');
  for (const [k, v] of Object.entries(s.rcodes)) lines.push(`adbit_responses_total{rcode="${k}"} ${v}`);
  family('adbit_answers_security_total', 'counter', 'Answers by DNSSEC security state (RFC 4035 4.3).');
  for (const k of ['secure', 'insecure', 'bogus', 'indeterminate']) lines.push(`adbit_answers_security_total{security="${k}"} ${s.security[k] ?? 0}`);
  family('adbit_cache_hits_total', 'counter', 'Answers served from the cache.');
  lines.push(`adbit_cache_hits_total ${s.cacheHits}`);
  family('adbit_cache_misses_total', 'counter', 'Answers that needed resolution.');
  lines.push(`adbit_cache_misses_total ${s.cacheMisses}`);
  family('adbit_reply_cache_hits_total', 'counter', 'Answers sent from the encoded-reply cache without resolver work.');
  lines.push(`adbit_reply_cache_hits_total ${s.replyCacheHits}`);
  family('adbit_upstream_queries_total', 'counter', 'Queries sent to authoritative servers.');
  lines.push(`adbit_upstream_queries_total ${s.upstreamQueries}`);
  family('adbit_dropped_total', 'counter', 'Requests dropped without a reply (not a query, overload).');
  lines.push(`adbit_dropped_total ${s.dropped}`);
  family('adbit_refused_total', 'counter', 'Queries refused by the access list.');
  lines.push(`adbit_refused_total ${s.refused}`);
  family('adbit_query_duration_seconds', 'histogram', 'Time from request to reply.');
  let cum = 0;
  LATENCY_BUCKETS_SEC.forEach((b, i) => {
    cum += s.latencyBuckets[i] ?? 0;
    lines.push(`adbit_query_duration_seconds_bucket{le="${b}"} ${cum}`);
  });
  lines.push(`adbit_query_duration_seconds_bucket{le="+Inf"} ${s.latencyCount}`);
  lines.push(`adbit_query_duration_seconds_sum ${s.latencySumSec}`, `adbit_query_duration_seconds_count ${s.latencyCount}`);
  return lines.join('\n') + '\n';
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(host: string): boolean {
  return host === '::1' || host === 'localhost' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(host);
}

/** Serves `GET /metrics`; refuses a non-loopback address unless `publicOk`. */
export async function startMetricsServer(
  host: string, port: number, snapshot: () => Promise<MetricsSnapshot> | MetricsSnapshot, publicOk = false,
): Promise<Server> {
  if (!isLoopback(host) && !publicOk) {
    throw new InvalidArgumentError(`metrics address ${host} is not loopback; set metrics-public = true in the config to allow it`);
  }
  const srv = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/metrics' && req.url !== '/')) {
      res.writeHead(404).end('not found\n');
      return;
    }
    Promise.resolve(snapshot()).then((s) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderPrometheus(s));
    }, (e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => { srv.off('error', reject); resolve(); });
  });
  return srv;
}
