// parse.h — DNS message wire format → the flat record table of abi.h (header words, one row per
// question/RR) plus a data blob of uncompressed owner names and name-expanded RDATA.
// RFC 1035 §4.1 (format), §4.1.4 (compression), RFC 3597 §4 (which types may be compressed),
// RFC 6891 §6.1.1 (OPT placement). Pure C++: no napi, no ldns; never throws on DNS data.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace adbit {
namespace parse {

struct ParseOutput {
  uint32_t status = 0;        // abi::PARSE_*
  uint32_t errorOffset = 0;   // where in the input the problem was found (0 when OK)
  std::vector<uint32_t> table;  // HDR_WORDS + rows * RR_STRIDE (empty on error)
  std::vector<uint8_t> data;    // names and expanded RDATA (empty on error)
};

// Parses one message. Returns out.status. Work is linear in len: every name costs at most
// MAX_NAME_WIRE copied bytes plus MAX_POINTER_HOPS hops, and rows are capped at MAX_ROWS.
uint32_t ParseMessage(const uint8_t* wire, size_t len, ParseOutput& out);

}  // namespace parse
}  // namespace adbit
