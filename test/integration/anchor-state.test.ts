// anchor-state.test.ts — `adbit serve --anchor-state FILE` keeps the trust anchors by RFC 5011: on
// first start it seeds the trust point from the configured DS anchor and the root's live DNSKEY
// set, writes the state file atomically, and still answers with AD; a corrupt state file stops the
// start with a clear error naming the file (never a silent fallback to other anchors).
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { useHierarchy } from '../hierarchy/fixture.js';
import { type ServeProcess, spawnServe } from '../helpers/serve-process.js';
import { NetTransport } from '../../src/transport/transport.js';
import { buildQuery } from '../../src/wire/encode.js';
import { Message } from '../../src/wire/message.js';
import { Name } from '../../src/wire/name.js';

const hierarchy = useHierarchy(test);

function serve(stateFile: string): ServeProcess {
  const h = hierarchy();
  return spawnServe(['--listen', '127.0.0.1:0', '--root-hints', h.rootHintsFile, '--trust-anchor', h.trustAnchorDsFile,
    '--anchor-state', stateFile]);
}

test.serial('first start seeds the root trust point from the DS anchor and writes the state file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'adbit-5011-'));
  const file = join(dir, 'root.state');
  const run = serve(file);
  const port = await run.port;
  const state = JSON.parse(readFileSync(file, 'utf8')) as { format: string; trustPoints: { zone: string; keys: { state: string }[] }[] };
  t.is(state.format, 'adbit-rfc5011-state');
  const root = state.trustPoints.find((p) => p.zone === '.');
  t.truthy(root, 'a trust point for the root');
  t.true(root!.keys.some((k) => k.state === 'Valid'), JSON.stringify(root));
  t.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind');
  // The server validates with the trust point's keys.
  const transport = new NetTransport();
  const q = buildQuery({ id: 1, name: Name.fromText('www.alg13.test.'), type: 1, rd: true, dnssecOk: true });
  const r = await transport.exchange({ address: '127.0.0.1', port }, q, { timeoutMs: 10_000 });
  transport.close();
  t.is(r.kind, 'reply');
  if (r.kind === 'reply') {
    const m = Message.fromWire(r.wire);
    t.true(m.ok && m.message.ad && m.message.rcode === 0);
  }
  run.proc.kill('SIGTERM');
  t.is(await run.exit, 0);
});

test.serial('a corrupt state file stops the start with an error naming the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'adbit-5011-'));
  const file = join(dir, 'root.state');
  writeFileSync(file, '{"format":"adbit-rfc5011-state","version":1,"trustPoints":[{"zone":');
  const run = serve(file);
  const code = await run.exit;
  t.not(code, 0);
  t.regex(run.log.join('\n'), new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});
