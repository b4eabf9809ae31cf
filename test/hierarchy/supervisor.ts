// The process that runs a built hierarchy: every NSD, the Unbound oracle and the SMTP servers
// as its children, shared by all ava worker processes. It stops everything on SIGTERM and,
// as a watchdog, when no registered holder process is alive any more (a crashed test run).
// Usage: node supervisor.js <build.json> <runDir>
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import type { BuildResult } from './build.js';
import { isAlive, readState } from './state.js';
import { startNsd, waitReady } from './nsd.js';
import { startSmtpServer } from './smtp-server.js';
import { startUnbound, writeUnboundConfig } from './unbound.js';
import { startGlueProxy } from './glue-proxy.js';
import { UNBOUND_ADDR, ZONES } from './zones.js';

const [buildFile, runDir] = process.argv.slice(2);
if (buildFile === undefined || runDir === undefined) throw new Error('usage: supervisor.js <build.json> <runDir>');
const build = JSON.parse(readFileSync(buildFile, 'utf8')) as BuildResult;
const children: ChildProcess[] = [];
const smtp: Server[] = [];
const proxies: { close(cb: () => void): void }[] = [];
let stopping = false;

function waitExit(c: ChildProcess, ms: number): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const t = setTimeout(() => { c.kill('SIGKILL'); }, ms);
    c.once('exit', () => { clearTimeout(t); res(); });
  });
}

async function shutdown(code: number): Promise<never> {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => waitExit(c, 3000)));
  await Promise.all(smtp.map((s) => new Promise((r) => s.close(r))));
  await Promise.all(proxies.map((p) => new Promise<void>((r) => p.close(() => r()))));
  process.exit(code);
}

process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));

async function main(): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (const n of build.nsd) children.push(startNsd(n.dir));
  const uconf = writeUnboundConfig(join(runDir ?? '', 'unbound'), build.rootHintsFile, build.trustAnchorDsFile);
  const unbound = startUnbound(join(runDir ?? '', 'unbound'), uconf);
  children.push(unbound);
  for (const c of children) {
    c.once('exit', (code, sig) => {
      if (!stopping) {
        process.stderr.write(`child ${c.pid} (${c.spawnfile}) exited early: ${code ?? sig}\n`);
        void shutdown(1);
      }
    });
  }
  for (const s of build.smtp) {
    smtp.push(await startSmtpServer({ addr: s.addr, port: 25, host: s.host.replace(/\.$/, ''), keyFile: s.keyFile, certFile: s.certFile }));
  }
  const proxied = ZONES.flatMap((z) => (z.injectGlue && z.servers[0] ? [{ zone: z.name, front: z.servers[0].addr, ...z.injectGlue }] : []));
  for (const p of proxied) proxies.push(await startGlueProxy(p.front, p.back, p));
  await Promise.all([
    ...build.nsd.map((n) => waitReady(n.addr, n.zones[0] ?? null, deadline)),
    ...proxied.map((p) => waitReady(p.front, p.zone, deadline)),
    waitReady(UNBOUND_ADDR, null, deadline),
  ]);
  writeFileSync(join(runDir ?? '', 'ready.json'), JSON.stringify({ pid: process.pid, children: children.map((c) => c.pid) }));
  // Watchdog: the holders are the test processes using the hierarchy (state.json).
  setInterval(() => {
    const st = readState();
    if (st === null || st.supervisorPid !== process.pid || !st.holders.some(isAlive)) void shutdown(0);
  }, 500);
}

main().catch((e: unknown) => {
  process.stderr.write(`supervisor failed: ${String(e)}\n`);
  void shutdown(1);
});
