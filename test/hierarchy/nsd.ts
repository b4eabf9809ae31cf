// One NSD per nameserver address (port 53, no chroot, no remote control), started in the
// foreground as a child process, plus a minimal raw UDP DNS probe (RFC 1035 §4.1) used to
// check readiness without any client library.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeNsdConfig(writeDir: string, finalDir: string, addr: string,
  zones: readonly { name: string; file: string }[]): void {
  mkdirSync(writeDir, { recursive: true });
  const q = (f: string): string => JSON.stringify(join(finalDir, f));
  const conf = [
    'server:', `  ip-address: ${addr}`, '  port: 53', '  do-ip6: no', '  server-count: 1', '  verbosity: 1',
    // Small tables: the defaults (e.g. a million-bucket RRL table) make 30 parallel starts slow.
    '  rrl-size: 1000', '  rrl-ratelimit: 0', '  tcp-count: 20', '  xfrd-tcp-max: 2', '  xfrd-tcp-pipeline: 2',
    '  username: ""', '  chroot: ""', '  database: ""',
    `  pidfile: ${q('nsd.pid')}`, `  zonelistfile: ${q('zone.list')}`, `  xfrdfile: ${q('xfrd.state')}`,
    `  xfrdir: ${JSON.stringify(finalDir)}`, `  logfile: ${q('nsd.log')}`, '  zonefiles-write: 0',
    'remote-control:', '  control-enable: no',
    ...zones.flatMap((z) => ['zone:', `  name: "${z.name}"`, `  zonefile: ${JSON.stringify(z.file)}`]), '',
  ].join('\n');
  writeFileSync(join(writeDir, 'nsd.conf'), conf);
}

/** Starts `nsd -d -c nsd.conf` in dir; the caller owns the returned child and its PID. */
export function startNsd(dir: string): ChildProcess {
  const log = openSync(join(dir, 'nsd.stderr'), 'a');
  return spawn('nsd', ['-d', '-c', join(dir, 'nsd.conf')], { stdio: ['ignore', log, log] });
}

export interface ProbeAnswer { readonly rcode: number; readonly aa: boolean; readonly tc: boolean; readonly ancount: number }

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter((l) => l !== '');
  return Buffer.concat([...parts.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
}

/** One non-recursive UDP query; resolves with the header bits or null on timeout. */
export function probe(addr: string, qname: string, qtype: number, timeoutMs = 300, port = 53): Promise<ProbeAnswer | null> {
  return new Promise((resolvePromise) => {
    const sock = createSocket('udp4');
    const id = Math.floor(Math.random() * 0xffff);
    const header = Buffer.from([id >> 8, id & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const msg = Buffer.concat([header, encodeName(qname), Buffer.from([qtype >> 8, qtype & 0xff, 0, 1])]);
    const done = (a: ProbeAnswer | null): void => { clearTimeout(timer); sock.close(); resolvePromise(a); };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('error', () => done(null));
    sock.on('message', (m) => {
      if (m.length < 12 || m.readUInt16BE(0) !== id) return;
      const b2 = m[2] ?? 0;
      done({ rcode: (m[3] ?? 0) & 0x0f, aa: (b2 & 0x04) !== 0, tc: (b2 & 0x02) !== 0, ancount: m.readUInt16BE(6) });
    });
    sock.send(msg, port, addr, (err) => { if (err) done(null); });
  });
}

/** Waits until the server answers (authoritatively for `zone`, or at all when zone is null). */
export async function waitReady(addr: string, zone: string | null, deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    const a = await probe(addr, zone ?? '.', 6);
    if (a !== null && (zone === null || (a.rcode === 0 && a.aa))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`DNS server ${addr} not ready for ${zone ?? 'any query'}`);
}
