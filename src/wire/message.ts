// message.ts — Message: a decoded DNS message (RFC 1035 §4.1) as header fields plus lazy views over
// the native record table. Names and RDATA are materialised only when read; RDATA is decoded only
// on decode(). The OPT pseudo-RR (RFC 6891 §6.1) is lifted out of the additional section into `edns`.
// Names, `rdata` and the byte fields of decoded RDATA are views into the parse blob (no copies):
// keep them as long as you like, but copy (`.slice()`) before mutating.
import * as abi from '../native/abi.js';
import { type ParseResult, type ParseStatus, parseMessage } from '../native/parse.js';
import { type Edns, decodeEdns } from './edns.js';
import { Name } from './name.js';
import { type Rdata, decodeRdata, encodeRdata, rdataType } from './rdata/codec.js';

/** One question entry (RFC 1035 §4.1.2). */
export interface Question { readonly name: Name; readonly type: number; readonly class: number }

/** One resource record (RFC 1035 §4.1.3); `rdata` is uncompressed wire RDATA. */
export interface ResourceRecord {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly rdata: Uint8Array;
  /** Typed RDATA (decoded on first call, then cached). */
  decode(): Rdata;
}

/** A record built in TypeScript (for the encoder, tests, caches). */
export class RecordValue implements ResourceRecord {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly rdata: Uint8Array;
  #decoded: Rdata | undefined;

  constructor(name: Name, type: number, cls: number, ttl: number, rdata: Uint8Array) {
    this.name = name;
    this.type = type;
    this.class = cls;
    this.ttl = ttl;
    this.rdata = rdata;
  }

  /** A record from typed RDATA (type taken from the RDATA). */
  static of(name: Name, ttl: number, rd: Rdata, cls = 1): RecordValue {
    // decode() re-reads the bytes, so it returns the canonical form (e.g. RFC 5952 AAAA text).
    return new RecordValue(name, rdataType(rd), cls, ttl, encodeRdata(rd));
  }

  decode(): Rdata {
    return (this.#decoded ??= decodeRdata(this.type, this.rdata));
  }
}

/** A record view over one row of the native table; fields are read on demand. */
class TableRecord implements ResourceRecord {
  readonly #table: Uint32Array;
  readonly #data: Uint8Array;
  readonly #base: number;
  #name: Name | undefined;
  #decoded: Rdata | undefined;

  constructor(table: Uint32Array, data: Uint8Array, row: number) {
    this.#table = table;
    this.#data = data;
    this.#base = abi.HDR_WORDS + row * abi.RR_STRIDE;
  }

  get name(): Name {
    if (this.#name === undefined) {
      const off = this.#table[this.#base + abi.COL_OWNER_OFF] ?? 0;
      const len = this.#table[this.#base + abi.COL_OWNER_LEN] ?? 0;
      this.#name = Name.fromWireUnchecked(this.#data.subarray(off, off + len));
    }
    return this.#name;
  }

