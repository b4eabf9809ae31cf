// anchor-files.ts — trust-anchor inputs: zone-file DS/DNSKEY text (Debian's root.ds / root.key,
// Unbound's root.key; RRs parsed by ldns through rrFromText, directives and comments here) and
// IANA's root-anchors.xml (RFC 7958 §2, with the optional PublicKey/Flags of RFC 9718) through a
// small strict XML reader. Faults throw AnchorFileError naming the source and line: a broken
// anchor file must stop startup, never leave the resolver silently without anchors.
import { rrFromText } from '../native/text.js';
import { fromHex } from '../util/bytes.js';
import { AdbitError } from '../util/errors.js';
import { Name } from '../wire/name.js';
import { decodeDNSKEY, keyTag, type DNSKEYRdata } from '../wire/rdata/dnskey.js';
import { decodeDS, type DSRdata } from '../wire/rdata/ds.js';

/** An anchor file (zone-file text or RFC 7958 XML) is malformed. */
export class AnchorFileError extends AdbitError {
  constructor(source: string, message: string, options?: { cause?: unknown }) {
    super('ADBIT_ERR_ANCHOR_FILE', `trust-anchor file ${source}: ${message}`, options);
  }
}

/** One configured anchor. `source` says where it came from (file name, "builtin"). */
export type TrustAnchor =
  | { readonly type: 'DS'; readonly owner: Name; readonly ds: DSRdata; readonly source: string }
  | { readonly type: 'DNSKEY'; readonly owner: Name; readonly dnskey: DNSKEYRdata; readonly rdata: Uint8Array; readonly keyTag: number; readonly source: string };

const TYPE_DS = 43;
const TYPE_DNSKEY = 48;
const CLASS_IN = 1;

/** Decodes one wire RR from rrFromText into an anchor, or explains why it is not one. */
function anchorFromWire(rr: Uint8Array, source: string): TrustAnchor | string {
  const n = Name.fromWire(rr, 0);
  if (n === null) return 'bad owner name';
  const p = n.end;
  if (p + 10 > rr.length) return 'truncated RR';
  const type = ((rr[p] ?? 0) << 8) | (rr[p + 1] ?? 0);
  const klass = ((rr[p + 2] ?? 0) << 8) | (rr[p + 3] ?? 0);
  const rdlen = ((rr[p + 8] ?? 0) << 8) | (rr[p + 9] ?? 0);
  const rdata = rr.subarray(p + 10, p + 10 + rdlen);
  if (klass !== CLASS_IN) return `class ${klass} is not IN`;
  const owner = n.name.lower();
  if (type === TYPE_DS) {
    const ds = decodeDS('DS', rdata);
    return ds === null ? 'malformed DS RDATA' : { type: 'DS', owner, ds, source };
  }
  if (type === TYPE_DNSKEY) {
    const dnskey = decodeDNSKEY('DNSKEY', rdata);
    if (dnskey === null || dnskey.protocol !== 3) return 'malformed DNSKEY RDATA (protocol must be 3)';
    const copy = Uint8Array.from(rdata);
    return { type: 'DNSKEY', owner, dnskey, rdata: copy, keyTag: keyTag(copy), source };
  }
  return `type ${type} is neither DS nor DNSKEY`;
}

/** Strips a `;` comment outside quotes and counts parentheses, as RFC 1035 §5.1 text needs. */
function stripComment(line: string): { text: string; depth: number } {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && c === ';') return { text: line.slice(0, i), depth };
  }
  return { text: line, depth };
}

/**
 * Parses zone-file text holding DS and/or DNSKEY records (any owner). Handles comments, blank
 * lines, parentheses spanning lines, `$ORIGIN` and `$TTL`; refuses `$INCLUDE` (an anchor file
 * must be self-contained). Each RR goes through ldns (rrFromText).
 */
