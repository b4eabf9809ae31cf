// udp.ts — typed surface of the native serving front (bind_udp.cc): the reply table shared by
// the native UDP threads and the JS thread, and the UDP engine that owns the listening sockets,
// answers hits below JS with recvmmsg/sendmmsg and hands misses to JS in batches.
import { native } from './binding.js';

/** Security codes of the table (reply_table.h `Security`), index = code. */
export const SECURITY_CODES = ['secure', 'insecure', 'bogus', 'indeterminate'] as const;
export type SecurityName = (typeof SECURITY_CODES)[number];

export function securityCode(s: string): number {
  const i = (SECURITY_CODES as readonly string[]).indexOf(s);
  return i < 0 ? 3 : i;
}

export interface NativeReplyTable {
  /** The reply for `query` ready to send, or null; meta receives [rcode, security code]. */
  lookup(query: Uint8Array, tcp: boolean, meta: Uint8Array, nowMs?: number): Buffer | null;
  /** Stores a reply built for `query`; lives min(smallest TTL, capSec) seconds. */
  store(query: Uint8Array, tcp: boolean, reply: Uint8Array, capSec: number, rcode: number, security: number, nowMs?: number): boolean;
  clear(): void;
  stats(): { entries: number; bytes: number };
}

/** Called on the JS thread with one batch of datagrams the native path did not answer. */
export type MissCallback = (data: Buffer, meta: Uint32Array, peers: Buffer, addrs: string[]) => void;
/** meta rows: [offset in data, length, socket index, client port, peer sockaddr length]. */
export const MISS_META_STRIDE = 5;
/** Bytes per peer sockaddr in `peers` (sockaddr_in6). */
export const PEER_BYTES = 28;

export interface NativeUdpEngineStats {
  received: number; hits: number; misses: number;
  droppedQueue: number; droppedSend: number; droppedOversize: number; droppedDraining: number;
  hitsRcode: number[]; hitsSecurity: number[];
  /** Sum over hits of the time their batch took from recvmmsg return to sendmmsg done (ns). */
  hitNsSum: number;
  /** Hits per latency bucket (metrics.ts LATENCY_BUCKETS_SEC, then +Inf), by their batch's time. */
  hitHistogram: number[];
}

export interface NativeUdpEngine {
  /** Binds host:port before start(); returns the bound port; throws an Error with .code (errno name). */
  listen(host: string, port: number): number;
  start(): void;
  /** Packed rows of 18 bytes: [family 4|6, prefix, 16 address bytes]. */
  setAcl(packed: Uint8Array): void;
  setAccepting(on: boolean): void;
  /** Stops accepting; true when an empty miss batch was queued behind every miss read before. */
  quiesce(): boolean;
  /** 0 or an errno. */
  send(socket: number, peer: Uint8Array, reply: Uint8Array): number;
  close(): void;
  stats(): NativeUdpEngineStats;
}

export function createReplyTable(maxBytes: number, serverMax: number): NativeReplyTable {
  return new native.ReplyTable(maxBytes, serverMax);
}

export function createUdpEngine(table: NativeReplyTable, o: { threads: number; reusePort: boolean; onMisses: MissCallback }): NativeUdpEngine {
  return new native.UdpEngine(table, o.threads, o.reusePort, o.onMisses);
}

/** True where the engine can run (it uses Linux's recvmmsg/sendmmsg). */
export const nativeUdpSupported = process.platform === 'linux';
