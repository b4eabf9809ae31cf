// abi.ts — TypeScript mirror of native/src/abi.h. Generated once by hand from the header and kept
// in parity by test/native/abi.test.ts (which compares every value with abiConstants()).
// See abi.h for the meaning of each layout and code.

export const ABI_VERSION = 2;
export const HDR_WORDS = 8;
export const HDR_ID = 0;
export const HDR_FLAGS = 1; // the 16-bit flags word: QR OPCODE AA TC RD RA Z AD CD RCODE
export const HDR_QDCOUNT = 2;
export const HDR_ANCOUNT = 3;
export const HDR_NSCOUNT = 4;
export const HDR_ARCOUNT = 5;
export const HDR_ROWS = 6; // number of rows that follow (= sum of the four counts)
export const HDR_OPT_ROW = 7; // row index of the OPT pseudo-RR, or NO_ROW
export const NO_ROW = 0xFFFFFFFF;
export const RR_STRIDE = 8;
export const COL_SECTION_TYPE = 0; // section << 16 | RR type
export const COL_CLASS = 1; // CLASS (OPT: requestor's UDP payload size)
export const COL_TTL = 2; // TTL as u32 (OPT: EXTENDED-RCODE | VERSION | DO | Z)
export const COL_OWNER_OFF = 3; // owner name in data, uncompressed wire form
export const COL_OWNER_LEN = 4;
export const COL_RDATA_OFF = 5; // RDATA in data, names expanded (0/0 for questions)
export const COL_RDATA_LEN = 6;
export const COL_WIRE_OFF = 7; // offset of the row's first byte in the input message
export const SECTION_QUESTION = 0;
export const SECTION_ANSWER = 1;
export const SECTION_AUTHORITY = 2;
export const SECTION_ADDITIONAL = 3;
export const MAX_MESSAGE_BYTES = 65535; // RFC 1035 §4.2.2: TCP length prefix is 16 bits
export const MAX_ROWS = 4096; // a 64 KiB message holds at most ~6,500 minimal RRs
export const MAX_POINTER_HOPS = 127; // more hops than labels in a 255-byte name: a loop
export const MAX_NAME_WIRE = 255; // RFC 1035 §3.1
export const MAX_LABEL = 63; // RFC 1035 §2.3.4
export const PARSE_OK = 0;
export const PARSE_TRUNCATED = 1; // ran past the end (header, name, fixed fields, RDATA)
export const PARSE_POINTER_FORWARD = 2; // compression pointer not strictly backwards (RFC 1035 §4.1.4)
export const PARSE_POINTER_LOOP = 3; // too many pointer hops
export const PARSE_BAD_LABEL_TYPE = 4; // label type 01 or 10 (RFC 6891 §5 retired extended labels)
export const PARSE_NAME_TOO_LONG = 5; // expanded name longer than 255 octets
export const PARSE_RDATA_LENGTH = 6; // RDATA structure does not fill RDLENGTH exactly
export const PARSE_TRAILING_DATA = 7; // bytes left after the last counted record
export const PARSE_OVERSIZE = 8; // message longer than MAX_MESSAGE_BYTES
export const PARSE_TOO_MANY_RECORDS = 9; // counts above MAX_ROWS
export const PARSE_BAD_OPT = 10; // OPT outside additional, non-root owner, or twice (RFC 6891 §6.1.1)
export const PARSE_BAD_RDATA = 11; // a field value that cannot be (e.g. A with 5 octets)
export const JOB_STRIDE = 8;
export const JOB_OP = 0;
export const JOB_ALG = 1; // DS digest type / NSEC3 hash algorithm; unused for VERIFY
export const JOB_A_OFF = 2;
export const JOB_A_LEN = 3;
export const JOB_B_OFF = 4;
export const JOB_B_LEN = 5;
export const JOB_OUT_OFF = 6;
export const JOB_EXTRA = 7; // VERIFY: group id (one per RRset); NSEC3: iterations
export const OP_VERIFY_RRSIG = 1;
export const OP_DS_DIGEST = 2;
export const OP_NSEC3_HASH = 3;
export const OP_KEY_TAG = 4;
export const VERIFY_ALLOW_REVOKED = 1; // JOB_ALG bit for VERIFY: accept a revoked key (RFC 5011 §2.1 self-signature only)
export const PARAM_WORDS = 4;
export const PARAM_NOW_SEC = 0; // 0 = do not check the validity window
export const PARAM_MAX_PER_GROUP = 1; // signature checks per RRset (group); 0 = no limit
export const PARAM_MAX_TOTAL = 2; // signature checks per batch; 0 = no limit
export const PARAM_MAX_NSEC3_ITER = 3; // NSEC3 iterations above this: ITERATIONS_EXCEEDED
export const ST_OK = 0;
export const ST_BAD_SIGNATURE = 1;
export const ST_SIG_EXPIRED = 2;
export const ST_SIG_NOT_YET_VALID = 3;
export const ST_EXPIRED_BEFORE_INCEPTION = 4;
export const ST_ALG_UNSUPPORTED = 5;
export const ST_ALG_MISMATCH = 6; // RRSIG algorithm != DNSKEY algorithm
export const ST_KEYTAG_MISMATCH = 7;
export const ST_KEY_INVALID = 8; // key bytes do not parse (or protocol != 3)
export const ST_KEY_NOT_ZONE_KEY = 9; // DNSKEY flags bit 7 clear (RFC 4034 §2.1.1)
export const ST_KEY_REVOKED = 10; // REVOKE bit set (RFC 5011 §3)
export const ST_LABELS_INVALID = 11; // RRSIG labels > owner labels (RFC 4035 §5.3.1)
export const ST_KEY_SIZE = 12; // RSA modulus outside the accepted range
export const ST_DIGEST_UNSUPPORTED = 13;
export const ST_MALFORMED = 14; // job bytes do not parse
export const ST_SKIPPED_BUDGET = 15; // not attempted: a budget in params ran out
export const ST_ITERATIONS_EXCEEDED = 16;
