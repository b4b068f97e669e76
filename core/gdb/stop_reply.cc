#include "gdb/stop_reply.h"

#include <fmt/format.h>

#include "gdb/gdb_signals.h"
#include "gdb/thread_id.h"

namespace rrtr::gdb {

namespace {

std::string_view watch_reason(BreakpointType type) {
  switch (type) {
    case BreakpointType::kReadWatch: return "rwatch";
    case BreakpointType::kAccessWatch: return "awatch";
    default: return "watch";
  }
}

}  // namespace

std::string format_stop_reply(const StopEvent& event, Direction direction, BreakpointReason breakpoint) {
  switch (event.kind) {
    case StopEvent::Kind::kExited: return fmt::format("W{:02x}", event.exit_code & 0xff);
    case StopEvent::Kind::kKilled: return fmt::format("X{:02x}", gdb_signal_from_host(event.signo));
    default: break;
  }
  std::string reply = fmt::format("T{:02x}", gdb_signal_from_host(event.signo));
  if (event.tid.value > 0) reply += fmt::format("thread:{};", format_thread_id(event.tid));
  switch (event.kind) {
    case StopEvent::Kind::kWatchpoint:
      reply += fmt::format("{}:{:x};", watch_reason(event.watch_type), event.watch_addr.value());
      break;
    case StopEvent::Kind::kNoHistory:
      reply += direction == Direction::kReverse ? "replaylog:begin;" : "replaylog:end;";
      break;
    default:
      if (breakpoint == BreakpointReason::kSoftware) reply += "swbreak:;";
      if (breakpoint == BreakpointReason::kHardware) reply += "hwbreak:;";
      break;
  }
  return reply;
}

}  // namespace rrtr::gdb
