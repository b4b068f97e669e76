// Encodes test events as the JSON payloads documented in rrtr/marker_abi.h and sends
// them through the marker side channel. Shared by every framework adapter so that all
// frameworks produce byte-for-byte comparable payloads.
#ifndef RRTR_ADAPTER_MARKERS_H
#define RRTR_ADAPTER_MARKERS_H

#include <cstdint>
#include <string>
#include <string_view>

namespace rrtr::markers {

// Where a failed assertion came from. Frameworks sometimes do not know (a failure
// raised outside any test body); then file is empty and line is 0, so the recorder
// can rely on both keys being present.
struct SourceLocation {
  std::string_view file;
  long line = 0;
};

// The send functions are noexcept and leave errno as they found it: they run inside
// the user's test, and any visible side effect would make a recorded run differ from
// a plain one.
void test_started(std::string_view framework, std::string_view name) noexcept;
void assertion_failed(std::string_view name, SourceLocation where,
                      std::string_view message) noexcept;
// `skipped` is sent only when true; a skipped test is not a failure, so `passed`
// stays true for it.
void test_ended(std::string_view name, bool passed, bool skipped,
                std::int64_t duration_ms) noexcept;

// The payload assertion_failed would send. Long messages are cut (at a UTF-8
// boundary, with a visible suffix) so the payload fits RRTR_MARKER_MAX_PAYLOAD:
// the recorder's own truncation would leave invalid JSON.
std::string assertion_failed_payload(std::string_view name, SourceLocation where,
                                     std::string_view message);

}  // namespace rrtr::markers

#endif
