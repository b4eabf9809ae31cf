// helpers.ts — test-only builders and loopback responders for the transport tests (not a test file).
import dgram from 'node:dgram';
import net from 'node:net';
import packet from 'dns-packet';

/** A query for `name`/`type`, optionally with an OPT record (EDNS0, 1232-byte buffer). */
export function makeQuery(name: string, type: 'A' | 'AAAA' | 'TXT' = 'A', edns = false): Uint8Array {
  const msg: packet.Packet = { type: 'query', id: 0, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] };
  if (edns) msg.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as unknown as packet.Answer];
  return new Uint8Array(packet.encode(msg));
}

/** A reply made by echoing the query bytes with QR set (question and OPT kept byte for byte). */
export function echoReply(query: Uint8Array, change: { tc?: boolean; qr?: boolean; id?: number; rcode?: number } = {}): Buffer {
  const r = Buffer.from(query);
  if (change.qr !== false) r[2] = (r[2] ?? 0) | 0x80;
  if (change.tc === true) r[2] = (r[2] ?? 0) | 0x02;
  if (change.id !== undefined) r.writeUInt16BE(change.id, 0);
  if (change.rcode !== undefined) r[3] = ((r[3] ?? 0) & 0xf0) | (change.rcode & 0x0f);
  return r;
}

/** Question name of a message (dns-packet decode). */
export function qname(wire: Uint8Array): string {
  return packet.decode(Buffer.from(wire)).questions?.[0]?.name ?? '';
}

/**
 * Watch the UDP sockets created while `fn` runs (by wrapping dgram.createSocket); returns how many
 * were created and how many of them emitted 'close' — to prove sockets are always closed.
 */
export async function watchUdpSockets<T>(fn: () => Promise<T>): Promise<{ created: number; closed: number; value: T | Error }> {
  const original = dgram.createSocket;
  let created = 0;
  let closed = 0;
  (dgram as { createSocket: unknown }).createSocket = (...args: Parameters<typeof dgram.createSocket>) => {
    const s = original(...args);
    created++;
    s.once('close', () => closed++);
    return s;
  };
  let value: T | Error;
  try {
    value = await fn();
  } catch (e) {
    value = e as Error;
  } finally {
    (dgram as { createSocket: unknown }).createSocket = original;
  }
  await sleep(5);
  return { created, closed, value };
}

export interface UdpResponder {
  readonly port: number;
  readonly socket: dgram.Socket;
  close(): Promise<void>;
}

/** A UDP responder on 127.0.0.1 (port 0 unless given). */
export function udpResponder(
  handler: (msg: Buffer, rinfo: dgram.RemoteInfo, socket: dgram.Socket) => void, port = 0,
): Promise<UdpResponder> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.on('message', (m, r) => handler(m, r, socket));
    socket.bind(port, '127.0.0.1', () => {
      resolve({ port: socket.address().port, socket, close: () => new Promise((res) => socket.close(() => res())) });
    });
  });
}

export interface TcpResponder {
  readonly port: number;
  readonly server: net.Server;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  close(): Promise<void>;
}

/** A TCP responder on 127.0.0.1 that hands each complete framed query to `onQuery`. */
export function tcpResponder(
  onQuery: (query: Buffer, conn: net.Socket) => void, port = 0,
): Promise<TcpResponder> {
  let accepted = 0;
  const conns = new Set<net.Socket>();
  const server = net.createServer((conn) => {
    accepted++;
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => {});
    let buf = Buffer.alloc(0);
    conn.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        onQuery(buf.subarray(2, 2 + len), conn);
        buf = buf.subarray(2 + len);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address() as net.AddressInfo;
      resolve({
        port: addr.port, server, accepted: () => accepted,
        close: () => new Promise((res) => {
          for (const c of conns) c.destroy();
          server.close(() => res());
        }),
      });
    });
  });
}

/** Frame a message with its 2-byte length (RFC 1035 §4.2.2). */
export function frame(msg: Uint8Array): Buffer {
  const out = Buffer.alloc(2 + msg.length);
  out.writeUInt16BE(msg.length, 0);
  out.set(msg, 2);
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
