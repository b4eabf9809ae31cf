// run.ts — one serving process: the QueryPipeline with UDP and TCP listeners on every `listen`
// address, optional metrics endpoint, reload (config + trust anchors, keeping caches and sockets)
// and a bounded drain for SIGTERM. cluster.ts runs one of these per worker.
import type { Server } from 'node:http';
import { type RunningAnchorUpdater, startAnchorUpdater } from '../dnssec/anchor-updater.js';
import { systemClock } from '../util/clock.js';
import { createJsonLogger, type Logger } from '../util/log.js';
import { Acl } from './acl.js';
import { ioThreadsOf, type ServeConfig } from './config.js';
import { type QueryHandler, ResolverHandler } from './handler.js';
import { Metrics, type MetricsSnapshot, startMetricsServer } from './metrics.js';
import { QueryPipeline } from './pipeline.js';
import { TcpServer, type TcpLimits } from './tcp-server.js';
import { NativeUdpServer } from './native-udp-server.js';
import { formatListen, type ListenAddress, type UdpListeners, UdpServer } from './udp-server.js';
import { nativeUdpSupported } from '../native/udp.js';

/** SIGTERM: queries in flight get this long to finish (a client retries after ~5 s anyway). */
export const DRAIN_TIMEOUT_MS = 5_000;

export interface RunOptions {
  /** A ready handler (tests); otherwise a ResolverHandler from the config. */
  readonly handler?: QueryHandler;
  readonly log?: Logger;
  /** false in cluster workers: the primary serves metrics for all. */
  readonly serveMetrics?: boolean;
  readonly tcpLimits?: Partial<TcpLimits>;
}

export interface RunningServer {
  /** Bound addresses with real ports (port 0 in the config resolves here). */
  readonly udp: readonly ListenAddress[];
  readonly tcp: readonly ListenAddress[];
  readonly metricsPort: number | undefined;
  readonly pipeline: QueryPipeline;
  snapshot(): MetricsSnapshot;
  /** Applies a new config: ACL, log level, trust anchors. Listen changes need a restart. */
  reload(cfg: ServeConfig): void;
  /** Stops accepting, waits for in-flight queries (bounded), closes everything. */
  shutdown(drainMs?: number): Promise<boolean>;
}

export async function startServer(cfg: ServeConfig, o: RunOptions = {}): Promise<RunningServer> {
  let log = o.log ?? createJsonLogger({ level: cfg.logLevel });
  const handler = o.handler ?? new ResolverHandler({
    ...(cfg.rootHints === undefined ? {} : { rootHintsFile: cfg.rootHints }),
    ...(cfg.trustAnchor === undefined ? {} : { trustAnchorFile: cfg.trustAnchor }),
    cacheSizes: {
      ...(cfg.cacheRrsetBytes === undefined ? {} : { rrsetBytes: cfg.cacheRrsetBytes }),
      ...(cfg.cacheMessageBytes === undefined ? {} : { messageBytes: cfg.cacheMessageBytes }),
    },
  });
  // RFC 5011 upkeep of the configured anchors (cluster workers each run one: they observe the same
  // DNSKEY sets, and every save is an atomic per-process temp file + rename). A corrupt state file
  // rejects here and stops the start: never a silent fallback to other anchors.
  let updater: RunningAnchorUpdater | undefined;
  const startUpdater = async (stateFile: string | undefined): Promise<void> => {
    updater?.stop();
    updater = undefined;
    if (stateFile === undefined || !(handler instanceof ResolverHandler)) return;
    const u = startAnchorUpdater({
      store: handler.validator.anchors, fetcher: handler.resolver, stateFile, clock: systemClock,
      onError: (e) => log.warn('trust-anchor upkeep (RFC 5011)', { error: e.message }),
      onTransitions: (zone, t) => log.info('trust-anchor key state changed (RFC 5011)', { zone, transitions: t }),
    });
    updater = u;
    await u.ready;
  };
  try {
    await startUpdater(cfg.anchorState);
  } catch (e) {
    updater?.stop();
    handler.close();
    throw e;
  }
  const metrics = new Metrics();
  const pipeline = new QueryPipeline({ handler, acl: new Acl(cfg.allow, cfg.openResolver), metrics, log });
  // The native engine answers hits on its own threads; node:dgram where it cannot run (or io-threads 0).
  const ioThreads = ioThreadsOf(cfg);
  const udpSrv: UdpListeners = nativeUdpSupported && ioThreads > 0
    ? new NativeUdpServer(pipeline, { threads: ioThreads, reusePort: cfg.workers > 1 })
    : new UdpServer(pipeline);
  const tcpSrv = new TcpServer(pipeline, o.tcpLimits);
  const udp: ListenAddress[] = [];
  const tcp: ListenAddress[] = [];
  let http: Server | undefined;
  const snapshot = (): MetricsSnapshot => udpSrv.merge(metrics.s);
  try {
    for (const a of cfg.listen) {
      const port = await udpSrv.listen(a);
      udp.push({ host: a.host, port });
      // Same port for TCP as UDP (port 0 picks one for UDP; TCP follows it).
      tcp.push({ host: a.host, port: await tcpSrv.listen({ host: a.host, port }) });
    }
    udpSrv.start();
    if (cfg.metrics !== undefined && o.serveMetrics !== false) {
      http = await startMetricsServer(cfg.metrics.host, cfg.metrics.port, snapshot, cfg.metricsPublic);
    }
  } catch (e) {
    await udpSrv.close();
    await tcpSrv.close();
    handler.close();
    metrics.close();
    throw e;
  }
  const ha = http?.address();
  log.info('adbit serve listening', {
    udp: udp.map(formatListen), tcp: tcp.map(formatListen), allow: cfg.allow, pid: process.pid,
    udpEngine: udpSrv.engine,
  });
  return {
    udp, tcp, pipeline, snapshot,
    metricsPort: typeof ha === 'object' && ha !== null ? ha.port : undefined,
    reload(next: ServeConfig): void {
      pipeline.acl = new Acl(next.allow, next.openResolver);
      udpSrv.setAcl(pipeline.acl);
      log = o.log ?? createJsonLogger({ level: next.logLevel });
      pipeline.log = log;
      if (handler instanceof ResolverHandler) {
        handler.reloadAnchors(next.trustAnchor);
        pipeline.replies.clear(); // cached replies carry the old anchors' verdicts
        startUpdater(next.anchorState).catch((e: unknown) => log.error('trust-anchor state unusable after reload', { error: (e as Error).message }));
      }
      log.info('configuration reloaded', { allow: next.allow, trustAnchor: next.trustAnchor ?? 'built-in' });
    },
    async shutdown(drainMs = DRAIN_TIMEOUT_MS): Promise<boolean> {
      tcpSrv.stopAccepting();
      await udpSrv.stopAccepting();
      const drained = await pipeline.drain(drainMs);
      await udpSrv.close();
      await tcpSrv.close();
      await new Promise<void>((r) => (http === undefined ? r() : http.close(() => r())));
      updater?.stop();
      handler.close();
      metrics.close();
      log.info('adbit serve stopped', { drained });
      return drained;
    },
  };
}
