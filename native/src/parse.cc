// parse.cc — DNS message → record table (abi.h). Compression pointers must point strictly
// backwards (RFC 1035 §4.1.4), so decompression cannot loop and the hop cap is a second fence.
// Names inside RDATA are expanded for the RFC 1035 types and the types RFC 3597 §4 says receivers
// SHOULD decompress (plus DNAME, RRSIG and NSEC, whose senders MUST NOT compress; we accept a
// pointer there as ldns, Unbound and Knot do). Every other type is opaque (RFC 3597 §5).
#include "parse.h"

#include "abi.h"
#include "reader.h"

namespace adbit {
namespace parse {
namespace {

using namespace abi;

// RR type numbers used below (IANA "Resource Record (RR) TYPEs").
constexpr uint16_t T_A = 1, T_NS = 2, T_MD = 3, T_MF = 4, T_CNAME = 5, T_SOA = 6, T_MB = 7, T_MG = 8,
                   T_MR = 9, T_PTR = 12, T_MINFO = 14, T_MX = 15, T_TXT = 16, T_RP = 17, T_AFSDB = 18,
                   T_RT = 21, T_SIG = 24, T_PX = 26, T_AAAA = 28, T_NXT = 30, T_SRV = 33, T_NAPTR = 35,
                   T_DNAME = 39, T_OPT = 41, T_DS = 43, T_RRSIG = 46, T_NSEC = 47, T_DNSKEY = 48,
                   T_NSEC3 = 50, T_NSEC3PARAM = 51, T_TLSA = 52, T_SMIMEA = 53, T_CDS = 59,
                   T_CDNSKEY = 60, T_CAA = 257;

// EDNS option codes with a fixed shape (IANA "DNS EDNS0 Option Codes").
constexpr uint16_t OPT_COOKIE = 10;  // RFC 7873 §4: client cookie 8, or 8 + server cookie 8..32
constexpr uint16_t OPT_EDE = 15;     // RFC 8914 §2: INFO-CODE (2 octets) + EXTRA-TEXT

class Parser {
 public:
  Parser(const uint8_t* wire, size_t len, ParseOutput& out) : msg_(wire), len_(len), out_(out) {}

  bool run();

 private:
  bool fail(uint32_t status, size_t offset) {
    out_.status = status;
    out_.errorOffset = static_cast<uint32_t>(offset);
    return false;
  }
  bool name(Reader& r, uint32_t overrunStatus);
  bool rdata(uint16_t type, Reader& rd);
  bool rdName(Reader& rd) {
    flush(rd.pos());
    if (!name(rd, PARSE_RDATA_LENGTH)) return false;
    copyFrom_ = rd.pos();
    return true;
  }
  // Appends the RDATA bytes read since the last name verbatim.
  void flush(size_t upTo) {
    out_.data.insert(out_.data.end(), msg_ + copyFrom_, msg_ + upTo);
    copyFrom_ = upTo;
  }
  bool short_(const Reader& rd) { return fail(PARSE_RDATA_LENGTH, rd.pos()); }
  bool charString(Reader& rd) {
    uint8_t n;
    return (rd.u8(n) && rd.skip(n)) || short_(rd);
  }
  bool typeBitmap(Reader& rd);
  bool options(Reader& rd);

