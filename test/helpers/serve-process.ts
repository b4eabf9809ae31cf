// serve-process.ts — starts `adbit serve` as a child process for integration tests and reads the
// bound UDP port from its JSON log line "adbit serve listening". The child is killed if the test
// process exits first, so a failing test never leaves a server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of the compiled CLI entry (dist/src/cli/main.js). */
export const ADBIT_MAIN = join(dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

export interface ServeProcess {
  readonly proc: ChildProcess;
  /** Every stderr line so far (JSON log lines and plain error text). */
  readonly log: string[];
  /** Exit code once the child has exited. */
  readonly exit: Promise<number | null>;
  /** The bound UDP port; rejects with the log if the child exits before listening. */
  readonly port: Promise<number>;
}

export function spawnServe(args: readonly string[]): ServeProcess {
  const proc = spawn(process.execPath, [ADBIT_MAIN, 'serve', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  process.once('exit', () => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  const log: string[] = [];
  const exit = new Promise<number | null>((r) => proc.on('exit', (c) => r(c)));
  const port = new Promise<number>((resolve, reject) => {
    let buf = '';
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (c: string) => {
      buf += c;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        log.push(line);
        try {
          const j = JSON.parse(line) as { msg?: string; udp?: string[] };
          if (j.msg === 'adbit serve listening') resolve(Number(j.udp![0]!.split(':').pop()));
        } catch { /* plain error text */ }
      }
    });
    void exit.then((c) => reject(new Error(`serve exited ${c}: ${log.join('\n')}${buf}`)));
  });
  port.catch(() => undefined);
  return { proc, log, exit, port };
}
