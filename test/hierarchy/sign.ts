// Key generation (ldns-keygen / dnssec-keygen), DS computation (RFC 4034 §5.1.4, RFC 4509,
// RFC 6605 §2 digest 4) and zone signing (ldns-signzone / dnssec-signzone), plus the faults
// injected after signing for the bogus scenarios (RFC 4035 §5.3 rules they break).
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { ZoneSpec } from './zones.js';

const run = promisify(execFile);

export interface Dnskey {
  readonly flags: number;
  readonly alg: number;
  readonly keyB64: string;
  readonly tag: number;
  readonly base: string | null; // key file base (no extension) when a signer can use it
}

export interface ZoneKeys {
  readonly signWith: readonly Dnskey[]; // keys handed to the signer
  readonly publish: readonly Dnskey[]; // DNSKEYs written into the zone text
  readonly dsFor: readonly Dnskey[]; // keys the parent's DS set names
}

const ALG_NAME: Record<number, string> = {
  8: 'RSASHA256', 10: 'RSASHA512', 13: 'ECDSAP256SHA256', 14: 'ECDSAP384SHA384', 15: 'ED25519', 16: 'ED448',
};

/** RFC 4034 Appendix B key tag over the DNSKEY rdata. */
export function keyTag(rdata: Buffer): number {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? (rdata[i] ?? 0) : (rdata[i] ?? 0) << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

function nameWire(name: string): Buffer {
  const labels = name.toLowerCase().split('.').filter((l) => l !== '');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function dnskeyRdata(k: { flags: number; alg: number; keyB64: string }): Buffer {
  const head = Buffer.from([k.flags >> 8, k.flags & 0xff, 3, k.alg]);
  return Buffer.concat([head, Buffer.from(k.keyB64, 'base64')]);
}

export function makeDnskey(flags: number, alg: number, keyB64: string, base: string | null): Dnskey {
  return { flags, alg, keyB64, base, tag: keyTag(dnskeyRdata({ flags, alg, keyB64 })) };
}

function parseKeyFile(base: string): Dnskey {
  const line = readFileSync(`${base}.key`, 'utf8').split('\n').find((l) => /\sDNSKEY\s/.test(l) && !l.startsWith(';'));
  if (line === undefined) throw new Error(`no DNSKEY in ${base}.key`);
  const f = line.trim().split(/\s+/);
  const i = f.indexOf('DNSKEY');
  return makeDnskey(Number(f[i + 1]), Number(f[i + 3]), f.slice(i + 4).join(''), base);
}

async function keygen(zone: ZoneSpec, dir: string, ksk: boolean): Promise<Dnskey> {
  const alg = zone.alg ?? 13;
  const bits = alg === 8 || alg === 10 ? ['-b', '2048'] : [];
  const out = zone.signer === 'bind'
    ? await run('dnssec-keygen', ['-q', '-K', dir, '-a', ALG_NAME[alg] ?? '', ...bits, ...(ksk ? ['-f', 'KSK'] : []), '-n', 'ZONE', zone.name])
    : await run('ldns-keygen', ['-a', ALG_NAME[alg] ?? '', ...bits, ...(ksk ? ['-k'] : []), zone.name], { cwd: dir });
  return parseKeyFile(join(dir, out.stdout.trim()));
}

/** KeyTrap (CVE-2023-50387) sizes: DNSKEYs sharing the ZSK's key tag, garbage RRSIGs per RRset. */
export const KEYTRAP_COLLIDING_KEYS = 40;
export const KEYTRAP_BAD_SIGS = 40;

/**
 * A zone-key DNSKEY of `alg` (13: 64 raw bytes, need not be a valid P-256 point) whose RFC 4034
 * Appendix B tag is `tag`: random bytes, then the last two (one 16-bit column of the checksum)
 * are searched until the tag matches.
 */
export function collidingKey(alg: number, tag: number): Dnskey {
  for (;;) {
    const key = randomBytes(64);
    for (let v = 0; v < 0x10000; v++) {
      key.writeUInt16BE(v, 62);
      const k = makeDnskey(256, alg, key.toString('base64'), null);
      if (k.tag === tag) return k;
    }
  }
}

/** Generates the zone's keys and decides which ones sign, are published and get a DS. */
export async function prepareKeys(zone: ZoneSpec, dir: string): Promise<ZoneKeys> {
  if (zone.fault === 'unknown-alg') {
    // Unassigned algorithm 100: a validator cannot use it, so the zone is insecure (RFC 4035 §5.2).
    const fake = createHash('sha512').update(zone.name).digest('base64');
    const k = makeDnskey(257, 100, fake, null);
    return { signWith: [], publish: [k], dsFor: [k] };
  }
  if (zone.signer === 'none') return { signWith: [], publish: [], dsFor: [] };
  const ksk = await keygen(zone, dir, true);
  if (zone.keys === 'csk') {
    const dsFor = zone.fault === 'ds-nomatch' ? [await keygen(zone, dir, true)] : [ksk];
    return { signWith: [ksk], publish: [ksk], dsFor };
  }
  const zsk = await keygen(zone, dir, false);
  if (zone.fault === 'keytrap') {
    const colliders = Array.from({ length: KEYTRAP_COLLIDING_KEYS }, () => collidingKey(zsk.alg, zsk.tag));
    // Published as plain DNSKEY records; the signer only gets the real KSK and ZSK.
    return { signWith: [ksk, zsk], publish: [ksk, zsk, ...colliders], dsFor: [ksk] };
  }
  if (zone.fault === 'dnskey-not-signed-by-ds-key') return { signWith: [zsk], publish: [ksk, zsk], dsFor: [ksk] };
  return { signWith: [ksk, zsk], publish: [ksk, zsk], dsFor: [ksk] };
}

export function dnskeyLine(owner: string, k: Dnskey): string {
  return `${owner} 3600 IN DNSKEY ${k.flags} 3 ${k.alg} ${k.keyB64}`;
}

/** The DS lines the parent publishes for this zone. */
export function dsLines(zone: ZoneSpec, keys: ZoneKeys): string[] {
  const out: string[] = [];
  for (const k of keys.dsFor) {
    for (const digest of zone.dsDigests ?? []) {
      if (zone.fault === 'unknown-digest') {
        // Digest type 200 is unassigned: the DS set is unusable, so the child is insecure.
        out.push(`${zone.name} 3600 IN DS ${k.tag} ${k.alg} 200 ${createHash('sha256').update(zone.name).digest('hex')}`);
        continue;
      }
      const h = createHash(digest === 4 ? 'sha384' : 'sha256');
      h.update(nameWire(zone.name)).update(dnskeyRdata(k));
      out.push(`${zone.name} 3600 IN DS ${k.tag} ${k.alg} ${digest} ${h.digest('hex')}`);
    }
  }
  return out;
}

export interface SigningWindow {
  readonly inception: Date;
  readonly expiration: Date;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Signs unsignedFile into outFile with the zone's signer, then applies its fault if any. */
export async function signZone(zone: ZoneSpec, keys: ZoneKeys, unsignedFile: string, outFile: string,
  w: SigningWindow): Promise<void> {
  if (zone.signer === 'none' || keys.signWith.length === 0) {
    writeFileSync(outFile, readFileSync(unsignedFile));
    return;
  }
  const bases = keys.signWith.map((k) => k.base ?? '');
  const nsec3 = zone.denial === 'nsec3' || zone.denial === 'nsec3-optout';
  const iters = String(zone.nsec3Iterations ?? 0);
  if (zone.signer === 'ldns') {
    const n3 = nsec3 ? ['-n', '-t', iters, '-s', zone.nsec3Salt ?? 'a1b2', ...(zone.denial === 'nsec3-optout' ? ['-p'] : [])] : [];
    await run('ldns-signzone', [...n3, '-i', stamp(w.inception), '-e', stamp(w.expiration), '-o', zone.name,
      '-f', outFile, unsignedFile, ...bases]);
  } else {
    const n3 = nsec3 ? ['-3', zone.nsec3Salt ?? '-', '-H', iters, ...(zone.denial === 'nsec3-optout' ? ['-A'] : [])] : [];
    const csk = zone.keys === 'csk' ? ['-z'] : [];
    // -d: dnssec-signzone writes a dsset-<zone> file; keep it in the build dir, not the cwd.
    await run('dnssec-signzone', ['-P', '-q', '-O', 'full', ...n3, ...csk, '-s', stamp(w.inception),
      '-e', stamp(w.expiration), '-d', dirname(outFile), '-o', zone.name, '-f', outFile, unsignedFile, ...bases]);
  }
  if (zone.fault === 'change-data' || zone.fault === 'strip-rrsig' || zone.fault === 'keytrap') {
    writeFileSync(outFile, applyFault(zone, readFileSync(outFile, 'utf8'), keys.signWith[1]?.tag ?? 0));
  }
}

/** Post-signing edits: the RRSIGs stay, the data under them changes or they vanish. */
function applyFault(zone: ZoneSpec, text: string, zskTag: number): string {
  const www = `www.${zone.name}`;
  const out: string[] = [];
  const flooded = new Set<string>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const [owner, , , type, ...rdata] = f;
    if (zone.fault === 'keytrap' && (owner === www || owner === `*.${zone.name}`) && type === 'RRSIG' && rdata[0] === 'A') {
      // Every real RRSIG over the A RRset is replaced by KEYTRAP_BAD_SIGS garbage ones carrying the
      // ZSK's tag (RFC 4035 §5.3.1 fields intact), so each must be tried against every colliding key.
      if (flooded.has(owner)) continue;
      flooded.add(owner);
      const head = [...f.slice(0, 4), ...rdata.slice(0, 6), String(zskTag), rdata[7] ?? zone.name];
      for (let i = 0; i < KEYTRAP_BAD_SIGS; i++) out.push([...head, randomBytes(64).toString('base64')].join(' '));
      continue;
    }
    if (zone.fault === 'strip-rrsig' && owner === www && type === 'RRSIG' && rdata[0] === 'A') continue;
    if (zone.fault === 'change-data' && owner === www && type === 'A') {
      out.push(line.replace('192.0.2.1', '192.0.2.66'));
      continue;
    }
    if (zone.fault === 'change-data' && owner === `_25._tcp.mx.${zone.name}` && type === 'TLSA') {
      const last = line.trimEnd();
      out.push(last.slice(0, -1) + (last.endsWith('0') ? '1' : '0'));
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}
