// config.ts — adbit serve settings from a TOML file (smol-toml: TOML 1.0, no dependencies) and the
// command line; flags override the file, key by key. Validation errors name the key and the file.
// Relative paths in the file are taken relative to the file's folder (like unbound.conf includes).
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { isIP } from 'node:net';
import { parse as parseToml } from 'smol-toml';
import { AdbitError } from '../util/errors.js';
import { LOG_LEVELS, type LogLevel } from '../util/log.js';
import { Acl } from './acl.js';
import type { ListenAddress } from './udp-server.js';

/** A configuration problem; the message names the key and where it came from. */
export class ConfigError extends AdbitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ADBIT_ERR_CONFIG', message, options);
  }
}

export interface ServeConfig {
  readonly listen: readonly ListenAddress[];
  readonly allow: readonly string[];
  readonly openResolver: boolean;
  readonly rootHints?: string;
  readonly trustAnchor?: string;
  /** RFC 5011 state file (like Unbound's auto-trust-anchor-file): keeps the anchors up to date. */
  readonly anchorState?: string;
  readonly cacheRrsetBytes?: number;
  readonly cacheMessageBytes?: number;
  readonly logLevel: LogLevel;
  readonly metrics?: ListenAddress;
  readonly metricsPublic: boolean;
  readonly workers: number;
  /** Native UDP I/O threads per process (hits answered below JS); 0 = node:dgram. Default: cores ÷ workers. */
  readonly ioThreads?: number;
}

/** The settings one source gives (file or flags); absent keys fall through. */
export type ConfigInput = { -readonly [K in keyof ServeConfig]?: ServeConfig[K] };

export const DEFAULT_LISTEN: readonly ListenAddress[] = [{ host: '127.0.0.1', port: 53 }, { host: '::1', port: 53 }];
const DEFAULT_ALLOW = ['127.0.0.0/8', '::1/128'];

/** `ADDR:PORT`, `[V6]:PORT`, or a bare address (port 53). */
export function parseListen(text: string, key = 'listen'): ListenAddress {
  const t = text.trim();
  let host: string;
  let port = '53';
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6 !== null) {
    host = v6[1]!;
    port = v6[2] ?? '53';
  } else if (isIP(t) === 6) {
    host = t;
  } else {
    const i = t.lastIndexOf(':');
    host = i < 0 ? t : t.slice(0, i);
    if (i >= 0) port = t.slice(i + 1);
  }
  if (host === 'localhost') host = '127.0.0.1';
  if (isIP(host) === 0) throw new ConfigError(`${key}: "${text}" is not ADDR:PORT with an IP address`);
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new ConfigError(`${key}: bad port in "${text}"`);
  return { host, port: Number(port) };
}

const KEYS = new Set(['listen', 'allow', 'open-resolver', 'root-hints', 'trust-anchor', 'anchor-state', 'cache-rrset-bytes',
  'cache-message-bytes', 'log-level', 'metrics', 'metrics-public', 'workers', 'io-threads']);

function str(v: unknown, key: string, src: string): string {
  if (typeof v !== 'string' || v === '') throw new ConfigError(`${src}: "${key}" must be a non-empty string`);
  return v;
}

function strList(v: unknown, key: string, src: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw new ConfigError(`${src}: "${key}" must be a string or a list of strings`);
  return list as string[];
}

