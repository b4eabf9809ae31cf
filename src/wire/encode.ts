// encode.ts — MessageBuilder: queries and responses to wire (RFC 1035 §4.1) with name compression
// (§4.1.4: owners always; RDATA names only for the RFC 1035 types, RFC 3597 §4) and a size limit
// that keeps whole RRsets (RFC 2181 §9): additional RRsets are dropped silently, a dropped answer
// or authority RRset sets TC. OPT is always written last when EDNS is on (RFC 6891 §7).
import { InvalidArgumentError } from '../util/errors.js';
import { EdnsOption, RRClass, RRType } from './constants.js';
import { type EdnsParams, encodeEdns, encodeOptRdata, paddingLength, PADDING_BLOCK_QUERY } from './edns.js';
import type { Message, ResourceRecord } from './message.js';
import { Name } from './name.js';
import { type RRset, groupRRsets, rrsetRecords } from './rrset.js';
import { WireWriter } from './wire-writer.js';

/** Header fields a builder sets; `rcode` may be 12 bits when EDNS is on. */
export interface HeaderInit {
  readonly id?: number;
  readonly qr?: boolean;
  readonly opcode?: number;
  readonly aa?: boolean;
  readonly tc?: boolean;
  readonly rd?: boolean;
  readonly ra?: boolean;
  readonly ad?: boolean;
  readonly cd?: boolean;
  readonly rcode?: number;
}

/** EDNS parameters plus the RFC 7830 padding block length (0 or absent: no padding). */
export interface BuilderEdns extends Omit<EdnsParams, 'rcode'> {
  readonly paddingBlock?: number;
}

export interface BuildOptions {
  /** Maximum message size in octets (UDP payload limit); default 65535. Header, question and OPT are always written, even if they alone exceed it. */
  readonly maxSize?: number;
  /** Name compression (default true). */
  readonly compress?: boolean;
}

export interface BuildResult {
  readonly wire: Uint8Array;
  /** True when an answer/authority RRset did not fit (TC is set). */
  readonly truncated: boolean;
  /** RRsets left out (any section). */
  readonly droppedRRsets: number;
}

type Unit = readonly ResourceRecord[];

function toUnits(items: readonly (ResourceRecord | RRset)[]): Unit[] {
  const units: Unit[] = [];
  const loose: ResourceRecord[] = [];
  for (const it of items) {
    if ('records' in it) units.push(rrsetRecords(it));
    else loose.push(it);
  }
  for (const set of groupRRsets(loose)) units.push(rrsetRecords(set));
  return units;
}

/** Builds one DNS message. Records are written by RRset (a set's RRSIGs follow it). */
export class MessageBuilder {
  readonly #header: HeaderInit;
  readonly #questions: { name: Name; type: number; class: number }[] = [];
  readonly #sections: [Unit[], Unit[], Unit[]] = [[], [], []];
  #edns: BuilderEdns | undefined;

  constructor(header: HeaderInit = {}) {
    this.#header = header;
  }

  question(name: Name, type: number, cls: number = RRClass.IN): this {
    this.#questions.push({ name, type, class: cls });
    return this;
  }

  /** Adds records (grouped into RRsets) or ready RRsets to the answer section. */
  answer(items: readonly (ResourceRecord | RRset)[]): this {
    this.#sections[0].push(...toUnits(items));
    return this;
  }

  authority(items: readonly (ResourceRecord | RRset)[]): this {
    this.#sections[1].push(...toUnits(items));
    return this;
  }

  /** Additional records; never pass OPT here (use edns()). */
  additional(items: readonly (ResourceRecord | RRset)[]): this {
    if (items.some((r) => !('records' in r) && r.type === RRType.OPT)) throw new InvalidArgumentError('use MessageBuilder.edns() for OPT');
    this.#sections[2].push(...toUnits(items));
    return this;
  }

  /** Turns EDNS on with these parameters. */
  edns(params: BuilderEdns = {}): this {
    this.#edns = params;
    return this;
  }