  get type(): number {
    return (this.#table[this.#base + abi.COL_SECTION_TYPE] ?? 0) & 0xffff;
  }

  get class(): number {
    return this.#table[this.#base + abi.COL_CLASS] ?? 0;
  }

  get ttl(): number {
    return this.#table[this.#base + abi.COL_TTL] ?? 0;
  }

  get rdata(): Uint8Array {
    const off = this.#table[this.#base + abi.COL_RDATA_OFF] ?? 0;
    const len = this.#table[this.#base + abi.COL_RDATA_LEN] ?? 0;
    return this.#data.subarray(off, off + len);
  }

  decode(): Rdata {
    return (this.#decoded ??= decodeRdata(this.type, this.rdata));
  }
}

export type MessageResult =
  | { ok: true; message: Message }
  | { ok: false; status: ParseStatus; offset: number; reason: string };

const EMPTY: readonly ResourceRecord[] = [];

type Sections = [readonly Question[], readonly ResourceRecord[], readonly ResourceRecord[], readonly ResourceRecord[]];

/** A decoded message. Header flags are booleans; `rcode` includes the OPT extended bits. */
export class Message {
  readonly wire: Uint8Array;
  readonly id: number;
  /** The raw 16-bit flags word. */
  readonly flags: number;
  readonly edns: Edns | undefined;
  readonly #table: Uint32Array;
  readonly #data: Uint8Array;
  #sections: Sections | undefined;

  private constructor(table: Uint32Array, data: Uint8Array, wire: Uint8Array, edns: Edns | undefined) {
    this.#table = table;
    this.#data = data;
    this.wire = wire;
    this.id = table[abi.HDR_ID] ?? 0;
    this.flags = table[abi.HDR_FLAGS] ?? 0;
    this.edns = edns;
  }

  /** Parses wire bytes; malformed input is a value, never an exception. */
  static fromWire(wire: Uint8Array): MessageResult {
    return Message.fromParsed(parseMessage(wire));
  }

  /** Builds a Message over an existing parse result (table + data). */
  static fromParsed(p: ParseResult): MessageResult {
    if (!p.ok) return p;
    const optRow = p.table[abi.HDR_OPT_ROW] ?? abi.NO_ROW;
    let edns: Edns | undefined;
    if (optRow !== abi.NO_ROW) {
      const base = abi.HDR_WORDS + optRow * abi.RR_STRIDE;
      const off = p.table[base + abi.COL_RDATA_OFF] ?? 0;
      const len = p.table[base + abi.COL_RDATA_LEN] ?? 0;
      const e = decodeEdns(p.table[base + abi.COL_CLASS] ?? 0, p.table[base + abi.COL_TTL] ?? 0, p.data.subarray(off, off + len));
      if (e === null) {
        return { ok: false, status: 'BAD_OPT', offset: p.table[base + abi.COL_WIRE_OFF] ?? 0, reason: 'OPT options overrun the RDATA (RFC 6891 §6.1.2)' };
      }
      edns = e;
    }
    return { ok: true, message: new Message(p.table, p.data, p.wire, edns) };
  }

  get qr(): boolean { return (this.flags & 0x8000) !== 0; }
  get opcode(): number { return (this.flags >> 11) & 0xf; }
  get aa(): boolean { return (this.flags & 0x0400) !== 0; }
  get tc(): boolean { return (this.flags & 0x0200) !== 0; }
  get rd(): boolean { return (this.flags & 0x0100) !== 0; }
  get ra(): boolean { return (this.flags & 0x0080) !== 0; }
  get z(): boolean { return (this.flags & 0x0040) !== 0; }
  get ad(): boolean { return (this.flags & 0x0020) !== 0; }
  get cd(): boolean { return (this.flags & 0x0010) !== 0; }
  /** Full RCODE: header 4 bits plus the OPT EXTENDED-RCODE as the upper 8 (RFC 6891 §6.1.3). */
  get rcode(): number { return (this.flags & 0xf) | ((this.edns?.extendedRcode ?? 0) << 4); }

  #build(): Sections {
    if (this.#sections !== undefined) return this.#sections;
    const t = this.#table;
    const rows = t[abi.HDR_ROWS] ?? 0;
    const optRow = t[abi.HDR_OPT_ROW] ?? abi.NO_ROW;
    const q: Question[] = [];
    const s: ResourceRecord[][] = [[], [], []];
    for (let row = 0; row < rows; row++) {
      if (row === optRow) continue;
      const base = abi.HDR_WORDS + row * abi.RR_STRIDE;
      const section = (t[base + abi.COL_SECTION_TYPE] ?? 0) >>> 16;
      if (section === abi.SECTION_QUESTION) {
        const off = t[base + abi.COL_OWNER_OFF] ?? 0;
        const name = Name.fromWireUnchecked(this.#data.subarray(off, off + (t[base + abi.COL_OWNER_LEN] ?? 0)));
        q.push({ name, type: (t[base + abi.COL_SECTION_TYPE] ?? 0) & 0xffff, class: t[base + abi.COL_CLASS] ?? 0 });
      } else {
        s[section - 1]?.push(new TableRecord(t, this.#data, row));
      }
    }
    this.#sections = [q, s[0] ?? EMPTY, s[1] ?? EMPTY, s[2] ?? EMPTY];
    return this.#sections;
  }

  get question(): readonly Question[] { return this.#build()[0]; }
  get answer(): readonly ResourceRecord[] { return this.#build()[1]; }
  get authority(): readonly ResourceRecord[] { return this.#build()[2]; }
  /** Additional section without the OPT pseudo-RR (see `edns`). */
  get additional(): readonly ResourceRecord[] { return this.#build()[3]; }
}