export function parseAnchorZoneText(text: string, source: string): TrustAnchor[] {
  const out: TrustAnchor[] = [];
  let origin = '';
  let ttl = 0;
  let lastOwner = '';
  let pending = '';
  let depth = 0;
  let startLine = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const { text: t, depth: d } = stripComment(lines[i] ?? '');
    if (pending === '') startLine = i + 1;
    pending = pending === '' ? t : `${pending} ${t}`;
    depth += d;
    if (depth > 0) continue;
    if (depth < 0) throw new AnchorFileError(source, `line ${startLine}: unbalanced ')'`);
    const entry = pending;
    pending = '';
    if (entry.trim() === '') continue;
    const words = entry.trim().split(/\s+/);
    const head = (words[0] ?? '').toUpperCase();
    if (head === '$ORIGIN') {
      origin = words[1] ?? '';
      if (!origin.endsWith('.')) throw new AnchorFileError(source, `line ${startLine}: $ORIGIN must be absolute`);
      continue;
    }
    if (head === '$TTL') {
      ttl = Number(words[1]);
      if (!Number.isInteger(ttl) || ttl < 0) throw new AnchorFileError(source, `line ${startLine}: bad $TTL`);
      continue;
    }
    if (head.startsWith('$')) throw new AnchorFileError(source, `line ${startLine}: directive ${words[0]} not allowed here`);
    // A line starting with blank space continues the previous owner (RFC 1035 §5.1).
    const rrText = /^\s/.test(entry) ? `${lastOwner} ${entry.trim()}` : entry.trim();
    if (!/^\s/.test(entry)) lastOwner = words[0] ?? '';
    const r = rrFromText(rrText, origin, ttl);
    if (!r.ok) throw new AnchorFileError(source, `line ${startLine}: ${r.error}`);
    const a = anchorFromWire(r.rr, source);
    if (typeof a === 'string') throw new AnchorFileError(source, `line ${startLine}: ${a}`);
    out.push(a);
  }
  if (pending.trim() !== '' || depth !== 0) throw new AnchorFileError(source, `line ${startLine}: unterminated '('`);
  return out;
}

/** One element of the tiny XML tree (no namespaces, no mixed content, no DTD). */
interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string, fail: (m: string) => never): string {
  return s.replace(/&([^;]*);/g, (_m, e: string) => {
    if (ENTITIES[e] !== undefined) return ENTITIES[e];
    const num = /^#(\d+)$/.exec(e) ?? /^#x([0-9a-fA-F]+)$/.exec(e);
    if (num?.[1] !== undefined) return String.fromCodePoint(parseInt(num[1], e.startsWith('#x') ? 16 : 10));
    return fail(`unknown entity &${e};`);
  });
}

/**
 * A strict reader for the RFC 7958 subset of XML: prolog, comments, elements, attributes, text
 * with the five predefined entities. DOCTYPE/ENTITY/CDATA are refused (no entity expansion
 * tricks). No dependency: the format is tiny and fixed, and a general parser adds attack surface.
 */
function parseXml(text: string, source: string): XmlElement {
  const fail = (m: string): never => {
    throw new AnchorFileError(source, m);
  };
  const s = text.replace(/^\uFEFF/, '');
  let i = 0;
  const skipMisc = (): void => {
    for (;;) {
      const ws = /^\s*/.exec(s.slice(i));
      i += ws?.[0].length ?? 0;
      if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else return;
    }
  };
  if (s.startsWith('<?xml', i)) {
    const end = s.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipMisc();
  const OPEN = /<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const ATTR = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
  const readElement = (): XmlElement => {
    if (s.startsWith('<!', i) || s.startsWith('<?', i)) fail(`markup not allowed at offset ${i}`);
    OPEN.lastIndex = i;
    const m = OPEN.exec(s);
    if (m === null) return fail(`expected an element at offset ${i}`);
    i = OPEN.lastIndex;
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(ATTR)) {
      const key = a[1] ?? '';
      if (key in attrs) fail(`duplicate attribute ${key}`);
      attrs[key] = decodeEntities(a[2] ?? a[3] ?? '', fail);
    }
    const el: XmlElement = { name: m[1] ?? '', attrs, children: [], text: '' };
    if (m[3] === '/') return el;
    let raw = '';
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) fail(`unterminated element <${el.name}>`);
      raw += s.slice(i, lt);
      i = lt;
      if (s.startsWith('<!--', i)) {
        skipMisc();
      } else if (s.startsWith('</', i)) {
        const close = new RegExp(`</${el.name}\\s*>`, 'y');
        close.lastIndex = i;
        if (!close.test(s)) fail(`mismatched closing tag for <${el.name}> at offset ${i}`);
        i = close.lastIndex;
        break;
      } else {
        el.children.push(readElement());
      }
    }
    if (el.children.length > 0 && raw.trim() !== '') fail(`<${el.name}> mixes text and elements`);
    el.text = decodeEntities(raw, fail).trim();
    return el;
  };
  const root = readElement();
  skipMisc();
  if (i !== s.length) fail(`content after the root element at offset ${i}`);
  return root;
}

