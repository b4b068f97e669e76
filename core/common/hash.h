// XXH3 over byte strings, the one fast hash of the engine.
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <string_view>

namespace rrtr {

inline std::uint64_t hash64(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

}  // namespace rrtr
