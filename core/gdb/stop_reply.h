// The packets that tell gdb why the target stopped (the manual's "Stop Reply Packets").
#pragma once

#include <cstdint>
#include <string>

#include "gdb/debug_target.h"

namespace rrtr::gdb {

// Which breakpoint stop reason a stop carries; none when gdb did not say it understands
// the reason, so that gdb falls back to its own pc-based check.
enum class BreakpointReason : std::uint8_t { kNone, kSoftware, kHardware };

// `T05thread:<tid>;[swbreak:;|hwbreak:;|watch:<addr>;|replaylog:begin;]` for stops,
// `W<code>` for an exit, `X<signal>` for death by a signal. `direction` is the one the
// target last ran in: running out of history backwards is "begin", forwards "end".
std::string format_stop_reply(const StopEvent& event, Direction direction, BreakpointReason breakpoint);

}  // namespace rrtr::gdb
