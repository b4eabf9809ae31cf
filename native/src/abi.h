// abi.h — the contract between the native core and src/native/*.ts. Every constant here is
// mirrored in src/native/abi.ts and checked for parity by test/native/abi.test.ts through
// abiConstants(). Change ABI_VERSION whenever a layout or code changes meaning.
// Pure C++: no napi, no OpenSSL, no ldns.
#pragma once
#include <cstdint>

namespace adbit {
namespace abi {

constexpr uint32_t ABI_VERSION = 2;

// ---------------------------------------------------------------------------------------------
// parseMessage(wire) -> { status, errorOffset, table: Uint32Array, data: Uint8Array }
//
// table = HDR_WORDS header words, then one row of RR_STRIDE words per question and RR, in
// message order (questions, answer, authority, additional). data holds every owner name in
// uncompressed wire form and every RDATA with its embedded domain names expanded (RFC 3597 §4:
// only the well-known types of RFC 1035 and those listed in parse.cc may carry compressed names).
// ---------------------------------------------------------------------------------------------
constexpr uint32_t HDR_WORDS = 8;
constexpr uint32_t HDR_ID = 0;
constexpr uint32_t HDR_FLAGS = 1;      // the 16-bit flags word: QR OPCODE AA TC RD RA Z AD CD RCODE
constexpr uint32_t HDR_QDCOUNT = 2;
constexpr uint32_t HDR_ANCOUNT = 3;
constexpr uint32_t HDR_NSCOUNT = 4;
constexpr uint32_t HDR_ARCOUNT = 5;
constexpr uint32_t HDR_ROWS = 6;       // number of rows that follow (= sum of the four counts)
constexpr uint32_t HDR_OPT_ROW = 7;    // row index of the OPT pseudo-RR, or NO_ROW

constexpr uint32_t NO_ROW = 0xFFFFFFFFu;

constexpr uint32_t RR_STRIDE = 8;
constexpr uint32_t COL_SECTION_TYPE = 0; // section << 16 | RR type
constexpr uint32_t COL_CLASS = 1;        // CLASS (OPT: requestor's UDP payload size)
constexpr uint32_t COL_TTL = 2;          // TTL as u32 (OPT: EXTENDED-RCODE | VERSION | DO | Z)
constexpr uint32_t COL_OWNER_OFF = 3;    // owner name in data, uncompressed wire form
constexpr uint32_t COL_OWNER_LEN = 4;
constexpr uint32_t COL_RDATA_OFF = 5;    // RDATA in data, names expanded (0/0 for questions)
constexpr uint32_t COL_RDATA_LEN = 6;
constexpr uint32_t COL_WIRE_OFF = 7;     // offset of the row's first byte in the input message

constexpr uint32_t SECTION_QUESTION = 0;
constexpr uint32_t SECTION_ANSWER = 1;
constexpr uint32_t SECTION_AUTHORITY = 2;
constexpr uint32_t SECTION_ADDITIONAL = 3;

// Hard caps on hostile input (each one bounds the work of a single parse call).
constexpr uint32_t MAX_MESSAGE_BYTES = 65535;   // RFC 1035 §4.2.2: TCP length prefix is 16 bits
constexpr uint32_t MAX_ROWS = 4096;             // a 64 KiB message holds at most ~6,500 minimal RRs
constexpr uint32_t MAX_POINTER_HOPS = 127;      // more hops than labels in a 255-byte name: a loop
constexpr uint32_t MAX_NAME_WIRE = 255;         // RFC 1035 §3.1
constexpr uint32_t MAX_LABEL = 63;              // RFC 1035 §2.3.4

// Parse status (u32). errorOffset tells where in the input the problem was found.
constexpr uint32_t PARSE_OK = 0;
constexpr uint32_t PARSE_TRUNCATED = 1;         // ran past the end (header, name, fixed fields, RDATA)
constexpr uint32_t PARSE_POINTER_FORWARD = 2;   // compression pointer not strictly backwards (RFC 1035 §4.1.4)
constexpr uint32_t PARSE_POINTER_LOOP = 3;      // too many pointer hops
constexpr uint32_t PARSE_BAD_LABEL_TYPE = 4;    // label type 01 or 10 (RFC 6891 §5 retired extended labels)
constexpr uint32_t PARSE_NAME_TOO_LONG = 5;     // expanded name longer than 255 octets
constexpr uint32_t PARSE_RDATA_LENGTH = 6;      // RDATA structure does not fill RDLENGTH exactly
constexpr uint32_t PARSE_TRAILING_DATA = 7;     // bytes left after the last counted record
constexpr uint32_t PARSE_OVERSIZE = 8;          // message longer than MAX_MESSAGE_BYTES
constexpr uint32_t PARSE_TOO_MANY_RECORDS = 9;  // counts above MAX_ROWS
constexpr uint32_t PARSE_BAD_OPT = 10;          // OPT outside additional, non-root owner, or twice (RFC 6891 §6.1.1)
constexpr uint32_t PARSE_BAD_RDATA = 11;        // a field value that cannot be (e.g. A with 5 octets)

// ---------------------------------------------------------------------------------------------
// runBatchSync(jobs, blob, outBytes, params) -> { status: Uint8Array, out: Uint8Array }
// runBatch(jobs, blob, outBytes, params)     -> Promise<same>
//
// jobs: Uint32Array, JOB_STRIDE words per job. All offsets point into blob (Uint8Array); outputs
// are written into a fresh out buffer of outBytes bytes at JOB_OUT_OFF.
// params: Uint32Array [PARAM_NOW_SEC, PARAM_MAX_PER_GROUP, PARAM_MAX_TOTAL, PARAM_MAX_NSEC3_ITER]
// ---------------------------------------------------------------------------------------------
constexpr uint32_t JOB_STRIDE = 8;
constexpr uint32_t JOB_OP = 0;
constexpr uint32_t JOB_ALG = 1;       // DS digest type / NSEC3 hash algorithm; VERIFY: VERIFY_* flag bits
constexpr uint32_t JOB_A_OFF = 2;
constexpr uint32_t JOB_A_LEN = 3;
constexpr uint32_t JOB_B_OFF = 4;
constexpr uint32_t JOB_B_LEN = 5;
constexpr uint32_t JOB_OUT_OFF = 6;
constexpr uint32_t JOB_EXTRA = 7;     // VERIFY: group id (one per RRset); NSEC3: iterations

// VERIFY_RRSIG: a = DNSKEY RDATA; b = u16 rrsigLen || RRSIG RDATA (signer uncompressed) ||
//               owner (wire) || u16 class || u16 count || count x (u16 rdlen || RDATA with names
//               expanded). rrsigLen is needed: the signature runs to the end of the RRSIG RDATA.
//               The core builds the RFC 4034 §3.1.8.1 signed data itself (canonical form).
// DS_DIGEST:    a = owner name (wire), b = DNSKEY RDATA; digest written at out (<= 64 bytes).
// NSEC3_HASH:   a = name (wire), b = salt; iterations in JOB_EXTRA; 20 bytes written at out.
// KEY_TAG:      a = DNSKEY RDATA; 2 bytes (big-endian) written at out (RFC 4034 App. B).
constexpr uint32_t OP_VERIFY_RRSIG = 1;
constexpr uint32_t OP_DS_DIGEST = 2;
constexpr uint32_t OP_NSEC3_HASH = 3;
constexpr uint32_t OP_KEY_TAG = 4;

// VERIFY_RRSIG flag bits in JOB_ALG. ALLOW_REVOKED: accept a DNSKEY with the REVOKE bit, for the one
// check RFC 5011 §2.1 needs — a revoked key's self-signature over its DNSKEY RRset. Never set for
// validation, where a revoked key must not be used (ST_KEY_REVOKED).
constexpr uint32_t VERIFY_ALLOW_REVOKED = 1;

constexpr uint32_t PARAM_WORDS = 4;
constexpr uint32_t PARAM_NOW_SEC = 0;        // 0 = do not check the validity window
constexpr uint32_t PARAM_MAX_PER_GROUP = 1;  // signature checks per RRset (group); 0 = no limit
constexpr uint32_t PARAM_MAX_TOTAL = 2;      // signature checks per batch; 0 = no limit
constexpr uint32_t PARAM_MAX_NSEC3_ITER = 3; // NSEC3 iterations above this: ITERATIONS_EXCEEDED

// Job status (u8): same categories as Knot Resolver's validation counters, so TS can pick EDE.
constexpr uint8_t ST_OK = 0;
constexpr uint8_t ST_BAD_SIGNATURE = 1;
constexpr uint8_t ST_SIG_EXPIRED = 2;
constexpr uint8_t ST_SIG_NOT_YET_VALID = 3;
constexpr uint8_t ST_EXPIRED_BEFORE_INCEPTION = 4;
constexpr uint8_t ST_ALG_UNSUPPORTED = 5;
constexpr uint8_t ST_ALG_MISMATCH = 6;        // RRSIG algorithm != DNSKEY algorithm
constexpr uint8_t ST_KEYTAG_MISMATCH = 7;
constexpr uint8_t ST_KEY_INVALID = 8;         // key bytes do not parse (or protocol != 3)
constexpr uint8_t ST_KEY_NOT_ZONE_KEY = 9;    // DNSKEY flags bit 7 clear (RFC 4034 §2.1.1)
constexpr uint8_t ST_KEY_REVOKED = 10;        // REVOKE bit set (RFC 5011 §3)
constexpr uint8_t ST_LABELS_INVALID = 11;     // RRSIG labels > owner labels (RFC 4035 §5.3.1)
constexpr uint8_t ST_KEY_SIZE = 12;           // RSA modulus outside the accepted range
constexpr uint8_t ST_DIGEST_UNSUPPORTED = 13;
constexpr uint8_t ST_MALFORMED = 14;          // job bytes do not parse
constexpr uint8_t ST_SKIPPED_BUDGET = 15;     // not attempted: a budget in params ran out
constexpr uint8_t ST_ITERATIONS_EXCEEDED = 16;

}  // namespace abi
}  // namespace adbit
