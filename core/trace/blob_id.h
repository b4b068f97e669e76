// Content address of a blob: XXH3-128 of its uncompressed bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rrtr {

// Names a blob in a store; equal content gives an equal id in every trace.
struct BlobId {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  auto operator<=>(const BlobId&) const = default;
  bool is_null() const { return high == 0 && low == 0; }

  static BlobId of(std::string_view content);
  std::string hex() const;
  static std::optional<BlobId> from_hex(std::string_view hex);
};

}  // namespace rrtr
