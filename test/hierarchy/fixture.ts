// ava fixture for the shared test hierarchy: the first worker process builds it and starts the
// supervisor (NSDs, Unbound, SMTP servers); later workers register as holders; the last holder
// to leave stops it and waits until every process is gone. Stale state from crashes is cleaned.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestFn } from 'ava';
import { buildHierarchy, expectedBuildDir, type BuildResult, type NsdInstance, type SmtpInstance } from './build.js';
import type { Scenario } from './scenarios.js';
import { RUN_DIR, isAlive, killAndWait, readState, withLock, writeState } from './state.js';
import { UNBOUND_ADDR } from './zones.js';

export interface Hierarchy {
  readonly rootHintsFile: string;
  readonly trustAnchorDsFile: string;
  readonly trustAnchorKeyFile: string;
  readonly manifest: readonly Scenario[];
  readonly servers: readonly NsdInstance[];
  readonly smtpServers: readonly SmtpInstance[];
  readonly unboundAddr: string;
  /** Milliseconds this process spent building (0 if cached) and starting (0 if already running). */
  readonly timings: { readonly buildMs: number; readonly startMs: number; readonly cached: boolean };
  stop(): Promise<void>;
}

const SUPERVISOR = join(dirname(fileURLToPath(import.meta.url)), 'supervisor.js');
const READY = join(RUN_DIR, 'ready.json');

/** How long a test process waits for a running hierarchy of older sources to be released. */
const STALE_WAIT_MS = 600_000;

interface Ready { readonly pid: number; readonly children: readonly number[] }

function readReady(): Ready | null {
  try { return JSON.parse(readFileSync(READY, 'utf8')) as Ready; } catch { return null; }
}

/** Kills what a previous (crashed) run left behind: its supervisor and that one's children. */
async function cleanStale(): Promise<void> {
  const st = readState();
  const ready = readReady();
  if (st !== null) await killAndWait(st.supervisorPid);
  for (const pid of ready?.children ?? []) {
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    // Guard against PID reuse: only our nsd/unbound command lines are killed.
    if (cmd.includes(RUN_DIR) || cmd.includes('nsd.conf')) await killAndWait(pid);
  }
  writeState(null);
  rmSync(READY, { force: true });
}

async function startSupervisor(build: BuildResult): Promise<number> {
  const log = openSync(join(RUN_DIR, 'supervisor.log'), 'w');
  const child = spawn(process.execPath, [SUPERVISOR, join(build.dir, 'build.json'), RUN_DIR],
    { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the hierarchy supervisor');
  // Register as holder before the supervisor's watchdog first looks.
  writeState({ supervisorPid: pid, buildFile: join(build.dir, 'build.json'), holders: [process.pid] });
  const deadline = Date.now() + 30_000;
  while (readReady()?.pid !== pid) {
    if (!isAlive(pid) || Date.now() > deadline) {
      await killAndWait(pid);
      writeState(null);
      throw new Error(`hierarchy supervisor failed; see ${join(RUN_DIR, 'supervisor.log')}:\n${readFileSync(join(RUN_DIR, 'supervisor.log'), 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return pid;
}

async function release(): Promise<void> {
  await withLock(async () => {
    const st = readState();
    if (st === null) return;
    const holders = st.holders.filter((p) => p !== process.pid && isAlive(p));
    if (holders.length > 0) { writeState({ ...st, holders }); return; }
    await killAndWait(st.supervisorPid);
    for (const pid of readReady()?.children ?? []) await killAndWait(pid);
    writeState(null);
    rmSync(READY, { force: true });
  });
}

/** Joins (or builds and starts) the shared hierarchy. Call stop() exactly once. */
export async function acquireHierarchy(): Promise<Hierarchy> {
  if (process.getuid?.() !== 0) {
    throw new Error('the test hierarchy binds port 53 on 127.20.x.x/127.21.x.x and must run as root');
  }
  let timings = { buildMs: 0, startMs: 0, cached: true };
  const wanted = join(expectedBuildDir(), 'build.json');
  const deadline = Date.now() + STALE_WAIT_MS;
  let build: BuildResult | 'stale' = 'stale';
  while (build === 'stale') {
    build = await withLock(async (): Promise<BuildResult | 'stale'> => {
      const st = readState();
      const live = st !== null && isAlive(st.supervisorPid) && readReady()?.pid === st.supervisorPid
        && st.holders.some(isAlive) && existsSync(st.buildFile);
      // A hierarchy built from other sources (another helper's older run) cannot be joined: the
      // manifest would not match. Wait for its holders to leave, then build the current one.
      if (live && st.buildFile !== wanted && Date.now() < deadline) return 'stale';
      if (live) {
        writeState({ ...st, holders: [...st.holders.filter(isAlive), process.pid] });
        return JSON.parse(readFileSync(st.buildFile, 'utf8')) as BuildResult;
      }
      await cleanStale();
      const b = await buildHierarchy();
      const t0 = Date.now();
      await startSupervisor(b);
      timings = { buildMs: b.buildMs, startMs: Date.now() - t0, cached: b.cached };
      return b;
    });
    if (build === 'stale') await new Promise((r) => setTimeout(r, 500));
  }
  let stopped = false;
  return {
    rootHintsFile: build.rootHintsFile, trustAnchorDsFile: build.trustAnchorDsFile,
    trustAnchorKeyFile: build.trustAnchorKeyFile, manifest: build.manifest, servers: build.nsd,
    smtpServers: build.smtp, unboundAddr: UNBOUND_ADDR, timings,
    async stop() { if (!stopped) { stopped = true; await release(); } },
  };
}

/** Registers ava before/after.always hooks; the returned getter is valid inside tests. */
export function useHierarchy(test: TestFn): () => Hierarchy {
  let h: Hierarchy | undefined;
  test.before(async () => { h = await acquireHierarchy(); });
  test.after.always(async () => { await h?.stop(); });
  return () => {
    if (h === undefined) throw new Error('hierarchy not started (useHierarchy before hook failed)');
    return h;
  };
}