  const uint8_t* msg_;
  size_t len_;
  ParseOutput& out_;
  size_t copyFrom_ = 0;
};

// Reads one (possibly compressed) name at r's cursor and appends its uncompressed wire form to
// data. In-place labels must lie inside r's window (else overrunStatus); labels reached through
// a pointer may lie anywhere earlier in the message.
bool Parser::name(Reader& r, uint32_t overrunStatus) {
  size_t p = r.pos();
  size_t limit = r.end();
  size_t segStart = p;  // start of the label run being read; a pointer must target before it
  size_t resume = 0;
  bool jumped = false;
  uint32_t hops = 0;
  size_t wireLen = 0;
  for (;;) {
    if (p >= limit) return fail(jumped ? PARSE_TRUNCATED : overrunStatus, p);
    const uint8_t c = msg_[p];
    const uint8_t kind = c & 0xC0;
    if (kind == 0x00) {
      if (c == 0) {
        out_.data.push_back(0);
        ++p;
        break;
      }
      if (limit - p < 1u + c) return fail(jumped ? PARSE_TRUNCATED : overrunStatus, p);
      // +1 for this length octet, +1 for the root label still to come (RFC 1035 §3.1: 255 total).
      if (wireLen + 1 + c + 1 > MAX_NAME_WIRE) return fail(PARSE_NAME_TOO_LONG, p);
      out_.data.insert(out_.data.end(), msg_ + p, msg_ + p + 1 + c);
      wireLen += 1 + c;
      p += 1 + c;
    } else if (kind == 0xC0) {
      if (limit - p < 2) return fail(jumped ? PARSE_TRUNCATED : overrunStatus, p);
      const size_t target = (static_cast<size_t>(c & 0x3F) << 8) | msg_[p + 1];
      if (target >= segStart) return fail(PARSE_POINTER_FORWARD, p);
      if (++hops > MAX_POINTER_HOPS) return fail(PARSE_POINTER_LOOP, p);
      if (!jumped) {
        resume = p + 2;
        jumped = true;
      }
      p = segStart = target;
      limit = len_;
    } else {
      return fail(PARSE_BAD_LABEL_TYPE, p);  // 01 and 10: RFC 6891 §5 retired extended labels
    }
  }
  r.advanceTo(jumped ? resume : p);
  return true;
}

// NSEC/NSEC3 type bitmap (RFC 4034 §4.1.2): windows strictly ascending, bitmap length 1..32.
bool Parser::typeBitmap(Reader& rd) {
  int last = -1;
  while (!rd.atEnd()) {
    const size_t at = rd.pos();
    uint8_t window, blen;
    if (!rd.u8(window) || !rd.u8(blen)) return short_(rd);
    if (static_cast<int>(window) <= last || blen < 1 || blen > 32) return fail(PARSE_BAD_RDATA, at);
    if (!rd.skip(blen)) return short_(rd);
    last = window;
  }
  return true;
}

// OPT RDATA (RFC 6891 §6.1.2): {code, length, value}* exactly filling RDLENGTH.
bool Parser::options(Reader& rd) {
  while (!rd.atEnd()) {
    const size_t at = rd.pos();
    uint16_t code, olen;
    if (!rd.u16(code) || !rd.u16(olen) || !rd.skip(olen)) return short_(rd);
    if (code == OPT_EDE && olen < 2) return fail(PARSE_BAD_RDATA, at);
    if (code == OPT_COOKIE && olen != 8 && (olen < 16 || olen > 40)) return fail(PARSE_BAD_RDATA, at);
  }
  return true;
}

bool Parser::rdata(uint16_t type, Reader& rd) {
  copyFrom_ = rd.pos();
  const size_t start = rd.pos();
  uint8_t u8v;
  switch (type) {
    case T_A:
      if (rd.remaining() != 4) return fail(PARSE_BAD_RDATA, start);
      rd.skip(4);
      break;
    case T_AAAA:
      if (rd.remaining() != 16) return fail(PARSE_BAD_RDATA, start);
      rd.skip(16);
      break;
    case T_NS: case T_MD: case T_MF: case T_CNAME: case T_MB: case T_MG: case T_MR: case T_PTR:
    case T_DNAME:
      if (!rdName(rd)) return false;
      break;
    case T_SOA:  // MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM (RFC 1035 §3.3.13)
      if (!rdName(rd) || !rdName(rd)) return false;
      if (!rd.skip(20)) return short_(rd);
      break;
    case T_MINFO: case T_RP:
      if (!rdName(rd) || !rdName(rd)) return false;
      break;
    case T_MX: case T_AFSDB: case T_RT:
      if (!rd.skip(2)) return short_(rd);
      if (!rdName(rd)) return false;
      break;
    case T_PX:  // RFC 2163: PREFERENCE MAP822 MAPX400
      if (!rd.skip(2)) return short_(rd);
      if (!rdName(rd) || !rdName(rd)) return false;
      break;
    case T_SRV:  // RFC 2782 forbids compression of TARGET, RFC 2052 required it: accept both.
      if (!rd.skip(6)) return short_(rd);
      if (!rdName(rd)) return false;
      break;
    case T_NAPTR:  // RFC 3403 §4.1: ORDER PREFERENCE FLAGS SERVICES REGEXP REPLACEMENT
      if (!rd.skip(4)) return short_(rd);
      if (!charString(rd) || !charString(rd) || !charString(rd) || !rdName(rd)) return false;
      break;
    case T_TXT:  // RFC 1035 §3.3.14: one or more <character-string>
      do {
        if (!charString(rd)) return false;
      } while (!rd.atEnd());
      break;
    case T_DS: case T_CDS:  // RFC 4034 §5.1: key tag, algorithm, digest type, digest
    case T_DNSKEY: case T_CDNSKEY:  // RFC 4034 §2.1: flags, protocol, algorithm, key
      if (!rd.skip(4)) return short_(rd);
      rd.skip(rd.remaining());
      break;
    case T_RRSIG: case T_SIG:  // RFC 4034 §3.1: 18 fixed octets, signer (§3.1.7), signature
      if (!rd.skip(18)) return short_(rd);
      if (!rdName(rd)) return false;
      if (rd.atEnd()) return short_(rd);
      rd.skip(rd.remaining());
      break;
    case T_NSEC:  // RFC 4034 §4.1: next domain name, type bitmap
      if (!rdName(rd) || !typeBitmap(rd)) return false;
      break;
    case T_NXT:  // RFC 2535 §5.2 (obsolete): next name, then an old-style bitmap kept opaque
      if (!rdName(rd)) return false;
      rd.skip(rd.remaining());
      break;
    case T_NSEC3: {  // RFC 5155 §3.2
      if (!rd.skip(4) || !charString(rd)) return short_(rd);  // alg, flags, iterations, salt
      const size_t at = rd.pos();
      if (!rd.u8(u8v)) return short_(rd);
      if (u8v == 0) return fail(PARSE_BAD_RDATA, at);  // hash length 1..255 (§3.1.6)
      if (!rd.skip(u8v)) return short_(rd);
      if (!typeBitmap(rd)) return false;
      break;
    }
    case T_NSEC3PARAM:  // RFC 5155 §4.2: alg, flags, iterations, salt — nothing after
      if (!rd.skip(4) || !charString(rd)) return short_(rd);
      break;
    case T_TLSA: case T_SMIMEA:  // RFC 6698 §2.1: usage, selector, matching type, data
      if (!rd.skip(3)) return short_(rd);
      rd.skip(rd.remaining());
      break;
    case T_CAA: {  // RFC 8659 §4.1: flags, tag length (>= 1), tag, value
      if (!rd.skip(1)) return short_(rd);
      const size_t at = rd.pos();
      if (!rd.u8(u8v)) return short_(rd);
      if (u8v == 0) return fail(PARSE_BAD_RDATA, at);
      if (!rd.skip(u8v)) return short_(rd);
      rd.skip(rd.remaining());
      break;
    }
    case T_OPT:
      if (!options(rd)) return false;
      break;
    default:  // RFC 3597: unknown and name-free types are opaque
      rd.skip(rd.remaining());
      break;
  }
  if (!rd.atEnd()) return fail(PARSE_RDATA_LENGTH, rd.pos());
  flush(rd.pos());
  return true;
}

bool Parser::run() {
  if (len_ > MAX_MESSAGE_BYTES) return fail(PARSE_OVERSIZE, MAX_MESSAGE_BYTES);
  Reader r(msg_, len_);
  uint16_t h[6];
  for (auto& w : h) {
    if (!r.u16(w)) return fail(PARSE_TRUNCATED, 0);
  }
  const uint32_t rows = static_cast<uint32_t>(h[2]) + h[3] + h[4] + h[5];
  if (rows > MAX_ROWS) return fail(PARSE_TOO_MANY_RECORDS, 4);
  out_.table.reserve(HDR_WORDS + static_cast<size_t>(rows) * RR_STRIDE);
  out_.data.reserve(len_ * 2);
  out_.table.assign({h[0], h[1], h[2], h[3], h[4], h[5], rows, NO_ROW});
  uint32_t row = 0;
  for (uint32_t section = SECTION_QUESTION; section <= SECTION_ADDITIONAL; ++section) {
    for (uint32_t i = 0; i < h[2 + section]; ++i, ++row) {
      const size_t rowStart = r.pos();
      const size_t ownerOff = out_.data.size();
      if (!name(r, PARSE_TRUNCATED)) return false;
      const size_t ownerLen = out_.data.size() - ownerOff;
      const size_t fixedAt = r.pos();
      uint16_t type, klass, rdlen = 0;
      uint32_t ttl = 0;
      if (!r.u16(type) || !r.u16(klass)) return fail(PARSE_TRUNCATED, fixedAt);
      size_t rdataOff = 0, rdataLen = 0;
      if (section != SECTION_QUESTION) {
        if (!r.u32(ttl) || !r.u16(rdlen)) return fail(PARSE_TRUNCATED, fixedAt);
        const size_t rdAt = r.pos();
        Reader rd(msg_, len_);
        if (!r.sub(rdlen, rd)) return fail(PARSE_TRUNCATED, rdAt);
        if (type == T_OPT) {  // RFC 6891 §6.1.1: one OPT, in additional, owned by the root
          if (section != SECTION_ADDITIONAL || ownerLen != 1 || out_.table[HDR_OPT_ROW] != NO_ROW) {
            return fail(PARSE_BAD_OPT, rowStart);
          }
          out_.table[HDR_OPT_ROW] = row;
        }
        rdataOff = out_.data.size();
        if (!rdata(type, rd)) return false;
        rdataLen = out_.data.size() - rdataOff;
      }
      const uint32_t cols[RR_STRIDE] = {
          (section << 16) | type,           static_cast<uint32_t>(klass),
          ttl,                              static_cast<uint32_t>(ownerOff),
          static_cast<uint32_t>(ownerLen),  static_cast<uint32_t>(rdataOff),
          static_cast<uint32_t>(rdataLen),  static_cast<uint32_t>(rowStart)};
      out_.table.insert(out_.table.end(), cols, cols + RR_STRIDE);
    }
  }
  if (!r.atEnd()) return fail(PARSE_TRAILING_DATA, r.pos());
  return true;
}

}  // namespace

uint32_t ParseMessage(const uint8_t* wire, size_t len, ParseOutput& out) {
  out.status = PARSE_OK;
  out.errorOffset = 0;
  out.table.clear();
  out.data.clear();
  Parser p(wire, len, out);
  if (!p.run()) {
    out.table.clear();
    out.data.clear();
  }
  return out.status;
}

}  // namespace parse
}  // namespace adbit
