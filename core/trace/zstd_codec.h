// One-shot zstd compression of in-memory buffers.
#pragma once

#include <string>
#include <string_view>

namespace rrtr {

std::string zstd_compress(std::string_view raw, int level);
// `what` names the data in the TraceCorrupt error a damaged frame gives.
std::string zstd_decompress(std::string_view compressed, std::size_t expected_size, const char* what);
// For frames whose size is stored in the frame header (blobs).
std::string zstd_decompress_framed(std::string_view compressed, const std::string& what);

}  // namespace rrtr
