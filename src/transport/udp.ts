// udp.ts — one UDP exchange: a fresh socket per query bound to port 0 (the kernel picks a random
// ephemeral port, RFC 5452 §9.2), a fresh crypto-random ID, and strict acceptance: source address
// and port, ID, QR and question must all match; anything else is counted and ignored while we keep
// waiting until the deadline. The socket is closed on every path.
// Resources: RFC 1035 §4.2.1, RFC 5452 §4–§9, RFC 7766 §5 (TC means retry over TCP).
import dgram from 'node:dgram';
import net from 'node:net';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { AbortedError, InvalidArgumentError } from '../util/errors.js';
import { isTruncated, matchReply, writeId } from './query-match.js';
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

  const wire = Uint8Array.from(query);
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
    const timer = setTimeout(() => finish({ kind: 'timeout' }), options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('error', (error) => finish({ kind: 'network-error', error }));
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port !== server.port || normaliseAddress(rinfo.address) !== want) {
        stats.wrongSource++;
        return;
      }
      const reply = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
      const verdict = matchReply(wire, reply, exactCase);
      switch (verdict) {
        case 'ok':
          break;
        case 'malformed':
          stats.malformed++;
          return;
        case 'wrong-id':
          stats.wrongId++;
          return;
        case 'not-response':
          stats.notResponse++;
          return;
        case 'wrong-question':
          stats.wrongQuestion++;
          return;
        default: {
          const never: never = verdict;
          return never;
        }
      }
      if (options.accept !== undefined && !options.accept(reply)) {
        stats.badCookie++;
        return;
      }
      stats.accepted++;
      const rttMs = Math.max(0, clock.nowMs() - startMs);
      finish(isTruncated(reply) ? { kind: 'truncated', wire: reply, rttMs } : { kind: 'reply', wire: reply, rttMs, viaTcp: false });
    });
    const bindOpts = options.localAddress === undefined ? { port: 0 } : { port: 0, address: options.localAddress };
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
