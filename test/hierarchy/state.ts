// Shared run state of the hierarchy (test/hierarchy/.cache/run/): a mkdir-based lock whose
// owner PID is checked for staleness, and state.json naming the supervisor and the holder
// processes (ava workers) currently using the hierarchy.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RUN_DIR = join(REPO_ROOT, 'test', 'hierarchy', '.cache', 'run');
const STATE_FILE = join(RUN_DIR, 'state.json');
const LOCK_DIR = join(RUN_DIR, 'lock');

export interface RunState {
  readonly supervisorPid: number;
  readonly buildFile: string;
  readonly holders: readonly number[];
}

/** True if the process exists and is not a zombie (a zombie has already stopped). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function readState(): RunState | null {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as RunState;
  } catch {
    return null;
  }
}

export function writeState(s: RunState | null): void {
  if (s === null) { rmSync(STATE_FILE, { force: true }); return; }
  const tmp = `${STATE_FILE}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(s));
  renameSync(tmp, STATE_FILE);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs fn holding the cross-process lock; a lock whose owner died is broken. */
export async function withLock<T>(fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  mkdirSync(RUN_DIR, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'owner'), String(process.pid));
      break;
    } catch {
      let owner = NaN;
      try { owner = Number(readFileSync(join(LOCK_DIR, 'owner'), 'utf8')); } catch { /* being created */ }
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`hierarchy lock ${LOCK_DIR} held too long`);
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** Sends SIGTERM to pid (if alive) and waits until it is gone; SIGKILL after killAfterMs. */
export async function killAndWait(pid: number, killAfterMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const t0 = Date.now();
  while (isAlive(pid)) {
    if (Date.now() - t0 > killAfterMs) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    await sleep(25);
  }
}