  /** A builder holding everything in `m` (header, sections by RRset, EDNS with its raw options). */
  static fromMessage(m: Message): MessageBuilder {
    const b = new MessageBuilder({
      id: m.id, qr: m.qr, opcode: m.opcode, aa: m.aa, tc: m.tc, rd: m.rd, ra: m.ra, ad: m.ad, cd: m.cd, rcode: m.rcode,
    });
    for (const q of m.question) b.question(q.name, q.type, q.class);
    b.answer(m.answer).authority(m.authority).additional(m.additional);
    if (m.edns !== undefined) {
      b.edns({ udpSize: m.edns.udpSize, version: m.edns.version, dnssecOk: m.edns.dnssecOk, options: m.edns.options });
    }
    return b;
  }

  /** Encodes the message, truncating to `maxSize` by whole RRsets. */
  build(opts: BuildOptions = {}): BuildResult {
    const h = this.#header;
    const rcode = h.rcode ?? 0;
    if (rcode > 15 && this.#edns === undefined) throw new InvalidArgumentError(`RCODE ${rcode} needs EDNS (RFC 6891 §6.1.3)`);
    const maxSize = Math.min(opts.maxSize ?? 65535, 65535);
    // Upper bound of the uncompressed size, so the buffer never grows while writing.
    let bound = 12 + 11 + 64;
    for (const q of this.#questions) bound += q.name.wire.length + 4;
    for (const sec of this.#sections) for (const unit of sec) for (const r of unit) bound += r.name.wire.length + 10 + r.rdata.length;
    const w = new WireWriter(opts.compress ?? true, Math.min(bound, 65535 + 512));
    w.ensure(12);
    w.len = 12;
    const scratch: number[] = [];
    for (const q of this.#questions) {
      w.name(q.name, true, scratch);
      w.u16(q.type);
      w.u16(q.class);
    }
    let optRdata: Uint8Array | undefined;
    let opt: ReturnType<typeof encodeEdns> | undefined;
    if (this.#edns !== undefined) {
      opt = encodeEdns({ ...this.#edns, rcode });
      optRdata = encodeOptRdata(opt.options);
    }
    const optSize = optRdata === undefined ? 0 : 11 + optRdata.length;
    const limit = maxSize - optSize;
    const counts = [0, 0, 0];
    let truncated = false;
    let dropped = 0;
    for (let s = 0; s < 3; s++) {
      for (const unit of this.#sections[s] ?? []) {
        if (truncated) {
          dropped++;
          continue;
        }
        const start = w.len;
        const added: number[] = [];
        for (const r of unit) w.record(r, added);
        if (w.len > limit) {
          w.rollback(start, added);
          dropped++;
          // RFC 2181 §9: missing answer/authority data sets TC; additional data may just be left out.
          if (s < 2) truncated = true;
          continue;
        }
        counts[s]! += unit.length;
      }
    }
    if (opt !== undefined && optRdata !== undefined) {
      const block = this.#edns?.paddingBlock ?? 0;
      if (block > 0) {
        let pad = paddingLength(w.len + optSize, block);
        if (w.len + optSize + 4 + pad > maxSize) pad = Math.max(-1, maxSize - w.len - optSize - 4);
        if (pad >= 0) optRdata = encodeOptRdata([...opt.options, { code: EdnsOption.PADDING, data: new Uint8Array(pad) }]);
      }
      w.bytes(Name.ROOT.wire);
      w.u16(RRType.OPT);
      w.u16(opt.classField);
      w.u32(opt.ttlField);
      w.u16(optRdata.length);
      w.bytes(optRdata);
    }
    const flags = (h.qr === true ? 0x8000 : 0) | (((h.opcode ?? 0) & 0xf) << 11) | (h.aa === true ? 0x0400 : 0) |
      (h.tc === true || truncated ? 0x0200 : 0) | (h.rd === true ? 0x0100 : 0) | (h.ra === true ? 0x0080 : 0) |
      (h.ad === true ? 0x0020 : 0) | (h.cd === true ? 0x0010 : 0) | (rcode & 0xf);
    const head = [h.id ?? 0, flags, this.#questions.length, counts[0] ?? 0, counts[1] ?? 0, (counts[2] ?? 0) + (opt !== undefined ? 1 : 0)];
    head.forEach((v, i) => {
      w.buf[i * 2] = (v >>> 8) & 0xff;
      w.buf[i * 2 + 1] = v & 0xff;
    });
    return { wire: w.buf.slice(0, w.len), truncated, droppedRRsets: dropped };
  }

  /** build(opts).wire */
  toWire(opts: BuildOptions = {}): Uint8Array {
    return this.build(opts).wire;
  }
}

/** Parameters of a standard query. EDNS is on unless `edns: false`. */
export interface QueryParams {
  readonly id: number;
  readonly name: Name;
  readonly type: number;
  readonly class?: number;
  readonly rd?: boolean;
  readonly cd?: boolean;
  readonly ad?: boolean;
  readonly edns?: boolean;
  readonly dnssecOk?: boolean;
  readonly udpSize?: number;
  readonly cookie?: { readonly client: Uint8Array; readonly server?: Uint8Array };
  /** true: pad to 128-octet blocks (RFC 8467 §4.1); a number: that block length. */
  readonly padding?: boolean | number;
}

/** Encodes a query with one question. */
export function buildQuery(p: QueryParams): Uint8Array {
  // The resolver sends one of these per upstream exchange: the plain shape (no cookie, no
  // padding) is written directly, byte for byte what MessageBuilder produces for it.
  if (p.cookie === undefined && (p.padding === undefined || p.padding === false)) return plainQuery(p);
  const b = new MessageBuilder({ id: p.id, rd: p.rd ?? false, cd: p.cd ?? false, ad: p.ad ?? false });
  b.question(p.name, p.type, p.class ?? RRClass.IN);
  if (p.edns !== false) {
    const paddingBlock = p.padding === true ? PADDING_BLOCK_QUERY : typeof p.padding === 'number' ? p.padding : 0;
    b.edns({
      ...(p.udpSize !== undefined ? { udpSize: p.udpSize } : {}),
      dnssecOk: p.dnssecOk ?? false,
      ...(p.cookie !== undefined ? { cookie: p.cookie } : {}),
      paddingBlock,
    });
  }
  return b.toWire();
}

/** Header, one question and (unless `edns: false`) an option-less OPT record (RFC 6891 §6.1.2). */
function plainQuery(p: QueryParams): Uint8Array {
  const name = p.name.wire;
  const edns = p.edns !== false;
  const out = new Uint8Array(12 + name.length + 4 + (edns ? 11 : 0));
  const flags = (p.rd === true ? 0x0100 : 0) | (p.ad === true ? 0x0020 : 0) | (p.cd === true ? 0x0010 : 0);
  out[0] = (p.id >>> 8) & 0xff;
  out[1] = p.id & 0xff;
  out[2] = flags >>> 8;
  out[3] = flags & 0xff;
  out[5] = 1; // QDCOUNT
  if (edns) out[11] = 1; // ARCOUNT
  out.set(name, 12);
  let at = 12 + name.length;
  const cls = p.class ?? RRClass.IN;
  out[at++] = (p.type >>> 8) & 0xff;
  out[at++] = p.type & 0xff;
  out[at++] = (cls >>> 8) & 0xff;
  out[at++] = cls & 0xff;
  if (edns) {
    const { classField, ttlField } = encodeEdns({ dnssecOk: p.dnssecOk ?? false, ...(p.udpSize === undefined ? {} : { udpSize: p.udpSize }) });
    at++; // owner: the root
    out[at++] = 0;
    out[at++] = RRType.OPT;
    out[at++] = (classField >>> 8) & 0xff;
    out[at++] = classField & 0xff;
    out[at++] = ttlField >>> 24;
    out[at++] = (ttlField >>> 16) & 0xff;
    out[at++] = (ttlField >>> 8) & 0xff;
    out[at++] = ttlField & 0xff;
    // RDLENGTH 0: no options
  }
  return out;
}
