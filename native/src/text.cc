// text.cc — ldns-backed presentation format (see text.h). Every ldns object is owned by a
// unique_ptr with the matching ldns free function; ldns errors come back as status + text.
#include "text.h"

#include <ldns/ldns.h>
#include <openssl/crypto.h>

#include <cstdlib>
#include <memory>

namespace adbit {
namespace text {
namespace {

struct RrFree {
  void operator()(ldns_rr* p) const { ldns_rr_free(p); }
};
struct RdfFree {
  void operator()(ldns_rdf* p) const { ldns_rdf_deep_free(p); }
};
struct PktFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct MallocFree {
  void operator()(void* p) const { std::free(p); }
};
using RrPtr = std::unique_ptr<ldns_rr, RrFree>;
using RdfPtr = std::unique_ptr<ldns_rdf, RdfFree>;
using PktPtr = std::unique_ptr<ldns_pkt, PktFree>;

std::optional<std::string> Print(const ldns_rr* rr) {
  std::unique_ptr<char, MallocFree> s(ldns_rr2str(rr));
  if (!s) return std::nullopt;
  std::string out(s.get());
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// Tries one section's wire form; succeeds only if it consumes the input exactly.
RrPtr FromWire(const uint8_t* wire, size_t len, ldns_pkt_section section) {
  ldns_rr* raw = nullptr;
  size_t pos = 0;
  if (ldns_wire2rr(&raw, wire, len, &pos, section) != LDNS_STATUS_OK) return nullptr;
  RrPtr rr(raw);
  if (pos != len) return nullptr;
  return rr;
}

}  // namespace

std::optional<std::string> RrToText(const uint8_t* wire, size_t len) {
  RrPtr rr = FromWire(wire, len, LDNS_SECTION_ANSWER);
  if (!rr) rr = FromWire(wire, len, LDNS_SECTION_QUESTION);
  if (!rr) return std::nullopt;
  return Print(rr.get());
}

FromTextResult RrFromText(const std::string& line, const std::string& origin, uint32_t defaultTtl) {
  FromTextResult res;
  RdfPtr originRdf;
  if (!origin.empty()) {
    ldns_rdf* o = nullptr;
    ldns_status st = ldns_str2rdf_dname(&o, origin.c_str());
    originRdf.reset(o);
    if (st != LDNS_STATUS_OK) {
      res.status = static_cast<uint32_t>(st);
      res.error = std::string("bad origin: ") + ldns_get_errorstr_by_id(st);
      return res;
    }
  }
  ldns_rr* raw = nullptr;
  ldns_status st = ldns_rr_new_frm_str(&raw, line.c_str(), defaultTtl, originRdf.get(), nullptr);
  RrPtr rr(raw);
  if (st != LDNS_STATUS_OK || !rr) {
    res.status = static_cast<uint32_t>(st == LDNS_STATUS_OK ? LDNS_STATUS_ERR : st);
    const char* msg = ldns_get_errorstr_by_id(static_cast<ldns_status>(res.status));
    res.error = msg ? msg : "ldns error";
    return res;
  }
  uint8_t* out = nullptr;
  size_t outLen = 0;
  st = ldns_rr2wire(&out, rr.get(), LDNS_SECTION_ANSWER, &outLen);
  std::unique_ptr<uint8_t, MallocFree> owned(out);
  if (st != LDNS_STATUS_OK || !out) {
    res.status = static_cast<uint32_t>(st == LDNS_STATUS_OK ? LDNS_STATUS_ERR : st);
    const char* msg = ldns_get_errorstr_by_id(static_cast<ldns_status>(res.status));
    res.error = msg ? msg : "ldns error";
    return res;
  }
  res.rr.assign(out, out + outLen);
  return res;
}

DecodeResult LdnsDecode(const uint8_t* wire, size_t len) {
  DecodeResult res;
  ldns_pkt* raw = nullptr;
  ldns_status st = ldns_wire2pkt(&raw, wire, len);
  PktPtr pkt(raw);
  if (st != LDNS_STATUS_OK || !pkt) {
    res.status = static_cast<uint32_t>(st == LDNS_STATUS_OK ? LDNS_STATUS_ERR : st);
    const char* msg = ldns_get_errorstr_by_id(static_cast<ldns_status>(res.status));
    res.error = msg ? msg : "ldns error";
    return res;
  }
  const ldns_rr_list* lists[] = {ldns_pkt_question(pkt.get()), ldns_pkt_answer(pkt.get()),
                                 ldns_pkt_authority(pkt.get()), ldns_pkt_additional(pkt.get())};
  for (const ldns_rr_list* list : lists) {
    const size_t n = list ? ldns_rr_list_rr_count(list) : 0;
    for (size_t i = 0; i < n; ++i) {
      std::optional<std::string> s = Print(ldns_rr_list_rr(list, i));
      res.records.push_back(s ? *s : std::string());
    }
  }
  return res;
}

Versions GetVersions() {
  Versions v;
  v.ldns = ldns_version();
  v.openssl = OpenSSL_version(OPENSSL_VERSION);
  return v;
}

}  // namespace text
}  // namespace adbit
