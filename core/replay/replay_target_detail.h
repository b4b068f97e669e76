// Helpers shared by the files that implement ReplayTarget (replay_target.cc,
// replay_runs.cc, reverse_search.cc); not part of its interface.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "gdb/debug_target.h"
#include "replay/position.h"

namespace rrtr::replay_detail {

// Stop kinds run_op reports besides the debugger-visible ones.
inline constexpr int kBoundarySignal = 0;  // crossed an event boundary (stop_at_boundary)

inline bool is_breakpoint(const StopEvent& s) { return s.kind == StopEvent::Kind::kSignal && s.breakpoint; }
inline bool is_watch(const StopEvent& s) { return s.kind == StopEvent::Kind::kWatchpoint; }

// Whether a trigger at `s` belongs to `set` (the breakpoint address, or the watched slot).
inline bool triggered_by(const StopEvent& s, const BreakpointSet& set, std::uint64_t pc) {
  if (is_watch(s)) {
    for (const auto& h : set.hardware)
      if (h.type != BreakpointType::kHardware && h.addr == s.watch_addr.value()) return true;
    return false;
  }
  if (!is_breakpoint(s)) return false;
  if (set.software.count(pc)) return true;
  for (const auto& h : set.hardware)
    if (h.type == BreakpointType::kHardware && h.addr == pc) return true;
  return false;
}

inline BreakpointSet hardware_only(const BreakpointSet& set) {
  BreakpointSet h;
  h.hardware = set.hardware;
  return h;
}

// RRTR_DEBUG_POSITIONS=1: every resume and search step on stderr, for debugging.
inline bool debug_positions() {
  static const bool on = std::getenv("RRTR_DEBUG_POSITIONS") != nullptr;
  return on;
}

inline std::string describe(const Position& p) {
  std::string s = fmt::format("event {}", p.boundary);
  for (const auto& op : p.ops) {
    s += op.kind == Op::Kind::kStep ? " s" : fmt::format(" c{}", op.set.software.size() + op.set.hardware.size());
    if (op.count > 1) s += fmt::format("x{}", op.count);
  }
  return s;
}

}  // namespace rrtr::replay_detail
