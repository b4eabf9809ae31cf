// stats.ts — `adbit stats [--metrics ADDR:PORT] [--json]`: fetches the Prometheus text from a
// running `adbit serve --metrics ...` over loopback HTTP and prints it (or a JSON object of the
// unlabelled and labelled sample values). Exit 1 when the server cannot be reached.
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { parseListen } from '../../server/config.js';
import { formatListen } from '../../server/udp-server.js';

export const usage = `usage: adbit stats [--metrics ADDR:PORT] [--json]

  --metrics ADDR:PORT  where adbit serve exposes metrics (default 127.0.0.1:9153)
  --json               print {"metric{labels}": value, ...} instead of the Prometheus text`;

export const DEFAULT_METRICS = '127.0.0.1:9153';

/** Sample lines of Prometheus text as a flat map. */
export function parsePrometheus(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

function fetchText(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/metrics', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, options: { metrics: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    process.stderr.write(`adbit stats: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  let addr;
  try {
    addr = parseListen(values.metrics ?? DEFAULT_METRICS, '--metrics');
  } catch (e) {
    process.stderr.write(`adbit stats: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const text = await fetchText(addr.host, addr.port, 3000);
    process.stdout.write(values.json === true ? JSON.stringify(parsePrometheus(text)) + '\n' : text);
    return 0;
  } catch (e) {
    process.stderr.write(`adbit stats: cannot read metrics from http://${formatListen(addr)}/metrics: ${(e as Error).message}\n` +
      '(is adbit serve running with --metrics at that address?)\n');
    return 1;
  }
}
