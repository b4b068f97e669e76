#include "trace/zstd_codec.h"

#include <zstd.h>

#include <memory>

#include "common/error.h"

namespace rrtr {

std::string zstd_compress(std::string_view raw, int level) {
  // One context per thread, kept: ZSTD_compress makes and frees one per call, ~20 us
  // of allocation and page faults each time (the recording's last chunk waits on it).
  struct FreeContext {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_CCtx, FreeContext> context(ZSTD_createCCtx());
  if (!context) fail(ExitCode::kInternal, "zstd: cannot allocate a compression context");
  // Uninitialised: only the compressed bytes are written, and a zero-filled buffer of
  // the bound faulted in every page of it (33 page faults, ~0.06 ms, for the 300
  // bytes a 132 KiB initial stack compresses to).
  const std::size_t bound = ZSTD_compressBound(raw.size());
  auto out = std::make_unique_for_overwrite<char[]>(bound);
  std::size_t n = ZSTD_compressCCtx(context.get(), out.get(), bound, raw.data(), raw.size(), level);
  if (ZSTD_isError(n)) fail(ExitCode::kInternal, "zstd compression failed: {}", ZSTD_getErrorName(n));
  return std::string(out.get(), n);
}

std::string zstd_decompress(std::string_view compressed, std::size_t expected_size, const char* what) {
  std::string out(expected_size, '\0');
  std::size_t n = ZSTD_decompress(out.data(), out.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(n) || n != expected_size)
    fail(ExitCode::kTraceCorrupt, "trace corrupted: {} does not decompress ({})", what,
         ZSTD_isError(n) ? ZSTD_getErrorName(n) : "wrong size");
  return out;
}

std::string zstd_decompress_framed(std::string_view compressed, const std::string& what) {
  unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ULL << 34))
    fail(ExitCode::kTraceCorrupt, "trace corrupted: {} is not a zstd frame", what);
  return zstd_decompress(compressed, static_cast<std::size_t>(size), what.c_str());
}

}  // namespace rrtr