/** One RFC 7958 §2.3 KeyDigest. Times are Unix seconds; validUntilSec null = open-ended. */
export interface KeyDigest {
  readonly id: string;
  readonly validFromSec: number;
  readonly validUntilSec: number | null;
  readonly keyTag: number;
  readonly algorithm: number;
  readonly digestType: number;
  readonly digest: Uint8Array;
}

/** A parsed root-anchors.xml (RFC 7958 §2). */
export interface TrustAnchorXml {
  readonly id: string;
  readonly zone: Name;
  readonly digests: readonly KeyDigest[];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses root-anchors.xml text strictly (unknown elements are errors, except RFC 9718 PublicKey/Flags). */
export function parseRootAnchorsXml(text: string, source: string): TrustAnchorXml {
  const fail = (m: string): never => {
    throw new AnchorFileError(source, m);
  };
  const root = parseXml(text, source);
  if (root.name !== 'TrustAnchor') fail(`root element is <${root.name}>, expected <TrustAnchor>`);
  const zones = root.children.filter((c) => c.name === 'Zone');
  if (zones.length !== 1) fail('exactly one <Zone> required');
  let zone = Name.ROOT;
  try {
    zone = Name.fromText(zones[0]?.text ?? '').lower();
  } catch (cause) {
    throw new AnchorFileError(source, `bad <Zone> ${JSON.stringify(zones[0]?.text)}`, { cause });
  }
  const time = (v: string | undefined, what: string): number => {
    if (v === undefined || !DATE_TIME.test(v)) return fail(`${what} ${JSON.stringify(v)} is not an xsd:dateTime with a time zone`);
    return Math.floor(Date.parse(v) / 1000);
  };
  const num = (el: XmlElement, tag: string, max: number): number => {
    const c = el.children.filter((x) => x.name === tag);
    if (c.length !== 1 || !/^\d+$/.test(c[0]?.text ?? '')) return fail(`KeyDigest ${el.attrs['id'] ?? '?'}: one numeric <${tag}> required`);
    const v = Number(c[0]?.text);
    return v <= max ? v : fail(`KeyDigest ${el.attrs['id'] ?? '?'}: <${tag}> above ${max}`);
  };
  const digests: KeyDigest[] = [];
  for (const c of root.children) {
    if (c.name === 'Zone') continue;
    if (c.name !== 'KeyDigest') fail(`unexpected <${c.name}> in <TrustAnchor>`);
    for (const k of c.children) {
      if (!['KeyTag', 'Algorithm', 'DigestType', 'Digest', 'PublicKey', 'Flags'].includes(k.name)) fail(`unexpected <${k.name}> in <KeyDigest>`);
    }
    const dig = c.children.filter((x) => x.name === 'Digest');
    if (dig.length !== 1 || !/^[0-9a-fA-F]+$/.test(dig[0]?.text ?? '')) fail(`KeyDigest ${c.attrs['id'] ?? '?'}: one hex <Digest> required`);
    const validUntil = c.attrs['validUntil'];
    digests.push({
      id: c.attrs['id'] ?? '', validFromSec: time(c.attrs['validFrom'], 'validFrom'),
      validUntilSec: validUntil === undefined ? null : time(validUntil, 'validUntil'),
      keyTag: num(c, 'KeyTag', 0xffff), algorithm: num(c, 'Algorithm', 255), digestType: num(c, 'DigestType', 255),
      digest: fromHex(dig[0]?.text ?? ''),
    });
  }
  if (digests.length === 0) fail('no <KeyDigest>');
  return { id: root.attrs['id'] ?? '', zone, digests };
}

/** DS anchors from an RFC 7958 document that are in force at `nowSec` (validFrom ≤ now < validUntil). */
export function anchorsFromXml(doc: TrustAnchorXml, nowSec: number, source: string): TrustAnchor[] {
  return doc.digests
    .filter((d) => d.validFromSec <= nowSec && (d.validUntilSec === null || nowSec < d.validUntilSec))
    .map((d) => ({ type: 'DS', owner: doc.zone, source, ds: { type: 'DS', keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType, digest: d.digest } }));
}
