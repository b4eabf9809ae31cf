// address.ts — A (RFC 1035 §3.4.1) and AAAA (RFC 3596 §2.2) RDATA; AAAA text follows RFC 5952
// (lower case, longest zero run of ≥ 2 groups as `::`) with glibc's IPv4-mapped form, like ldns.
import { InvalidArgumentError } from '../../util/errors.js';

export interface ARdata { readonly type: 'A'; readonly address: string }
export interface AAAARdata { readonly type: 'AAAA'; readonly address: string }

export function decodeA(rd: Uint8Array): ARdata | null {
  if (rd.length !== 4) return null;
  return { type: 'A', address: `${rd[0]}.${rd[1]}.${rd[2]}.${rd[3]}` };
}

export function encodeA(r: ARdata): Uint8Array {
  const parts = r.address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new InvalidArgumentError(`not an IPv4 address: ${r.address}`);
  }
  return Uint8Array.from(parts.map(Number));
}

/** Formats 16 bytes as RFC 5952 text. */
export function ipv6ToText(rd: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push(((rd[i] ?? 0) << 8) | (rd[i + 1] ?? 0));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  // glibc inet_ntop prints ::ffff:a.b.c.d and ::a.b.c.d (compat) with a dotted tail.
  if (bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
    const v4 = `${rd[12]}.${rd[13]}.${rd[14]}.${rd[15]}`;
    return bestLen === 6 ? `::${v4}` : `::ffff:${v4}`;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length > 0 && !s.endsWith(':')) s += ':';
    s += (w[i] ?? 0).toString(16);
  }
  return s;
}

/** Parses IPv6 text (with `::` and an optional dotted IPv4 tail) into 16 bytes. */
export function ipv6FromText(text: string): Uint8Array {
  const bad = (): never => {
    throw new InvalidArgumentError(`not an IPv6 address: ${text}`);
  };
  let s = text;
  const tail: number[] = [];
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4 !== null) {
    const b = v4.slice(1).map(Number);
    if (b.some((x) => x > 255)) bad();
    tail.push(((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0));
    s = s.slice(0, v4.index);
    if (!s.endsWith(':')) bad();
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) bad();
  const parse = (h: string): number[] => (h === '' ? [] : h.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : bad())));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const total = head.length + rest.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) bad();
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...rest, ...tail];
  const out = new Uint8Array(16);
  words.forEach((x, i) => {
    out[i * 2] = x >> 8;
    out[i * 2 + 1] = x & 0xff;
  });
  return out;
}

export function decodeAAAA(rd: Uint8Array): AAAARdata | null {
  if (rd.length !== 16) return null;
  return { type: 'AAAA', address: ipv6ToText(rd) };
}

export function encodeAAAA(r: AAAARdata): Uint8Array {
  return ipv6FromText(r.address);
}
