// Little-endian encoding of trace records, with bounds-checked decoding: every read
// from a damaged trace ends in a TraceCorrupt error, never an out-of-bounds access.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/error.h"

namespace rrtr {

// Appends fixed-width little-endian values and length-prefixed byte strings.
class ByteWriter {
 public:
  // Appends to `out`: an event is encoded straight into its chunk, not copied there
  // (a start-up snapshot is some 200 KiB).
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void bytes(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }

 private:
  std::string& out_;
};

// Reads what ByteWriter wrote; `what` names the record in error messages.
class ByteReader {
 public:
  ByteReader(std::string_view in, const char* what) : in_(in), what_(what) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint32_t u32() { return get<std::uint32_t>(); }
  std::uint64_t u64() { return get<std::uint64_t>(); }
  std::int64_t i64() { return get<std::int64_t>(); }
  std::string bytes() {
    std::uint64_t n = u64();
    return std::string(take(n));
  }
  void raw(void* p, std::size_t n) { std::memcpy(p, take(n).data(), n); }
  bool at_end() const { return pos_ == in_.size(); }
  std::size_t pos() const { return pos_; }

 private:
  template <typename T>
  T get() {
    T v;
    std::memcpy(&v, take(sizeof v).data(), sizeof v);
    return v;
  }
  std::string_view take(std::uint64_t n) {
    if (n > in_.size() - pos_)
      fail(ExitCode::kTraceCorrupt, "trace corrupted: {} record ends early (wants {} bytes at offset {}, has {})",
           what_, n, pos_, in_.size() - pos_);
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view in_;
  const char* what_;
  std::size_t pos_ = 0;
};

}  // namespace rrtr
