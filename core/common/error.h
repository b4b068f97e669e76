// Errors that end a command with a one-line message and a documented exit status.
#pragma once

#include <fmt/format.h>
#include <stdexcept>
#include <string>

#include "common/exit_codes.h"

namespace rrtr {

// Thrown for every expected failure (bad input, divergence, unsupported program); the
// CLI prints what() on one line, prefixed with the tool name, and exits with status().
class Error : public std::runtime_error {
 public:
  Error(ExitCode status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
  ExitCode status() const { return status_; }

 private:
  ExitCode status_;
};

template <typename... Args>
[[noreturn]] void fail(ExitCode status, fmt::format_string<Args...> f, Args&&... args) {
  throw Error(status, fmt::format(f, std::forward<Args>(args)...));
}

// For system calls the tracer itself makes: the message names the call and errno.
[[noreturn]] void fail_errno(std::string_view what);

}  // namespace rrtr