function posInt(v: unknown, key: string, src: string): number {
  if (typeof v !== 'number' && typeof v !== 'bigint') throw new ConfigError(`${src}: "${key}" must be a positive integer`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${src}: "${key}" must be a positive integer`);
  return n;
}

function bool(v: unknown, key: string, src: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(`${src}: "${key}" must be true or false`);
  return v;
}

/** `workers`: a count or "auto" (one per core). */
export function parseWorkers(v: unknown, src: string): number {
  if (v === 'auto') return availableParallelism();
  if (typeof v === 'string' && /^\d+$/.test(v)) return posInt(Number(v), 'workers', src);
  return posInt(v, 'workers', src);
}

/** `io-threads`: a count (0 = the node:dgram listener instead of the native engine) or "auto". */
export function parseIoThreads(v: unknown, src: string): number | undefined {
  if (v === 'auto') return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' || typeof v === 'bigint' ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > 256) throw new ConfigError(`${src}: "io-threads" must be "auto" or an integer 0..256`);
  return n;
}

/** Native I/O threads for one process: the configured count, else the cores shared among workers. */
export function ioThreadsOf(cfg: ServeConfig): number {
  return cfg.ioThreads ?? Math.max(1, Math.floor(availableParallelism() / cfg.workers));
}

function logLevel(v: unknown, src: string): LogLevel {
  if (typeof v !== 'string' || !(LOG_LEVELS as readonly string[]).includes(v)) {
    throw new ConfigError(`${src}: "log-level" must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return v as LogLevel;
}

/** Parses TOML text; `file` names the source in errors and anchors relative paths. */
export function parseConfigText(text: string, file: string): ConfigInput {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${file}: not valid TOML: ${(e as Error).message}`, { cause: e });
  }
  const out: ConfigInput = {};
  const rel = (p: string): string => resolve(dirname(file), p);
  for (const [key, v] of Object.entries(doc)) {
    if (!KEYS.has(key)) throw new ConfigError(`${file}: unknown key "${key}" (known: ${[...KEYS].join(', ')})`);
    switch (key) {
      case 'listen': out.listen = strList(v, key, file).map((x) => parseListen(x, `${file}: listen`)); break;
      case 'allow': out.allow = strList(v, key, file); break;
      case 'open-resolver': out.openResolver = bool(v, key, file); break;
      case 'root-hints': out.rootHints = rel(str(v, key, file)); break;
      case 'trust-anchor': out.trustAnchor = rel(str(v, key, file)); break;
      case 'anchor-state': out.anchorState = rel(str(v, key, file)); break;
      case 'cache-rrset-bytes': out.cacheRrsetBytes = posInt(v, key, file); break;
      case 'cache-message-bytes': out.cacheMessageBytes = posInt(v, key, file); break;
      case 'log-level': out.logLevel = logLevel(v, file); break;
      case 'metrics': out.metrics = parseListen(str(v, key, file), `${file}: metrics`); break;
      case 'metrics-public': out.metricsPublic = bool(v, key, file); break;
      case 'workers': out.workers = parseWorkers(v, file); break;
      case 'io-threads': { const n = parseIoThreads(v, file); if (n !== undefined) out.ioThreads = n; break; }
    }
  }
  return out;
}

export function readConfigFile(file: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`, { cause: e });
  }
  return parseConfigText(text, file);
}

/** Merges file and flags (flags win) over the defaults and validates the result as a whole. */
export function resolveConfig(file: ConfigInput, flags: ConfigInput): ServeConfig {
  const pick = <K extends keyof ConfigInput>(k: K): ConfigInput[K] => (flags[k] !== undefined ? flags[k] : file[k]);
  const cfg: ServeConfig = {
    listen: pick('listen') ?? DEFAULT_LISTEN,
    allow: pick('allow') ?? DEFAULT_ALLOW,
    openResolver: pick('openResolver') ?? false,
    logLevel: pick('logLevel') ?? 'info',
    metricsPublic: pick('metricsPublic') ?? false,
    workers: pick('workers') ?? 1,
    ...opt('rootHints', pick('rootHints')),
    ...opt('trustAnchor', pick('trustAnchor')),
    ...opt('anchorState', pick('anchorState')),
    ...opt('cacheRrsetBytes', pick('cacheRrsetBytes')),
    ...opt('cacheMessageBytes', pick('cacheMessageBytes')),
    ...opt('metrics', pick('metrics')),
    ...opt('ioThreads', pick('ioThreads')),
  };
  if (cfg.listen.length === 0) throw new ConfigError('listen: at least one address is needed');
  try {
    // Compiles the list once here so a bad CIDR or an accidental open resolver stops the start.
    new Acl(cfg.allow, cfg.openResolver);
  } catch (e) {
    throw new ConfigError(`allow: ${(e as Error).message}`, { cause: e });
  }
  return cfg;
}

function opt<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}
