// Hits of one instruction address counted by the kernel, without a ptrace stop per hit.
#pragma once

#include <cstdint>
#include <optional>

#include "common/types.h"
#include "common/unique_fd.h"

namespace rrtr {

// A perf breakpoint event (PERF_TYPE_BREAKPOINT) on an execution address of one task.
// It needs the debug registers, not a performance-monitoring unit, so it works on
// the VMs without a PMU where hardware tick counters do not. Each hit still costs a
// debug exception in the kernel (microseconds) but no trip to the tracer (tens of
// microseconds); with `stop_after`, the Nth hit stops the task with a SIGTRAP whose
// si_code is TRAP_PERF, before that instruction runs.
class BreakpointCounter {
 public:
  // nullopt when the kernel refuses (no perf_event_open, no free debug register).
  static std::optional<BreakpointCounter> open(Pid task, std::uint64_t addr, std::uint64_t stop_after = 0);
  std::uint64_t hits() const;

 private:
  explicit BreakpointCounter(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

// Whether a SIGTRAP stop of `task` came from a BreakpointCounter's stop_after.
bool is_breakpoint_counter_stop(Pid task);

}  // namespace rrtr
