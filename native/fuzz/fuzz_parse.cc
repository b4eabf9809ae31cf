// fuzz_parse.cc — libFuzzer entry for the hostile-input core: ParseMessage on any bytes, a check of
// the record-table invariants (abort on violation), and, for every parsed RRSIG, BuildSignedData
// (RFC 4034 §3.1.8.1) over the same-owner, same-class RRset it covers. No napi, no ldns.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../src/abi.h"
#include "../src/parse.h"
#if defined(ADBIT_FUZZ_CANON)
#include "../src/canon.h"
#endif

namespace {

using namespace adbit::abi;

void Check(bool ok) {
  if (!ok) std::abort();
}

uint32_t Col(const std::vector<uint32_t>& t, uint32_t row, uint32_t col) {
  return t[HDR_WORDS + row * RR_STRIDE + col];
}

bool SameName(const uint8_t* a, size_t al, const uint8_t* b, size_t bl) {
  if (al != bl) return false;
  for (size_t i = 0; i < al; ++i) {
    uint8_t x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return false;
  }
  return true;
}

void Put16(std::vector<uint8_t>& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  adbit::parse::ParseOutput out;
  const uint32_t st = adbit::parse::ParseMessage(data, size, out);
  Check(st <= PARSE_BAD_RDATA && st == out.status);
  if (st != PARSE_OK) {
    Check(out.table.empty() && out.data.empty() && out.errorOffset <= size);
    return 0;
  }
  const std::vector<uint32_t>& t = out.table;
  Check(t.size() >= HDR_WORDS);
  const uint32_t rows = t[HDR_ROWS];
  Check(rows == t[HDR_QDCOUNT] + t[HDR_ANCOUNT] + t[HDR_NSCOUNT] + t[HDR_ARCOUNT]);
  Check(t.size() == HDR_WORDS + static_cast<size_t>(rows) * RR_STRIDE);
  Check(t[HDR_OPT_ROW] == NO_ROW || t[HDR_OPT_ROW] < rows);
  for (uint32_t r = 0; r < rows; ++r) {
    const uint32_t oOff = Col(t, r, COL_OWNER_OFF), oLen = Col(t, r, COL_OWNER_LEN);
    const uint32_t dOff = Col(t, r, COL_RDATA_OFF), dLen = Col(t, r, COL_RDATA_LEN);
    Check(oLen >= 1 && oLen <= MAX_NAME_WIRE && oOff + oLen <= out.data.size());
    Check(out.data[oOff + oLen - 1] == 0);
    Check(static_cast<size_t>(dOff) + dLen <= out.data.size());
    Check(Col(t, r, COL_WIRE_OFF) < size);
  }
#if defined(ADBIT_FUZZ_CANON)
  // For each RRSIG: the covered RRset = rows of the same section, owner (case-insensitive), class.
  for (uint32_t r = 0; r < rows; ++r) {
    const uint32_t st_r = Col(t, r, COL_SECTION_TYPE);
    if ((st_r & 0xFFFF) != 46 || Col(t, r, COL_RDATA_LEN) < 2) continue;
    const uint8_t* sig = out.data.data() + Col(t, r, COL_RDATA_OFF);
    const uint32_t sigLen = Col(t, r, COL_RDATA_LEN);
    const uint32_t covered = (static_cast<uint32_t>(sig[0]) << 8) | sig[1];
    const uint8_t* owner = out.data.data() + Col(t, r, COL_OWNER_OFF);
    const uint32_t ownerLen = Col(t, r, COL_OWNER_LEN);
    std::vector<uint8_t> blob;
    Put16(blob, sigLen);
    blob.insert(blob.end(), sig, sig + sigLen);
    blob.insert(blob.end(), owner, owner + ownerLen);
    Put16(blob, Col(t, r, COL_CLASS));
    const size_t countAt = blob.size();
    Put16(blob, 0);
    uint32_t count = 0;
    for (uint32_t k = 0; k < rows && count < 0xFFFF; ++k) {
      const uint32_t st_k = Col(t, k, COL_SECTION_TYPE);
      if ((st_k >> 16) != (st_r >> 16) || (st_k & 0xFFFF) != covered) continue;
      if (Col(t, k, COL_CLASS) != Col(t, r, COL_CLASS)) continue;
      if (!SameName(owner, ownerLen, out.data.data() + Col(t, k, COL_OWNER_OFF), Col(t, k, COL_OWNER_LEN))) continue;
      const uint32_t len = Col(t, k, COL_RDATA_LEN);
      if (len > 0xFFFF) continue;
      Put16(blob, len);
      const uint8_t* rd = out.data.data() + Col(t, k, COL_RDATA_OFF);
      blob.insert(blob.end(), rd, rd + len);
      ++count;
    }
    blob[countAt] = static_cast<uint8_t>(count >> 8);
    blob[countAt + 1] = static_cast<uint8_t>(count);
    std::vector<uint8_t> tbs;
    const uint8_t cst = adbit::canon::BuildSignedData(blob.data(), blob.size(), tbs);
    Check(cst == ST_OK || cst == ST_MALFORMED || cst == ST_LABELS_INVALID);
  }
#endif
  return 0;
}
