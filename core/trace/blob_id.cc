#include "trace/blob_id.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <charconv>

namespace rrtr {

BlobId BlobId::of(std::string_view content) {
  XXH128_hash_t h = XXH3_128bits(content.data(), content.size());
  return BlobId{h.high64, h.low64};
}

std::string BlobId::hex() const { return fmt::format("{:016x}{:016x}", high, low); }

std::optional<BlobId> BlobId::from_hex(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  BlobId id;
  auto parse = [](std::string_view s, std::uint64_t& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
    return ec == std::errc() && p == s.data() + s.size();
  };
  if (!parse(hex.substr(0, 16), id.high) || !parse(hex.substr(16), id.low)) return std::nullopt;
  return id;
}

}  // namespace rrtr
