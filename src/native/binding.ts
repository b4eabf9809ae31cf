// binding.ts — the one place that loads adbit_native.node (build/Release, then build/Debug), checks
// the ABI version and fails with a remedy. Everything else reaches the addon through this module.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeLoadError } from '../util/errors.js';
import { ABI_VERSION } from './abi.js';
import type { MissCallback, NativeReplyTable, NativeUdpEngine } from './udp.js';

/** The raw export surface of the addon. Callers validate arguments before calling (better-sqlite3 style). */
export interface NativeAddon {
  abiVersion(): number;
  abiConstants(): Record<string, number>;
  // Wire codec (bind_parse.cc)
  /** One allocation: an ArrayBuffer holding the record table then the data, or, on error, status·2³² + errorOffset. */
  parseMessageBuffer(wire: Uint8Array): ArrayBuffer | number;
  rrToText(rr: Uint8Array): string | null;
  rrFromText(text: string, origin: string, defaultTtl: number): { status: number; error: string; rr: Uint8Array };
  ldnsDecode(wire: Uint8Array): { status: number; error: string; records: string[] };
  versions(): { ldns: string; openssl: string };
  // Canonical form and batched crypto (bind_batch.cc)
  /** RFC 4034 §3.1.8.1 signed data from a VERIFY_RRSIG "b" blob (abi.h). */
  signedData(b: Uint8Array): { status: number; data: Uint8Array };
  /** Test-only: ldns's own verifier (ldns_verify_rrsig) over zone-file text, for differential tests. */
  ldnsVerifyRRset(rrsetTextLines: string[], rrsigText: string, dnskeyText: string): number;
  /** Bench-only: one verification n times (mode 2 = the bare OpenSSL primitive); returns the OK count. */
  verifyLoop(dnskey: Uint8Array, sig: Uint8Array, tbs: Uint8Array, n: number, mode: number): number;
  runBatchSync(jobs: Uint32Array, blob: Uint8Array, outBytes: number, params: Uint32Array): { status: Uint8Array; out: Uint8Array };
  runBatch(jobs: Uint32Array, blob: Uint8Array, outBytes: number, params: Uint32Array): Promise<{ status: Uint8Array; out: Uint8Array }>;
  // Serving front (bind_udp.cc)
  ReplyTable: new (maxBytes: number, serverMax: number) => NativeReplyTable;
  UdpEngine: new (table: NativeReplyTable, threads: number, reusePort: boolean, onMisses: MissCallback) => NativeUdpEngine;
  capabilities(): { openssl: string; ldns: string; algorithms: Uint8Array; digests: Uint8Array; nsec3: Uint8Array; keyCacheSize: number };
}

const REMEDY =
  'adbit needs its native addon. On Debian/Ubuntu install the build dependencies ' +
  '(apt-get install -y pkg-config libldns-dev) and rebuild it with `npm run build:native` ' +
  '(or reinstall the package).';

function load(): NativeAddon {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/src/native -> package root
  const root = path.resolve(here, '..', '..', '..');
  const require = createRequire(import.meta.url);
  const errors: string[] = [];
  for (const dir of ['Release', 'Debug']) {
    const file = path.join(root, 'build', dir, 'adbit_native.node');
    try {
      const addon = require(file) as NativeAddon;
      const abi = addon.abiVersion();
      if (abi !== ABI_VERSION) {
        throw new NativeLoadError(`native ABI ${abi} does not match the TypeScript ABI ${ABI_VERSION}. ${REMEDY}`);
      }
      return addon;
    } catch (err) {
      if (err instanceof NativeLoadError) throw err;
      errors.push(`${file}: ${(err as Error).message}`);
    }
  }
  throw new NativeLoadError(`could not load adbit_native.node.\n  ${errors.join('\n  ')}\n${REMEDY}`);
}

/** The loaded addon (loaded once, on first import). */
export const native: NativeAddon = load();
