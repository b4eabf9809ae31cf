// canon.h — RFC 4034 §3.1.8.1 signed data ("TBS") from the VERIFY_RRSIG "b" blob of abi.h, and the
// wire-name helpers the crypto core shares: canonical order and form (RFC 4034 §6.1–6.3 as amended
// by RFC 6840 §5.1), the wildcard rule (RFC 4035 §5.3.2). Pure C++: no napi, no OpenSSL, no ldns.
// Never throws on DNS data and is safe on any bytes (the fuzz harness calls BuildSignedData).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace adbit {
namespace canon {

// Reads an uncompressed wire name at buf[pos..len). On success sets *nameLen (octets incl. the root
// label) and *labels (labels excluding the root); false when truncated, a label type is not 00,
// or the name exceeds 255 octets (RFC 1035 §3.1).
bool ReadName(const uint8_t* buf, size_t len, size_t pos, size_t* nameLen, unsigned* labels);

// ASCII A-Z -> a-z over the label bytes of a name already checked with ReadName (RFC 4034 §6.2).
void LowerName(uint8_t* name, size_t nameLen);

// The parsed VERIFY_RRSIG "b" blob. Layout (abi.h):
//   u16 rrsigLen || RRSIG RDATA || owner || u16 class || u16 count || count x (u16 len || RDATA)
// The RRSIG RDATA carries its own length because its signature field runs to the end of the RDATA
// and could not otherwise be told apart from the owner name that follows it.
struct VerifyBlob {
  uint16_t typeCovered = 0;
  uint8_t algorithm = 0;
  uint8_t labels = 0;
  uint32_t originalTtl = 0;
  uint32_t expiration = 0;
  uint32_t inception = 0;
  uint16_t keyTag = 0;
  const uint8_t* rrsig = nullptr;   // RRSIG RDATA
  size_t rrsigLen = 0;
  size_t signerLen = 0;             // signer name starts at rrsig + 18
  const uint8_t* sig = nullptr;     // signature field
  size_t sigLen = 0;
  const uint8_t* owner = nullptr;
  size_t ownerLen = 0;
  unsigned ownerLabels = 0;         // RFC 4034 §3.1.3: root and a leading "*" label not counted
  uint16_t rrClass = 0;
  uint16_t count = 0;
  const uint8_t* records = nullptr; // count x (u16 len || RDATA)
  size_t recordsLen = 0;
};

// Structure only: ST_OK or ST_MALFORMED (values of abi.h).
uint8_t ParseVerifyBlob(const uint8_t* b, size_t bLen, VerifyBlob& out);

// RFC 4034 §3.1.8.1 signed data. Returns abi::ST_OK, ST_MALFORMED or ST_LABELS_INVALID.
uint8_t BuildSignedData(const uint8_t* b, size_t bLen, std::vector<uint8_t>& out);
uint8_t BuildSignedData(const VerifyBlob& v, std::vector<uint8_t>& out);

}  // namespace canon
}  // namespace adbit
