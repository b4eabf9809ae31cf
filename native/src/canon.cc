// canon.cc — canonical form and RFC 4034 §3.1.8.1 signed data for VERIFY_RRSIG jobs.
// RFC 4034 §6.2 (names lower-cased in RDATA, list amended by RFC 6840 §5.1: not NSEC), §6.3 (RRset
// order, duplicates removed), RFC 4035 §5.3.2 (wildcard owner reconstruction). Bounds-checked reads
// only; every failure is a status code.
#include "canon.h"

#include <algorithm>
#include <cstring>

#include "abi.h"

namespace adbit {
namespace canon {
namespace {

constexpr size_t RRSIG_FIXED = 18;  // type covered .. key tag (RFC 4034 §3.1)

inline uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t U32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline void Put16(std::vector<uint8_t>& o, uint32_t v) {
  o.push_back(static_cast<uint8_t>(v >> 8));
  o.push_back(static_cast<uint8_t>(v));
}
inline void Put32(std::vector<uint8_t>& o, uint32_t v) {
  Put16(o, v >> 16);
  Put16(o, v & 0xFFFF);
}

// Lower-cases the name at buf[*pos..len) in place and advances *pos past it.
bool LowerNameAt(uint8_t* buf, size_t len, size_t* pos) {
  size_t n = 0;
  unsigned labels = 0;
  if (!ReadName(buf, len, *pos, &n, &labels)) return false;
  LowerName(buf + *pos, n);
  *pos += n;
  return true;
}

// Skips one <character-string> (RFC 1035 §3.3).
bool SkipString(const uint8_t* buf, size_t len, size_t* pos) {
  if (*pos >= len) return false;
  size_t n = 1u + buf[*pos];
  if (len - *pos < n) return false;
  *pos += n;
  return true;
}

// Lower-cases the embedded names of rdata (a private copy) for the RFC 4034 §6.2 types as amended
// by RFC 6840 §5.1 (NSEC names keep their case; RRSIG signer names are lower-cased). HINFO is in
// the §6.2 list but holds character-strings only, so nothing changes for it.
bool CanonRdata(uint16_t type, uint8_t* r, size_t len) {
  size_t pos = 0;
  switch (type) {
    case 2: case 3: case 4: case 5: case 7: case 8: case 9: case 12: case 39:  // NS MD MF CNAME MB MG MR PTR DNAME
    case 30:                                                                    // NXT: next name, then bitmap
      return LowerNameAt(r, len, &pos);
    case 6: case 14: case 17:  // SOA (mname rname ...), MINFO, RP
      return LowerNameAt(r, len, &pos) && LowerNameAt(r, len, &pos);
    case 15: case 18: case 21: case 36:  // MX AFSDB RT KX: preference, name
      if (len < 2) return false;
      pos = 2;
      return LowerNameAt(r, len, &pos);
    case 26:  // PX: preference, map822, mapx400
      if (len < 2) return false;
      pos = 2;
      return LowerNameAt(r, len, &pos) && LowerNameAt(r, len, &pos);
    case 33:  // SRV: priority weight port target
      if (len < 6) return false;
      pos = 6;
      return LowerNameAt(r, len, &pos);
    case 35:  // NAPTR: order preference flags services regexp replacement
      if (len < 4) return false;
      pos = 4;
      return SkipString(r, len, &pos) && SkipString(r, len, &pos) && SkipString(r, len, &pos) &&
             LowerNameAt(r, len, &pos);
    case 24: case 46:  // SIG, RRSIG: signer name after the 18 fixed octets
      if (len < RRSIG_FIXED) return false;
      pos = RRSIG_FIXED;
      return LowerNameAt(r, len, &pos);
    case 38: {  // A6 (RFC 2874 §3.1): prefix len, address suffix, prefix name when prefix len > 0
      if (len < 1 || r[0] > 128) return false;
      unsigned plen = r[0];
      pos = 1 + (128 - plen + 7) / 8;
      if (pos > len) return false;
      return plen == 0 || LowerNameAt(r, len, &pos);
    }
    default:
      return true;
  }
}

}  // namespace

bool ReadName(const uint8_t* buf, size_t len, size_t pos, size_t* nameLen, unsigned* labels) {
  size_t start = pos;
  unsigned count = 0;
  for (;;) {
    if (pos >= len) return false;
    uint8_t l = buf[pos];
    if (l > abi::MAX_LABEL) return false;  // compression pointers and extended labels are not allowed here
    if (pos - start + 1u + l > abi::MAX_NAME_WIRE) return false;
    if (l == 0) {
      *nameLen = pos - start + 1;
      *labels = count;
      return true;
    }
    if (len - pos - 1 < l) return false;
    pos += 1u + l;
    ++count;
  }
}

void LowerName(uint8_t* name, size_t nameLen) {
  size_t pos = 0;
  while (pos < nameLen && name[pos] != 0) {
    size_t l = name[pos];
    for (size_t i = pos + 1; i <= pos + l && i < nameLen; ++i) {
      if (name[i] >= 'A' && name[i] <= 'Z') name[i] = static_cast<uint8_t>(name[i] + 32);
    }
    pos += l + 1;
  }
}

uint8_t ParseVerifyBlob(const uint8_t* b, size_t bLen, VerifyBlob& v) {
  if (b == nullptr || bLen < 2) return abi::ST_MALFORMED;
  size_t rlen = U16(b);
  if (bLen - 2 < rlen || rlen < RRSIG_FIXED + 1) return abi::ST_MALFORMED;
  const uint8_t* r = b + 2;
  v.rrsig = r;
  v.rrsigLen = rlen;
  v.typeCovered = U16(r);
  v.algorithm = r[2];
  v.labels = r[3];
  v.originalTtl = U32(r + 4);
  v.expiration = U32(r + 8);
  v.inception = U32(r + 12);
  v.keyTag = U16(r + 16);
  unsigned signerLabels = 0;
  if (!ReadName(r, rlen, RRSIG_FIXED, &v.signerLen, &signerLabels)) return abi::ST_MALFORMED;
  v.sig = r + RRSIG_FIXED + v.signerLen;
  v.sigLen = rlen - RRSIG_FIXED - v.signerLen;
  if (v.sigLen == 0) return abi::ST_MALFORMED;

  size_t pos = 2 + rlen;
  unsigned labels = 0;
  if (!ReadName(b, bLen, pos, &v.ownerLen, &labels)) return abi::ST_MALFORMED;
  v.owner = b + pos;
  // RFC 4034 §3.1.3: a leading "*" label is not counted in the RRSIG labels field.
  if (labels > 0 && v.owner[0] == 1 && v.owner[1] == '*') --labels;
  v.ownerLabels = labels;
  pos += v.ownerLen;
  if (bLen - pos < 4) return abi::ST_MALFORMED;
  v.rrClass = U16(b + pos);
  v.count = U16(b + pos + 2);
  pos += 4;
  // An RRset cannot hold more records than one message (abi::MAX_ROWS); this bounds the output.
  if (v.count == 0 || v.count > abi::MAX_ROWS) return abi::ST_MALFORMED;
  v.records = b + pos;
  size_t rp = pos;
  for (unsigned i = 0; i < v.count; ++i) {
    if (bLen - rp < 2) return abi::ST_MALFORMED;
    size_t n = U16(b + rp);
    if (bLen - rp - 2 < n) return abi::ST_MALFORMED;
    rp += 2 + n;
  }
  if (rp != bLen) return abi::ST_MALFORMED;
  v.recordsLen = rp - pos;
  return abi::ST_OK;
}

uint8_t BuildSignedData(const VerifyBlob& v, std::vector<uint8_t>& out) {
  // RFC 4035 §5.3.1: the labels field must not exceed the owner's label count.
  if (v.labels > v.ownerLabels) return abi::ST_LABELS_INVALID;

  // Owner in canonical form; RFC 4035 §5.3.2: when labels < owner labels the owner was expanded
  // from a wildcard, so the signed name is "*." + the rightmost `labels` labels.
  uint8_t name[abi::MAX_NAME_WIRE + 2];
  size_t nameLen = 0;
  unsigned total = 0;
  {
    size_t n = 0;
    ReadName(v.owner, v.ownerLen, 0, &n, &total);  // total counts a leading "*" as well
  }
  if (v.labels < v.ownerLabels) {
    size_t pos = 0;
    for (unsigned skip = total - v.labels; skip > 0; --skip) pos += 1u + v.owner[pos];
    name[0] = 1;
    name[1] = '*';
    std::memcpy(name + 2, v.owner + pos, v.ownerLen - pos);
    nameLen = 2 + v.ownerLen - pos;
  } else {
    std::memcpy(name, v.owner, v.ownerLen);
    nameLen = v.ownerLen;
  }
  LowerName(name, nameLen);

  // Canonical RDATA of every RR, then RFC 4034 §6.3 order: unsigned octet strings, shorter first
  // on a common prefix, duplicates removed.
  std::vector<uint8_t> rd(v.records, v.records + v.recordsLen);
  struct Span { size_t off; size_t len; };
  std::vector<Span> spans;
  spans.reserve(v.count);
  size_t rp = 0;
  for (unsigned i = 0; i < v.count; ++i) {
    size_t n = U16(rd.data() + rp);
    if (!CanonRdata(v.typeCovered, rd.data() + rp + 2, n)) return abi::ST_MALFORMED;
    spans.push_back({rp + 2, n});
    rp += 2 + n;
  }
  const uint8_t* base = rd.data();
  auto less = [base](const Span& a, const Span& b) {
    int c = std::memcmp(base + a.off, base + b.off, std::min(a.len, b.len));
    return c != 0 ? c < 0 : a.len < b.len;
  };
  auto same = [base](const Span& a, const Span& b) {
    return a.len == b.len && std::memcmp(base + a.off, base + b.off, a.len) == 0;
  };
  std::sort(spans.begin(), spans.end(), less);
  spans.erase(std::unique(spans.begin(), spans.end(), same), spans.end());

  // RFC 4034 §3.1.8.1: RRSIG RDATA without the signature, signer lower-cased, then each RR with
  // the original TTL.
  out.clear();
  size_t need = RRSIG_FIXED + v.signerLen;
  for (const Span& s : spans) need += nameLen + 10 + s.len;
  out.reserve(need);
  out.insert(out.end(), v.rrsig, v.rrsig + RRSIG_FIXED + v.signerLen);
  LowerName(out.data() + RRSIG_FIXED, v.signerLen);
  for (const Span& s : spans) {
    out.insert(out.end(), name, name + nameLen);
    Put16(out, v.typeCovered);
    Put16(out, v.rrClass);
    Put32(out, v.originalTtl);
    Put16(out, static_cast<uint32_t>(s.len));
    out.insert(out.end(), base + s.off, base + s.off + s.len);
  }
  return abi::ST_OK;
}

uint8_t BuildSignedData(const uint8_t* b, size_t bLen, std::vector<uint8_t>& out) {
  out.clear();
  VerifyBlob v;
  uint8_t st = ParseVerifyBlob(b, bLen, v);
  if (st != abi::ST_OK) return st;
  return BuildSignedData(v, out);
}

}  // namespace canon
}  // namespace adbit
