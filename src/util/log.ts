// log.ts — observability without a logging dependency: node:diagnostics_channel channels that
// cost nothing when nobody subscribes, util.debuglog('adbit') (NODE_DEBUG=adbit), and a small
// structured JSON-lines logger for the server process (one object a line: ts, level, msg, fields).
import diagnosticsChannel from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';

/** Published channels; subscribe with diagnostics_channel.subscribe(name, fn). */
export const channels = {
  /** A client query entered the resolver. */
  queryStart: diagnosticsChannel.channel('adbit:query:start'),
  /** A query left for an upstream server (payload: UpstreamSendEvent). */
  upstreamSend: diagnosticsChannel.channel('adbit:upstream:send'),
  /** An upstream exchange ended (payload: UpstreamReplyEvent). */
  upstreamReply: diagnosticsChannel.channel('adbit:upstream:reply'),
  /** The validator finished a response. */
  validateDone: diagnosticsChannel.channel('adbit:validate:done'),
} as const;

/** Payload of adbit:upstream:send. */
export interface UpstreamSendEvent {
  readonly address: string;
  readonly port: number;
  readonly id: number;
  readonly bytes: number;
  readonly viaTcp: boolean;
}

/** Payload of adbit:upstream:reply. */
export interface UpstreamReplyEvent {
  readonly address: string;
  readonly port: number;
  readonly id: number;
  /** ExchangeResult kind ('reply', 'timeout', …). */
  readonly kind: string;
  readonly rttMs: number;
  readonly viaTcp: boolean;
}

/** NODE_DEBUG=adbit debug output. */
export const debug = debuglog('adbit');

/** Log levels in increasing severity. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured logger. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: Readonly<Record<string, unknown>>): void;
  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  error(msg: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Options of createJsonLogger. */
export interface JsonLoggerOptions {
  /** Lowest level written; default 'info'. */
  level?: LogLevel;
  /** Sink for one JSON line (without newline); default process.stderr. */
  write?: (line: string) => void;
  clock?: Clock;
}

// JSON.stringify cannot encode bigint and turns bytes/errors into noise; make them readable.
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }) };
  }
  return value;
}

/** A logger writing one JSON object per line. Reserved keys (ts, level, msg) win over fields. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => void process.stderr.write(line + '\n'));
  const clock = options.clock ?? systemClock;
  const log = (level: LogLevel, msg: string, fields?: Readonly<Record<string, unknown>>): void => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const ts = new Date(clock.nowMs()).toISOString();
    write(JSON.stringify({ ...fields, ts, level, msg }, replacer));
  };
  return {
    log,
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
