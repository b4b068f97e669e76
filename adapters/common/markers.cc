#include "rrtr/adapter_markers.h"

#include <cerrno>
#include <utility>

#include <nlohmann/json.hpp>

#include "rrtr/marker_abi.h"

namespace rrtr::markers {
namespace {

using nlohmann::json;

constexpr std::string_view kTruncatedSuffix = " [message truncated by rrtr]";

// Test output is arbitrary bytes; invalid UTF-8 must become U+FFFD instead of
// making dump() throw and losing the whole event.
std::string encode(const json& payload) {
  return payload.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  // Backing up over continuation bytes keeps the last code point whole.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

void send(rrtr_marker_kind kind, const std::string& payload) {
  rrtr_marker(kind, payload.data(), payload.size());
}

// Exceptions (bad_alloc) and errno changes from the encoding must not leak into
// the test that triggered the event.
template <class Body>
void guarded(Body&& body) noexcept {
  const int saved_errno = errno;
  try {
    std::forward<Body>(body)();
  } catch (...) {
  }
  errno = saved_errno;
}

}  // namespace

std::string assertion_failed_payload(std::string_view name, SourceLocation where,
                                     std::string_view message) {
  std::string_view kept = message;
  bool truncated = false;
  for (;;) {
    std::string text(kept);
    if (truncated) text += kTruncatedSuffix;
    std::string out = encode(json{{"name", name},
                                  {"file", where.file},
                                  {"line", where.line},
                                  {"message", std::move(text)}});
    if (out.size() <= RRTR_MARKER_MAX_PAYLOAD || kept.empty()) return out;
    // Each dropped input byte shrinks the escaped output by at least one byte, so
    // one pass normally suffices; the loop covers the suffix's own length.
    const std::size_t excess = out.size() - RRTR_MARKER_MAX_PAYLOAD + kTruncatedSuffix.size();
    kept = utf8_prefix(kept, kept.size() > excess ? kept.size() - excess : 0);
    truncated = true;
  }
}

void test_started(std::string_view framework, std::string_view name) noexcept {
  guarded([&] {
    send(RRTR_MARKER_TEST_STARTED, encode(json{{"framework", framework}, {"name", name}}));
  });
}

void assertion_failed(std::string_view name, SourceLocation where,
                      std::string_view message) noexcept {
  guarded([&] {
    send(RRTR_MARKER_ASSERTION_FAILED, assertion_failed_payload(name, where, message));
  });
}

void test_ended(std::string_view name, bool passed, bool skipped,
                std::int64_t duration_ms) noexcept {
  guarded([&] {
    json payload{{"name", name}, {"passed", passed}, {"duration_ms", duration_ms}};
    if (skipped) payload["skipped"] = true;
    send(RRTR_MARKER_TEST_ENDED, encode(payload));
  });
}

}  // namespace rrtr::markers
