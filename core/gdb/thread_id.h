// Thread ids on the wire. The server reports multiprocess-, so it writes a thread as
// its bare kernel tid in hex; it still accepts gdb's multiprocess form `p<pid>.<tid>`
// in case a client sends it anyway.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/types.h"

namespace rrtr::gdb {

// A thread-id argument: a specific thread, or one of gdb's wildcards.
struct ThreadSelector {
  enum class Kind : std::uint8_t {
    kAll,     // "-1"
    kAny,     // "0"
    kThread,  // `tid`
  };
  Kind kind = Kind::kAny;
  Tid tid;
};

std::optional<ThreadSelector> parse_thread_id(std::string_view text);
std::string format_thread_id(Tid tid);

}  // namespace rrtr::gdb
