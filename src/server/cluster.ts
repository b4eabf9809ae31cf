// cluster.ts — multi-process serving with node:cluster, for resolution-heavy loads (misses run
// JS; one process is one JS thread). UDP: each worker's native engine binds its own SO_REUSEPORT
// socket on the port and the kernel spreads clients over them (with io-threads 0, node:dgram
// workers share the primary's socket handle instead: Node 20's dgram has no reusePort). TCP
// connections are distributed round-robin by the primary. Each worker has its own Resolver and
// caches (split, not shared). SIGHUP and SIGTERM are forwarded; metrics are summed over IPC.
import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { Logger } from '../util/log.js';
import type { ServeConfig } from './config.js';
import { mergeSnapshots, type MetricsSnapshot, startMetricsServer } from './metrics.js';
import { DRAIN_TIMEOUT_MS, startServer } from './run.js';

type ToWorker = { t: 'reload'; cfg: ServeConfig } | { t: 'stop' } | { t: 'snapshot'; id: number };
type ToPrimary = { t: 'ready' } | { t: 'error'; message: string } | { t: 'snapshot'; id: number; s: MetricsSnapshot };

const ENV_CONFIG = 'ADBIT_WORKER_CONFIG';

export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env[ENV_CONFIG] !== undefined;
}

/** Worker side: serve with the config the primary passed, answer its IPC requests. */
export async function runWorker(log: Logger): Promise<void> {
  const cfg = JSON.parse(process.env[ENV_CONFIG] ?? '{}') as ServeConfig;
  const send = (m: ToPrimary): void => { process.send?.(m); };
  let srv: Awaited<ReturnType<typeof startServer>>;
  try {
    srv = await startServer(cfg, { log, serveMetrics: false });
  } catch (e) {
    send({ t: 'error', message: (e as Error).message });
    process.exit(2);
  }
  process.on('message', (m: ToWorker) => {
    if (m.t === 'reload') srv.reload(m.cfg);
    else if (m.t === 'snapshot') send({ t: 'snapshot', id: m.id, s: srv.snapshot() });
    else if (m.t === 'stop') void srv.shutdown(DRAIN_TIMEOUT_MS).then(() => process.exit(0));
  });
  // The primary owns the signals; ignore a terminal's SIGINT/SIGTERM sent to the whole group.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  send({ t: 'ready' });
}

export interface ClusterHandle {
  reload(cfg: ServeConfig): void;
  shutdown(): Promise<void>;
}

/** Primary side: forks `cfg.workers` workers; resolves when all are listening, rejects on a bind error. */
export async function runPrimary(cfg: ServeConfig, log: Logger): Promise<ClusterHandle> {
  const workers: Worker[] = [];
  let stopping = false;
  let nextId = 1;
  const pending = new Map<number, { left: number; got: MetricsSnapshot[]; done: (s: MetricsSnapshot) => void }>();
  const ready = new Promise<void>((resolve, reject) => {
    let up = 0;
    for (let i = 0; i < cfg.workers; i++) {
      const w = cluster.fork({ [ENV_CONFIG]: JSON.stringify(cfg) });
      workers.push(w);
      w.on('message', (m: ToPrimary) => {
        if (m.t === 'ready' && ++up === cfg.workers) resolve();
        else if (m.t === 'error') reject(new Error(m.message));
        else if (m.t === 'snapshot') {
          const p = pending.get(m.id);
          if (p === undefined) return;
          p.got.push(m.s);
          if (--p.left === 0) { pending.delete(m.id); p.done(mergeSnapshots(p.got)); }
        }
      });
      w.on('exit', (code) => {
        if (!stopping) log.error('worker exited', { pid: w.process.pid, code });
        if (!stopping && up < cfg.workers) reject(new Error(`worker exited with code ${code} before listening`));
      });
    }
  });
  const shutdownWorkers = async (): Promise<void> => {
    stopping = true;
    await Promise.all(workers.filter((w) => !w.isDead()).map((w) => new Promise<void>((r) => {
      w.once('exit', () => r());
      w.send({ t: 'stop' } satisfies ToWorker);
    })));
  };
  try {
    await ready;
  } catch (e) {
    stopping = true;
    for (const w of workers) if (!w.isDead()) w.kill();
    throw e;
  }
  const collect = (): Promise<MetricsSnapshot> => new Promise((resolve) => {
    const id = nextId++;
    const live = workers.filter((w) => !w.isDead());
    pending.set(id, { left: live.length, got: [], done: resolve });
    for (const w of live) w.send({ t: 'snapshot', id } satisfies ToWorker);
    setTimeout(() => { const p = pending.get(id); if (p !== undefined) { pending.delete(id); resolve(mergeSnapshots(p.got)); } }, 1000);
  });
  let http: Server | undefined;
  if (cfg.metrics !== undefined) http = await startMetricsServer(cfg.metrics.host, cfg.metrics.port, collect, cfg.metricsPublic);
  log.info('adbit serve cluster up', { workers: cfg.workers, pid: process.pid });
  return {
    reload(next: ServeConfig): void {
      for (const w of workers) if (!w.isDead()) w.send({ t: 'reload', cfg: next } satisfies ToWorker);
    },
    async shutdown(): Promise<void> {
      await shutdownWorkers();
      await new Promise<void>((r) => (http === undefined ? r() : http.close(() => r())));
    },
  };
}
