// demo-pipe.test.ts — `adbit demo | head`: when its stdout is closed early (EPIPE) the demo must
// stop everything it started (dane-check children, the hierarchy supervisor it spawned and that
// one's NSDs) within seconds and exit non-zero without a stack trace. Every descendant is collected
// from /proc/<pid>/task/*/children while the demo runs. Needs root, NSD and the built hierarchy.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import test from 'ava';
import { ADBIT_MAIN } from '../helpers/serve-process.js';
import { isAlive, readState } from '../hierarchy/state.js';

interface Proc { pid: number; parent: number; start: string; cmd: string }

/** Field 22 (starttime) of /proc/<pid>/stat: tells a live process from a reused PID. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try { tasks = readdirSync(`/proc/${pid}/task`); } catch { return out; }
  for (const task of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
        if (c !== '') out.push(Number(c));
      }
    } catch { /* the task ended meanwhile */ }
  }
  return out;
}

/** Adds every current descendant of root to seen (recursively). */
function collect(root: number, seen: Map<number, Proc>): void {
  const stack = [root];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    for (const pid of childrenOf(parent)) {
      const start = startTime(pid);
      let cmd = '';
      try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { /* gone */ }
      // Re-read every time: right after fork a child still shows its parent's command line.
      const known = seen.get(pid);
      if (start !== null && (known === undefined || known.start === start)) seen.set(pid, { pid, parent, start, cmd: cmd || (known?.cmd ?? '') });
      stack.push(pid);
    }
  }
}

const stillRunning = (p: Proc): boolean => isAlive(p.pid) && startTime(p.pid) === p.start;

function inSubtree(p: Proc, root: number, seen: Map<number, Proc>): boolean {
  for (let q: Proc | undefined = p; q !== undefined; q = seen.get(q.parent)) if (q.pid === root) return true;
  return false;
}

const DANE_BUILT = existsSync(join(dirname(ADBIT_MAIN), 'commands', 'dane-check.js'));

test('demo with stdout closed early stops every process it spawned and exits 1 quietly', async (t) => {
  t.timeout(300_000);  // a cold hierarchy build, or another run's hierarchy to wait out
  const demo = spawn(process.execPath, [ADBIT_MAIN, 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const demoPid = demo.pid!;
  t.teardown(() => { if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL'); });
  const seen = new Map<number, Proc>();
  const poll = setInterval(() => collect(demoPid, seen), 25);
  let err = '';
  demo.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));

  // Close our end while the walk-through is at work: as the first dane-check child starts (the
  // case that used to orphan it), or after the first answer when dane-check is not built.
  const cue = DANE_BUILT ? 'DANE for SMTP' : 'www.alg13.test A';
  let text = '';
  let closedAt = 0;
  await new Promise<void>((resolve, reject) => {
    demo.stdout.setEncoding('utf8').on('data', (s: string) => {
      text += s;
      if (closedAt === 0 && text.includes(cue)) {
        closedAt = Date.now();
        demo.stdout.destroy();
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`demo exited before "${cue}":\n${text}\n${err}`)));
  });

  const code = await exited;
  const exitMs = Date.now() - closedAt;
  clearInterval(poll);
  t.is(code, 1, err);
  t.notRegex(err, /EPIPE|Error|at .*\.js:\d+/, 'quiet: no exception on stderr');
  // One dane-check child runs about a second, then the next write fails; 15 s leaves ample slack
  // on a loaded machine but is well under the children's own 30 s timeout.
  t.true(exitMs < 15_000, `demo took ${exitMs} ms to exit after stdout closed`);
  if (DANE_BUILT) t.true([...seen.values()].some((p) => p.cmd.includes('dane-check')), 'a dane-check child was seen');

  // A supervisor the demo started outlives it only while another process holds the hierarchy.
  const supervisor = [...seen.values()].find((p) => p.cmd.includes('supervisor.js'));
  const shared = (): boolean => (readState()?.holders ?? []).some((h) => h !== demoPid && isAlive(h));
  const expectDead = (): Proc[] => [...seen.values()].filter((p) =>
    stillRunning(p) && !(supervisor !== undefined && inSubtree(p, supervisor.pid, seen) && shared()));
  const deadline = Date.now() + 5_000;
  while (expectDead().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  t.deepEqual(expectDead().map((p) => `${p.pid} ${p.cmd}`), [], 'every process the demo spawned has ended');
});
