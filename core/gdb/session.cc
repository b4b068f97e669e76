#include "gdb/session.h"

#include <algorithm>

#include "gdb/connection.h"
#include "gdb/hex.h"

namespace rrtr::gdb {

bool Session::send_console_output(std::string_view text) {
  // Hex doubles the text; chunks keep each packet well under the packet size.
  constexpr std::size_t kChunk = kMaxReplyData;
  while (!text.empty()) {
    std::string_view part = text.substr(0, kChunk);
    if (!connection_.send("O" + hex_encode(part))) return false;
    text.remove_prefix(part.size());
  }
  return true;
}

std::string Session::resume(Tid tid, Direction direction, ResumeKind kind, int host_signal) {
  StopEvent event;
  {
    // Armed before the watch starts: a Ctrl-C already queued behind the resume packet
    // is delivered at once, so the target must keep an interrupt that arrives just
    // before resume() is entered.
    {
      std::lock_guard lock(interrupt_mutex_);
      resuming_ = true;
    }
    auto watch = connection_.watch_for_interrupts([this] {
      std::lock_guard lock(interrupt_mutex_);
      if (resuming_) target_.request_interrupt();
    });
    try {
      event = target_.resume(tid, direction, kind, host_signal);
    } catch (...) {
      std::lock_guard lock(interrupt_mutex_);
      resuming_ = false;
      throw;
    }
    std::lock_guard lock(interrupt_mutex_);
    resuming_ = false;
  }
  last_direction = direction;
  if (event.tid.value > 0) general_thread = {ThreadSelector::Kind::kThread, event.tid};
  return stop_reply(event, direction);
}

std::string Session::stop_reply(const StopEvent& event, Direction direction) {
  BreakpointReason reason = BreakpointReason::kNone;
  if (event.kind == StopEvent::Kind::kSignal && event.breakpoint) {
    // The target only says "a breakpoint"; which kind is decided by what gdb inserted
    // at the pc.
    std::uint64_t pc = target_.read_registers(event.tid).gpr.rip;
    bool hardware = breakpoints.count({BreakpointType::kHardware, pc}) != 0 &&
                    breakpoints.count({BreakpointType::kSoftware, pc}) == 0;
    if (hardware && gdb_reports_hwbreak) reason = BreakpointReason::kHardware;
    if (!hardware && gdb_reports_swbreak) reason = BreakpointReason::kSoftware;
  }
  return format_stop_reply(event, direction, reason);
}

bool Session::thread_exists(Tid tid) {
  auto threads = target_.threads();
  return std::find(threads.begin(), threads.end(), tid) != threads.end();
}

Tid Session::current_thread() {
  auto threads = target_.threads();
  if (general_thread.kind == ThreadSelector::Kind::kThread &&
      std::find(threads.begin(), threads.end(), general_thread.tid) != threads.end()) {
    return general_thread.tid;
  }
  Tid stopped = target_.last_stop().tid;
  if (std::find(threads.begin(), threads.end(), stopped) != threads.end()) return stopped;
  return threads.empty() ? stopped : threads.front();
}

Tid Session::resolve(const ThreadSelector& selector) {
  return selector.kind == ThreadSelector::Kind::kThread ? selector.tid : current_thread();
}

}  // namespace rrtr::gdb
