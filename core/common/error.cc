#include "common/error.h"

#include <cerrno>
#include <cstring>

namespace rrtr {

void fail_errno(std::string_view what) {
  int e = errno;
  throw Error(ExitCode::kInternal, fmt::format("{}: {}", what, std::strerror(e)));
}

}  // namespace rrtr
