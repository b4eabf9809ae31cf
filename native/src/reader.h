// reader.h — bounds-checked big-endian reader over one DNS message. A Reader is a window
// [pos, end) of the message; sub(len) carves an exact-length window (dnspython's restrict_to) so
// RDATA parsing can require RDLENGTH to be consumed exactly (RFC 1035 §3.2.1, §4.1.3).
// Pure C++: no napi, no ldns; never throws. Every read reports failure through its return value.
#pragma once
#include <cstddef>
#include <cstdint>

namespace adbit {
namespace parse {

class Reader {
 public:
  Reader(const uint8_t* msg, size_t msgLen) : msg_(msg), msgLen_(msgLen), pos_(0), end_(msgLen) {}

  size_t pos() const { return pos_; }
  size_t end() const { return end_; }
  size_t remaining() const { return end_ - pos_; }
  bool atEnd() const { return pos_ == end_; }
  const uint8_t* message() const { return msg_; }
  size_t messageLength() const { return msgLen_; }
  const uint8_t* cursor() const { return msg_ + pos_; }

  bool u8(uint8_t& v) {
    if (remaining() < 1) return false;
    v = msg_[pos_++];
    return true;
  }
  bool u16(uint16_t& v) {
    if (remaining() < 2) return false;
    v = static_cast<uint16_t>((msg_[pos_] << 8) | msg_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(uint32_t& v) {
    if (remaining() < 4) return false;
    v = (static_cast<uint32_t>(msg_[pos_]) << 24) | (static_cast<uint32_t>(msg_[pos_ + 1]) << 16) |
        (static_cast<uint32_t>(msg_[pos_ + 2]) << 8) | static_cast<uint32_t>(msg_[pos_ + 3]);
    pos_ += 4;
    return true;
  }
  // Skips n bytes, handing back where they start.
  bool bytes(size_t n, const uint8_t*& p) {
    if (remaining() < n) return false;
    p = msg_ + pos_;
    pos_ += n;
    return true;
  }
  bool skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  // Moves the cursor forward to `to` (used after a name was read in place).
  bool advanceTo(size_t to) {
    if (to < pos_ || to > end_) return false;
    pos_ = to;
    return true;
  }
  // A window of exactly n bytes starting at the cursor; this reader moves past it. The caller
  // must consume the sub-reader exactly (check atEnd()).
  bool sub(size_t n, Reader& out) {
    if (remaining() < n) return false;
    out = Reader(msg_, msgLen_, pos_, pos_ + n);
    pos_ += n;
    return true;
  }

 private:
  Reader(const uint8_t* msg, size_t msgLen, size_t pos, size_t end)
      : msg_(msg), msgLen_(msgLen), pos_(pos), end_(end) {}
  const uint8_t* msg_;
  size_t msgLen_;
  size_t pos_;
  size_t end_;
};

}  // namespace parse
}  // namespace adbit
