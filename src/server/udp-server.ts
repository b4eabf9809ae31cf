// udp-server.ts — the node:dgram listener: one socket per `--listen` address, each datagram handed
// to the QueryPipeline, the reply sent back to its source (RFC 1035 §4.2.1). Bind failures become a
// ListenError that tells the operator what to do. Under cluster the socket handle is shared.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { AdbitError } from '../util/errors.js';
import type { Acl } from './acl.js';
import type { MetricsSnapshot } from './metrics.js';
import type { QueryPipeline } from './pipeline.js';

/** A listener could not bind; `message` says how to fix it. */
export class ListenError extends AdbitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ADBIT_ERR_LISTEN', message, options);
  }
}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export function formatListen(a: ListenAddress): string {
  return isIPv6(a.host) ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** The error text for a failed bind: the remedy for the usual causes. */
export function bindErrorMessage(proto: string, a: ListenAddress, err: NodeJS.ErrnoException): string {
  const where = `${proto} ${formatListen(a)}`;
  if (err.code === 'EACCES' || err.code === 'EPERM') {
    return `cannot listen on ${where}: ports below 1024 need privileges. Run as root, or grant Node the capability once with ` +
      '`sudo setcap cap_net_bind_service=+ep $(readlink -f $(which node))`, or use another port (--listen 127.0.0.1:5353).';
  }
  if (err.code === 'EADDRINUSE') {
    return `cannot listen on ${where}: the address is in use (another resolver such as systemd-resolved, unbound or dnsmasq?). ` +
      'Stop it, or use another address or port (--listen 127.0.0.1:5353).';
  }
  if (err.code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: no interface has this address.`;
  return `cannot listen on ${where}: ${err.message}`;
}

/** What run.ts needs from the UDP listeners of one process (node:dgram or the native engine). */
export interface UdpListeners {
  /** How it serves, for the start-up log line. */
  readonly engine: string;
  /** Binds one address; resolves with the bound port (useful with port 0). */
  listen(a: ListenAddress): Promise<number>;
  /** Starts serving once every address is bound. */
  start(): void;
  /** A reloaded ACL (the pipeline's is swapped by the caller). */
  setAcl(acl: Acl): void;
  /** `base` plus any counters kept outside the JS Metrics. */
  merge(base: MetricsSnapshot): MetricsSnapshot;
  /** SIGTERM: new datagrams are ignored while in-flight replies still go out. */
  stopAccepting(): void | Promise<void>;
  close(): Promise<void>;
}

/** The node:dgram UDP listeners of one process (where the native engine cannot run, or io-threads 0). */
export class UdpServer implements UdpListeners {
  readonly engine = 'node:dgram';
  readonly #pipeline: QueryPipeline;
  readonly #sockets: Socket[] = [];
  #draining = false;

  constructor(pipeline: QueryPipeline) {
    this.#pipeline = pipeline;
  }

  /** Binds one address; resolves with the bound port (useful with port 0). */
  async listen(a: ListenAddress): Promise<number> {
    const sock = createSocket({ type: isIPv6(a.host) ? 'udp6' : 'udp4', ...(isIPv6(a.host) ? { ipv6Only: true } : {}) });
    await new Promise<void>((resolve, reject) => {
      const onErr = (e: NodeJS.ErrnoException): void => reject(new ListenError(bindErrorMessage('UDP', a, e), { cause: e }));
      sock.once('error', onErr);
      sock.bind({ address: a.host, port: a.port }, () => { sock.off('error', onErr); resolve(); });
    });
    sock.on('error', (e) => this.#pipeline.log.warn('udp socket error', { err: e }));
    const pipeline = this.#pipeline;
    sock.on('message', (msg, rinfo) => {
      if (this.#draining) return;
      const remote = { address: rinfo.address, port: rinfo.port, transport: 'udp' as const };
      // Hit path: answered synchronously, the Buffer sent as is. Without a callback a send error
      // is emitted as the socket's 'error' event (logged above), so no closure per reply.
      const hit = pipeline.fromCache(msg, remote);
      if (hit !== null) {
        sock.send(hit, rinfo.port, rinfo.address);
        return;
      }
      pipeline.handle(msg, remote).then((reply) => {
        if (reply !== null) sock.send(reply, rinfo.port, rinfo.address);
      }, (e: unknown) => pipeline.log.error('udp pipeline failed', { err: e }));
    });
    this.#sockets.push(sock);
    return sock.address().port;
  }

  /** Datagrams are served from bind on. */
  start(): void {}

  /** Every datagram goes through the pipeline, which reads the ACL itself. */
  setAcl(_acl: Acl): void {}

  /** Every counter is in the JS Metrics already. */
  merge(base: MetricsSnapshot): MetricsSnapshot {
    return base;
  }

  /** SIGTERM: new datagrams are ignored while in-flight replies still go out. */
  stopAccepting(): void {
    this.#draining = true;
  }

  /** Stops receiving; replies already being computed are dropped once the socket is closed. */
  async close(): Promise<void> {
    await Promise.all(this.#sockets.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
