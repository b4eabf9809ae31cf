// serve.ts — `adbit serve --listen ADDR:PORT [--root-hints FILE] [--trust-anchor FILE] [--config FILE]`
// plus --allow, --metrics, --workers, --log-level. Flags override the config file; SIGHUP re-reads
// both and reloads ACL, log level and trust anchors (caches and sockets stay); SIGTERM/SIGINT drain
// in-flight queries for a bounded time and exit 0. Bind and config errors exit 2 with a remedy.
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { createJsonLogger } from '../../util/log.js';
import { AdbitError } from '../../util/errors.js';
import { type ConfigInput, parseIoThreads, parseListen, parseWorkers, readConfigFile, resolveConfig, type ServeConfig } from '../../server/config.js';
import { isClusterWorker, runPrimary, runWorker } from '../../server/cluster.js';
import { startServer } from '../../server/run.js';

export const usage = `usage: adbit serve [--listen ADDR:PORT]... [--allow CIDR]... [--root-hints FILE] [--trust-anchor FILE]
                   [--anchor-state FILE] [--config FILE] [--metrics ADDR:PORT] [--workers N|auto] [--io-threads N|auto]
                   [--log-level debug|info|warn|error]
                   [--i-know-this-is-an-open-resolver]

  --listen ADDR:PORT   UDP and TCP address (repeatable; default 127.0.0.1:53 and [::1]:53)
  --allow CIDR         clients that may query (repeatable; default loopback only); others get REFUSED
  --root-hints FILE    named.root format (default: built-in IANA root hints)
  --trust-anchor FILE  DS and/or DNSKEY records in zone-file format (default: built-in root anchors)
  --anchor-state FILE  keep the trust anchors up to date by RFC 5011 with its state in FILE (written
                       atomically; a corrupt file stops the start, never a silent fallback)
  --config FILE        TOML file with the same keys (listen, allow, root-hints, trust-anchor,
                       cache-rrset-bytes, cache-message-bytes, log-level, metrics, workers, io-threads); flags win
  --metrics ADDR:PORT  Prometheus text on http://ADDR:PORT/metrics (loopback only)
  --workers N|auto     processes sharing the port (default 1; auto = one per core); caches are per worker
  --io-threads N|auto  native UDP threads per process answering cache hits below JS with recvmmsg/
                       sendmmsg (default auto = cores / workers; 0 = plain node:dgram listener)
signals: SIGHUP reloads config and trust anchors, SIGTERM drains and exits 0`;

const OPTIONS = {
  listen: { type: 'string', multiple: true },
  allow: { type: 'string', multiple: true },
  'root-hints': { type: 'string' },
  'trust-anchor': { type: 'string' },
  'anchor-state': { type: 'string' },
  config: { type: 'string' },
  metrics: { type: 'string' },
  workers: { type: 'string' },
  'io-threads': { type: 'string' },
  'log-level': { type: 'string' },
  'i-know-this-is-an-open-resolver': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];

function flagsToInput(v: Values): ConfigInput {
  const out: ConfigInput = {};
  if (v.listen !== undefined) out.listen = v.listen.map((x) => parseListen(x, '--listen'));
  if (v.allow !== undefined) out.allow = v.allow;
  if (v['root-hints'] !== undefined) out.rootHints = v['root-hints'];
  if (v['trust-anchor'] !== undefined) out.trustAnchor = v['trust-anchor'];
  if (v['anchor-state'] !== undefined) out.anchorState = v['anchor-state'];
  if (v.metrics !== undefined) out.metrics = parseListen(v.metrics, '--metrics');
  if (v.workers !== undefined) out.workers = parseWorkers(v.workers, '--workers');
  if (v['io-threads'] !== undefined) { const n = parseIoThreads(v['io-threads'], '--io-threads'); if (n !== undefined) out.ioThreads = n; }
  if (v['log-level'] !== undefined) out.logLevel = v['log-level'] as ServeConfig['logLevel'];
  if (v['i-know-this-is-an-open-resolver'] === true) out.openResolver = true;
  return out;
}

/** Loads file + flags; throws ConfigError/InvalidArgumentError with a message naming the key. */
export function loadServeConfig(args: string[]): { cfg: ServeConfig; help: boolean } {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  const level = values['log-level'];
  if (level !== undefined && !['debug', 'info', 'warn', 'error'].includes(level)) {
    throw new AdbitError('ADBIT_ERR_CONFIG', `--log-level: must be one of debug, info, warn, error`);
  }
  const file = values.config === undefined ? {} : readConfigFile(values.config);
  return { cfg: resolveConfig(file, flagsToInput(values)), help: values.help === true };
}

export async function run(args: string[]): Promise<number> {
  let cfg: ServeConfig;
  try {
    const loaded = loadServeConfig(args);
    if (loaded.help) {
      process.stdout.write(usage + '\n');
      return 0;
    }
    cfg = loaded.cfg;
  } catch (e) {
    process.stderr.write(`adbit serve: ${(e as Error).message}\n${e instanceof AdbitError ? '' : '\n' + usage + '\n'}`);
    return 2;
  }
  const log = createJsonLogger({ level: cfg.logLevel });
  if (isClusterWorker()) {
    await runWorker(log);
    return -1;
  }
  let handle: { reload(c: ServeConfig): void; shutdown(): Promise<unknown> };
  try {
    handle = cfg.workers > 1 && cluster.isPrimary ? await runPrimary(cfg, log) : await startServer(cfg, { log });
  } catch (e) {
    process.stderr.write(`adbit serve: ${(e as Error).message}\n`);
    return 2;
  }
  process.on('SIGHUP', () => {
    try {
      handle.reload(loadServeConfig(args).cfg);
    } catch (e) {
      // A bad file on reload keeps the running configuration (Unbound does the same).
      log.error('reload failed; keeping the running configuration', { err: e });
    }
  });
  let stopping = false;
  const stop = (sig: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal: sig });
    void handle.shutdown().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return -1;
}
