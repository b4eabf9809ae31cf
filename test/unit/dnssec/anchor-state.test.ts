// anchor-state.test.ts — the RFC 5011 state file: round trip, atomic replace, crash mid-write
// (leftover full or partial temp file) keeps the previous state, and corrupt / truncated /
// unknown-version files raise AnchorStateError naming the file.
import test from 'ava';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AnchorStateError, formatAnchorState, loadAnchorState, parseAnchorState, saveAnchorState, tempPathFor,
} from '../../../src/dnssec/anchor-state.js';
import { createTrustPoint, observe, type TrustPoint } from '../../../src/dnssec/rfc5011.js';

const T0 = 1_700_000_000;
const k = (seed: number) => ({ keyTag: 0, algorithm: 8, rdata: Uint8Array.from([1, 1, 3, 8, 3, 1, 0, 1, seed]) });

function states(): { v1: TrustPoint[]; v2: TrustPoint[] } {
  const tp = createTrustPoint('.', [k(1)], T0);
  const next = observe(tp, { nowSec: T0 + 60, keys: [k(1), k(2)], signedBy: [k(1)], origTtlSec: 172800, sigExpirationSec: T0 + 86400 * 10 }).trustPoint;
  return { v1: [tp], v2: [next] };
}

async function tmpDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'adbit-anchor-state-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('round trip and replace', async (t) => {
  const dir = await tmpDir(t);
  const file = path.join(dir, 'root.state');
  t.is(await loadAnchorState(file), null);
  const { v1, v2 } = states();
  await saveAnchorState(file, v1);
  t.deepEqual(await loadAnchorState(file), v1);
  await saveAnchorState(file, v2);
  const back = await loadAnchorState(file);
  t.deepEqual(back, v2);
  t.deepEqual(back?.[0]?.keys.map((x) => x.state), ['Valid', 'AddPend']);
  t.deepEqual(await readdir(dir), ['root.state'], 'no temp files left behind');
});

test('crash mid-write: a leftover temp file (full or partial) never replaces the state', async (t) => {
  const dir = await tmpDir(t);
  const file = path.join(dir, 'root.state');
  const { v1, v2 } = states();
  await saveAnchorState(file, v1);
  const full = formatAnchorState(v2);
  // Crash after writing the temp file but before rename, and a crash in the middle of writing.
  await writeFile(tempPathFor(file, 9001), full);
  await writeFile(tempPathFor(file, 9002), full.slice(0, Math.floor(full.length / 2)));
  t.deepEqual(await loadAnchorState(file), v1);
  // The next save still works beside the stale temp files.
  await saveAnchorState(file, v2);
  t.deepEqual(await loadAnchorState(file), v2);
});

test('truncated, corrupt and unknown-version files are clear errors naming the file', async (t) => {
  const dir = await tmpDir(t);
  const file = path.join(dir, 'root.state');
  const good = formatAnchorState(states().v2);
  const cases: Array<[string, RegExp]> = [
    [good.slice(0, good.length - 20), /not valid JSON/],
    ['', /not valid JSON/],
    [good.replace('"version": 1', '"version": 7'), /unknown version 7/],
    [good.replace('adbit-rfc5011-state', 'something-else'), /missing format tag/],
    [good.replace('"AddPend"', '"Pending"'), /keys\[1\]\.state "Pending"/],
    [good.replace(/"keyTag": \d+/, '"keyTag": 70000'), /keyTag must be an integer/],
    [good.replace(/"rdata": "[^"]+"/, '"rdata": "!!"'), /rdata must be base64/],
    [good.replace('"zone": "."', '"zone": "example"'), /zone must be an absolute name/],
  ];
  for (const [text, re] of cases) {
    await writeFile(file, text);
    const err = await t.throwsAsync(loadAnchorState(file), { instanceOf: AnchorStateError });
    t.is(err?.code, 'ADBIT_ERR_ANCHOR_STATE');
    t.true(err?.message.includes(file), err?.message);
    t.regex(err?.message ?? '', re);
  }
  t.throws(() => parseAnchorState('{"format":"adbit-rfc5011-state","version":1}', 'x'), { message: /trustPoints must be an array/ });
});

test('the file is readable JSON with base64 RDATA', async (t) => {
  const dir = await tmpDir(t);
  const file = path.join(dir, 's.json');
  await saveAnchorState(file, states().v1);
  const doc = JSON.parse(await readFile(file, 'utf8')) as { version: number; trustPoints: Array<{ keys: Array<{ rdata: string }> }> };
  t.is(doc.version, 1);
  t.is(doc.trustPoints[0]?.keys[0]?.rdata, Buffer.from([1, 1, 3, 8, 3, 1, 0, 1, 1]).toString('base64'));
});
