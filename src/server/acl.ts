// acl.ts — which clients adbit serve answers: loopback only by default (127.0.0.0/8, ::1), widened
// with `--allow CIDR` (IPv4, IPv6, IPv4-mapped IPv6 matched as IPv4). An ACL that covers every
// address is refused unless the operator says so explicitly: an open resolver is an amplification
// tool (RFC 5358 §4) and must never happen by accident.
import { isIPv4, isIPv6 } from 'node:net';
import { InvalidArgumentError } from '../util/errors.js';

/** One parsed network: family, address bytes and prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly prefix: number;
  readonly text: string;
}

export const DEFAULT_ALLOW: readonly string[] = ['127.0.0.0/8', '::1/128'];
/** Size of the per-address verdict memo (cleared when full). */
export const ACL_MEMO_ENTRIES = 4096;

function v4Bytes(s: string): Uint8Array {
  return Uint8Array.from(s.split('.').map(Number));
}

function v6Bytes(s: string): Uint8Array {
  let text = s;
  const out = new Uint8Array(16);
  // A trailing dotted quad (::ffff:1.2.3.4) becomes the last 4 bytes.
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: Uint8Array | undefined;
  if (m !== null) {
    tail = v4Bytes(m[2]!);
    text = m[1]! + '0:0';
  }
  const [head, rest] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const hs = head === '' ? [] : head.split(':');
  const rs = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? hs : [...hs, ...Array<string>(8 - hs.length - rs.length).fill('0'), ...rs];
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  if (tail !== undefined) out.set(tail, 12);
  return out;
}

/** Parses `ADDR/LEN` or a bare address (host route); throws InvalidArgumentError naming the input. */
export function parseCidr(text: string): Cidr {
  const [addr, len, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) throw new InvalidArgumentError(`bad CIDR "${text}"`);
  const family = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : 0;
  if (family === 0) throw new InvalidArgumentError(`bad CIDR "${text}": "${addr}" is not an IP address`);
  const max = family === 4 ? 32 : 128;
  const prefix = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= max)) throw new InvalidArgumentError(`bad CIDR "${text}": prefix must be 0..${max}`);
  const bytes = family === 4 ? v4Bytes(addr) : v6Bytes(addr);
  // An IPv4-mapped IPv6 network (::ffff:a.b.c.d/104+) is stored as the IPv4 network it means.
  if (family === 6 && prefix >= 96 && isMapped(bytes)) {
    return { family: 4, bytes: bytes.slice(12), prefix: prefix - 96, text };
  }
  return { family, bytes, prefix, text };
}

function isMapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

function matches(net: Cidr, bytes: Uint8Array): boolean {
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((net.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** True when the networks cover the whole IPv4 or IPv6 space (an open resolver). */
export function isOpen(nets: readonly Cidr[]): boolean {
  return nets.some((n) => n.prefix === 0);
}

/** A compiled allow list. */
export class Acl {
  readonly networks: readonly Cidr[];
  /** Verdicts by client address: an MTA host has few clients; bounded so a scan cannot grow it. */
  readonly #seen = new Map<string, boolean>();

  /** `allow` replaces the default (loopback) list; `openOk` must be true for a /0. */
  constructor(allow: readonly string[] = DEFAULT_ALLOW, openOk = false) {
    this.networks = allow.map(parseCidr);
    if (isOpen(this.networks) && !openOk) {
      const which = this.networks.filter((n) => n.prefix === 0).map((n) => n.text).join(', ');
      throw new InvalidArgumentError(`allow ${which} makes adbit an open resolver (RFC 5358); pass --i-know-this-is-an-open-resolver if that is really meant`);
    }
  }

  /** True when `address` (as node:net reports it; IPv4-mapped IPv6 included) may query. */
  allows(address: string): boolean {
    const known = this.#seen.get(address);
    if (known !== undefined) return known;
    const ok = this.#match(address);
    if (this.#seen.size >= ACL_MEMO_ENTRIES) this.#seen.clear();
    this.#seen.set(address, ok);
    return ok;
  }

  #match(address: string): boolean {
    let family: 4 | 6;
    let bytes: Uint8Array;
    const plain = address.includes('%') ? address.slice(0, address.indexOf('%')) : address;
    if (isIPv4(plain)) {
      family = 4;
      bytes = v4Bytes(plain);
    } else if (isIPv6(plain)) {
      bytes = v6Bytes(plain);
      family = 6;
      if (isMapped(bytes)) {
        family = 4;
        bytes = bytes.slice(12);
      }
    } else {
      return false;
    }
    return this.networks.some((n) => n.family === family && matches(n, bytes));
  }
}
