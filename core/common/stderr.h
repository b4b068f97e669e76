// The tool's own messages on stderr.
#pragma once

#include <cstdio>
#include <fmt/format.h>
#include <string>

namespace rrtr {

// Formats and writes to stderr, ignoring failure: stderr may be a full disk or a pipe
// whose reader left, and a message that cannot be shown must not turn a command that
// did its work into an error (fmt::print throws there).
template <typename... Args>
void print_stderr(fmt::format_string<Args...> f, Args&&... args) {
  const std::string s = fmt::format(f, std::forward<Args>(args)...);
  [[maybe_unused]] const auto written = std::fwrite(s.data(), 1, s.size(), stderr);
}

// Puts /dev/null, close-on-exec, on whichever of descriptors 0-2 the caller left
// closed: otherwise the first files the tool opens take those numbers and its messages
// land in them (a trace's event stream, for one). Close-on-exec, so a recorded program
// still starts with them closed, as it would natively.
void reserve_standard_descriptors();

}  // namespace rrtr
