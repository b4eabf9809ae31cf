// parse.ts — typed wrapper over the native parseMessage: wire bytes → record table + data blob
// (layout in abi.ts/abi.h), or a status name with the input offset and a one-line reason.
// No DNS semantics here: src/wire/ builds Message objects on top. RFC 1035 §4.1, RFC 6891 §6.1.1.
import { InvalidArgumentError } from '../util/errors.js';
import * as abi from './abi.js';
import { native } from './binding.js';

/** Parse status names, indexed by the PARSE_* codes of abi.h. */
export const PARSE_STATUS_NAMES = [
  'OK',
  'TRUNCATED',
  'POINTER_FORWARD',
  'POINTER_LOOP',
  'BAD_LABEL_TYPE',
  'NAME_TOO_LONG',
  'RDATA_LENGTH',
  'TRAILING_DATA',
  'OVERSIZE',
  'TOO_MANY_RECORDS',
  'BAD_OPT',
  'BAD_RDATA',
] as const;

export type ParseStatusName = (typeof PARSE_STATUS_NAMES)[number];
/** Every failure status (OK is not a failure). */
export type ParseStatus = Exclude<ParseStatusName, 'OK'>;

/** One-line human reason per failure status. */
export const PARSE_REASONS: Readonly<Record<ParseStatus, string>> = {
  TRUNCATED: 'message ends before the header, a name, fixed fields or RDATA the counts promise',
  POINTER_FORWARD: 'compression pointer does not point strictly backwards (RFC 1035 §4.1.4)',
  POINTER_LOOP: `more than ${abi.MAX_POINTER_HOPS} compression pointer hops in one name`,
  BAD_LABEL_TYPE: 'label type 01 or 10 (extended labels are retired, RFC 6891 §5)',
  NAME_TOO_LONG: `expanded name longer than ${abi.MAX_NAME_WIRE} octets (RFC 1035 §3.1)`,
  RDATA_LENGTH: 'RDATA structure does not fill RDLENGTH exactly',
  TRAILING_DATA: 'bytes left after the last record the header counts',
  OVERSIZE: `message longer than ${abi.MAX_MESSAGE_BYTES} octets`,
  TOO_MANY_RECORDS: `header counts exceed ${abi.MAX_ROWS} records`,
  BAD_OPT: 'OPT outside the additional section, with a non-root owner, or twice (RFC 6891 §6.1.1)',
  BAD_RDATA: 'an RDATA field holds a value that cannot be (e.g. A with 5 octets)',
};

export type ParseResult =
  | { ok: true; table: Uint32Array; data: Uint8Array; wire: Uint8Array }
  | { ok: false; status: ParseStatus; offset: number; reason: string };

/** Name of a numeric PARSE_* code (undefined for a code this build does not know). */
export function parseStatusName(code: number): ParseStatusName | undefined {
  return PARSE_STATUS_NAMES[code];
}

const parseBuffer = native.parseMessageBuffer.bind(native);
const U32_SPAN = 4294967296;

/**
 * Parses one DNS message. Malformed input is a value ({ ok: false }), never an exception; only a
 * non-Uint8Array argument throws. `wire` in the result is the caller's input (not copied).
 * The native side returns one ArrayBuffer (table then data) and the views are made here, because
 * creating typed arrays and a result object through N-API cost more than the parse itself for
 * small messages. The row count comes from the header counts the native parse accepted.
 */
export function parseMessage(wire: Uint8Array): ParseResult {
  if (!(wire instanceof Uint8Array)) throw new InvalidArgumentError('parseMessage: wire must be a Uint8Array');
  const r = parseBuffer(wire);
  if (typeof r !== 'number') {
    // wire[4..11]: QDCOUNT ANCOUNT NSCOUNT ARCOUNT (RFC 1035 §4.1.1); the parse succeeded, so they exist.
    const rows = (((wire[4] ?? 0) << 8) | (wire[5] ?? 0)) + (((wire[6] ?? 0) << 8) | (wire[7] ?? 0)) +
      (((wire[8] ?? 0) << 8) | (wire[9] ?? 0)) + (((wire[10] ?? 0) << 8) | (wire[11] ?? 0));
    const words = abi.HDR_WORDS + rows * abi.RR_STRIDE;
    return { ok: true, table: new Uint32Array(r, 0, words), data: new Uint8Array(r, words * 4), wire };
  }
  const code = Math.floor(r / U32_SPAN);
  const name = parseStatusName(code);
  if (name === undefined || name === 'OK') {
    throw new InvalidArgumentError(`parseMessage: native returned unknown status ${code}`);
  }
  return { ok: false, status: name, offset: r % U32_SPAN, reason: PARSE_REASONS[name] };
}
