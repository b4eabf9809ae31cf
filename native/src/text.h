// text.h — presentation format through ldns (RFC 1035 §5 zone-file syntax): one RR to text, text to
// one uncompressed wire RR, and ldns's own decode of a whole message (the differential-test oracle).
// Not part of the fuzzed core: it links ldns and never sees untrusted input on the hot path.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace adbit {
namespace text {

// rr = owner, type, class, ttl, rdlength, rdata (uncompressed), or a question entry (owner, type,
// class). Returns the ldns zone-file line without the trailing newline, or nullopt if ldns rejects it.
std::optional<std::string> RrToText(const uint8_t* rr, size_t len);

struct FromTextResult {
  uint32_t status = 0;       // ldns_status; 0 = OK
  std::string error;         // ldns_get_errorstr_by_id(status) ("" when OK)
  std::vector<uint8_t> rr;   // uncompressed wire RR (empty on error)
};
// origin "" means no origin (relative owners are then an error); defaultTtl 0 means ldns's default.
FromTextResult RrFromText(const std::string& line, const std::string& origin, uint32_t defaultTtl);

struct DecodeResult {
  uint32_t status = 0;
  std::string error;
  std::vector<std::string> records;  // question, answer, authority, additional; OPT/TSIG are not RRs to ldns
};
DecodeResult LdnsDecode(const uint8_t* wire, size_t len);

struct Versions {
  std::string ldns;
  std::string openssl;
};
Versions GetVersions();

}  // namespace text
}  // namespace adbit
