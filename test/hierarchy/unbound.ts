// Debian's Unbound as a differential oracle: only the test root hints and test trust anchor,
// sending only from loopback, EDE on (RFC 8914), qname minimisation on (RFC 9156).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UNBOUND_ADDR } from './zones.js';

export function writeUnboundConfig(dir: string, rootHintsFile: string, trustAnchorFile: string): string {
  mkdirSync(dir, { recursive: true });
  const q = (s: string): string => JSON.stringify(s);
  const conf = [
    'server:', `  interface: ${UNBOUND_ADDR}`, '  port: 53', '  do-ip6: no', '  num-threads: 1',
    '  outgoing-interface: 127.0.0.1', '  access-control: 127.0.0.0/8 allow',
    '  username: ""', '  chroot: ""', `  directory: ${q(dir)}`, `  pidfile: ${q(join(dir, 'unbound.pid'))}`,
    '  use-syslog: no', `  logfile: ${q(join(dir, 'unbound.log'))}`, '  verbosity: 1', '  ede: yes', '  val-log-level: 2',
    `  root-hints: ${q(rootHintsFile)}`, `  trust-anchor-file: ${q(trustAnchorFile)}`,
    '  do-not-query-localhost: no', '  module-config: "validator iterator"', '  qname-minimisation: yes',
    // RFC 6761 §6.2: Unbound answers test. itself by default; here it is a real delegated TLD.
    '  local-zone: "test." nodefault',
    '  harden-algo-downgrade: no', '  so-reuseport: no', '  outgoing-range: 64', '  infra-host-ttl: 60',
    'remote-control:', '  control-enable: no', '',
  ].join('\n');
  const file = join(dir, 'unbound.conf');
  writeFileSync(file, conf);
  return file;
}

/** Starts `unbound -d -c conf` as a child process (foreground, so the PID is Unbound's). */
export function startUnbound(dir: string, conf: string): ChildProcess {
  const log = openSync(join(dir, 'unbound.stderr'), 'a');
  return spawn('unbound', ['-d', '-c', conf], { stdio: ['ignore', log, log] });
}
