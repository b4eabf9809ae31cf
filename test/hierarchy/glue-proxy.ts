// A UDP proxy in front of one NSD that forges out-of-bailiwick glue: every referral (AA clear, no
// answer, NS in authority) gets an extra A record for a name outside the zone inserted at the start
// of the additional section. NSD never serves out-of-zone data, so this is how the hierarchy tests
// that resolvers apply the bailiwick rule (RFC 2181 §5.4.1, RFC 5452 §6). UDP only (RFC 1035 §4.2.1).
import { createSocket, type Socket } from 'node:dgram';

/** Offset just past the name starting at `off` (labels or a compression pointer, RFC 1035 §4.1.4). */
function skipName(m: Buffer, off: number): number {
  for (let i = off; i < m.length;) {
    const len = m[i] ?? 0;
    if (len === 0) return i + 1;
    if ((len & 0xc0) === 0xc0) return i + 2;
    i += len + 1;
  }
  return -1;
}

function nameWire(name: string): Buffer {
  const labels = name.split('.').filter((l) => l !== '');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

/** The response with `name A addr` added to the additional section if it is a referral. */
export function injectGlue(m: Buffer, name: string, addr: string): Buffer {
  if (m.length < 12) return m;
  const aa = ((m[2] ?? 0) & 0x04) !== 0;
  const [qd, an, ns, ar] = [4, 6, 8, 10].map((o) => m.readUInt16BE(o)) as [number, number, number, number];
  if (aa || an !== 0 || ns === 0 || (m[3] ?? 0) & 0x0f) return m;
  let off = 12;
  for (let i = 0; i < qd && off >= 0; i++) off = skipName(m, off) + 4;
  for (let i = 0; i < ns && off >= 0; i++) {
    off = skipName(m, off);
    if (off < 0 || off + 10 > m.length) return m;
    off += 10 + m.readUInt16BE(off + 8);
  }
  if (off < 0 || off > m.length) return m;
  const rr = Buffer.concat([nameWire(name), Buffer.from([0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4]),
    Buffer.from(addr.split('.').map(Number))]);
  const out = Buffer.concat([m.subarray(0, off), rr, m.subarray(off)]);
  out.writeUInt16BE(ar + 1, 10);
  return out;
}

/** Listens on front:53 and relays each datagram to back:53 through a fresh socket. */
export function startGlueProxy(front: string, back: string, glue: { name: string; addr: string }): Promise<Socket> {
  const sock = createSocket('udp4');
  sock.on('message', (q, rinfo) => {
    const up = createSocket('udp4');
    const timer = setTimeout(() => up.close(), 3000);
    up.on('error', () => { clearTimeout(timer); up.close(); });
    up.on('message', (r) => {
      clearTimeout(timer);
      up.close();
      sock.send(injectGlue(r, glue.name, glue.addr), rinfo.port, rinfo.address);
    });
    up.send(q, 53, back);
  });
  return new Promise((res, rej) => {
    sock.once('error', rej);
    sock.bind(53, front, () => res(sock));
  });
}
