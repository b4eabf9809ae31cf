// anchor-state.ts — the RFC 5011 state file: versioned JSON, parsed strictly, written atomically
// (temp file in the same directory, fsync, rename over the old file, fsync the directory) so a
// crash leaves either the old or the new state. A corrupt, truncated or unknown-version file is an
// AnchorStateError naming the file and the fault: never a silent fallback to "no anchors".
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AdbitError } from '../util/errors.js';
import { KeyState, type TrackedKey, type TrustPoint } from './rfc5011.js';

/** The state file is unusable. `code` is 'ADBIT_ERR_ANCHOR_STATE'; the message names file and fault. */
export class AnchorStateError extends AdbitError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('ADBIT_ERR_ANCHOR_STATE', `trust-anchor state file ${file}: ${message}`, options);
    this.file = file;
  }
}

/** Format tag and version written into every file. JSON was chosen over Unbound's zone-file-with-
 * comments autotrust format because it parses strictly without ldns, carries a version, and has
 * no presentation-format ambiguity; the keys are still readable (base64 RDATA + key tag). */
export const STATE_FORMAT = 'adbit-rfc5011-state';
export const STATE_VERSION = 1;

const STATES = new Set<string>(Object.values(KeyState).filter((s) => s !== 'Start'));
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function uint(o: Json, k: string, where: string, max = 2 ** 53 - 1): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new Error(`${where}.${k} must be an integer in 0..${max}`);
  return v;
}

function parseKey(v: unknown, where: string): TrackedKey {
  if (!isObj(v)) throw new Error(`${where} must be an object`);
  const rd = v['rdata'];
  if (typeof rd !== 'string' || !B64.test(rd)) throw new Error(`${where}.rdata must be base64`);
  const rdata = new Uint8Array(Buffer.from(rd, 'base64'));
  if (rdata.length < 5 || Buffer.from(rdata).toString('base64') !== rd) throw new Error(`${where}.rdata is not a DNSKEY RDATA`);
  const state = v['state'];
  if (typeof state !== 'string' || !STATES.has(state)) throw new Error(`${where}.state ${JSON.stringify(state)} is not a key state`);
  return {
    rdata, keyTag: uint(v, 'keyTag', where, 0xffff), algorithm: uint(v, 'algorithm', where, 255), state: state as TrackedKey['state'],
    firstSeenSec: uint(v, 'firstSeenSec', where), lastSeenSec: uint(v, 'lastSeenSec', where),
    lastChangeSec: uint(v, 'lastChangeSec', where), addHoldDownUntilSec: uint(v, 'addHoldDownUntilSec', where),
  };
}

function parseTrustPoint(v: unknown, where: string): TrustPoint {
  if (!isObj(v)) throw new Error(`${where} must be an object`);
  const zone = v['zone'];
  if (typeof zone !== 'string' || !zone.endsWith('.')) throw new Error(`${where}.zone must be an absolute name`);
  const keys = v['keys'];
  if (!Array.isArray(keys)) throw new Error(`${where}.keys must be an array`);
  return {
    zone, keys: keys.map((k, i) => parseKey(k, `${where}.keys[${i}]`)),
    lastSuccessSec: uint(v, 'lastSuccessSec', where), nextRefreshSec: uint(v, 'nextRefreshSec', where),
    lastOrigTtlSec: uint(v, 'lastOrigTtlSec', where), lastExpireIntervalSec: uint(v, 'lastExpireIntervalSec', where),
  };
}

/** Parses file text; throws AnchorStateError (with `file` in the message) on any fault. */
export function parseAnchorState(text: string, file: string): TrustPoint[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new AnchorStateError(file, `not valid JSON (truncated or corrupt: ${text.length} bytes)`, { cause });
  }
  if (!isObj(doc) || doc['format'] !== STATE_FORMAT) throw new AnchorStateError(file, `missing format tag "${STATE_FORMAT}"`);
  if (doc['version'] !== STATE_VERSION) throw new AnchorStateError(file, `unknown version ${JSON.stringify(doc['version'])} (this build reads ${STATE_VERSION})`);
  const tps = doc['trustPoints'];
  if (!Array.isArray(tps)) throw new AnchorStateError(file, 'trustPoints must be an array');
  try {
    return tps.map((t, i) => parseTrustPoint(t, `trustPoints[${i}]`));
  } catch (cause) {
    throw new AnchorStateError(file, (cause as Error).message, { cause });
  }
}

/** Serialises trust points (stable key order, one trailing newline). */
export function formatAnchorState(tps: readonly TrustPoint[]): string {
  const doc = {
    format: STATE_FORMAT, version: STATE_VERSION,
    trustPoints: tps.map((t) => ({
      zone: t.zone, lastSuccessSec: t.lastSuccessSec, nextRefreshSec: t.nextRefreshSec,
      lastOrigTtlSec: t.lastOrigTtlSec, lastExpireIntervalSec: t.lastExpireIntervalSec,
      keys: t.keys.map((k) => ({
        keyTag: k.keyTag, algorithm: k.algorithm, state: k.state, rdata: Buffer.from(k.rdata).toString('base64'),
        firstSeenSec: k.firstSeenSec, lastSeenSec: k.lastSeenSec, lastChangeSec: k.lastChangeSec, addHoldDownUntilSec: k.addHoldDownUntilSec,
      })),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Loads the state file. A missing file returns null (first start: the caller seeds from the
 * configured anchors); any other read error or content fault throws AnchorStateError. Leftover
 * temp files from an interrupted save are never read.
 */
export async function loadAnchorState(file: string): Promise<TrustPoint[] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AnchorStateError(file, `cannot read (${(cause as Error).message})`, { cause });
  }
  return parseAnchorState(text, file);
}

let tempSeq = 0;

/** Temp file name used by saveAnchorState (exported for the crash tests). */
export function tempPathFor(file: string, seq: number): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${seq}.tmp`);
}

/** Writes the state atomically: temp + fsync + rename + directory fsync. */
export async function saveAnchorState(file: string, tps: readonly TrustPoint[]): Promise<void> {
  const data = formatAnchorState(tps);
  const tmp = tempPathFor(file, tempSeq++);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (cause) {
    await unlink(tmp).catch(() => undefined);
    throw new AnchorStateError(file, `cannot write (${(cause as Error).message})`, { cause });
  }
  // The rename is durable only once the directory entry is on disk.
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
