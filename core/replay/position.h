// Exact positions in a replay without a tick counter.
//
// A position is an event boundary (how many events have been applied) followed by the
// debugger resumes made since then, each with the breakpoint set it ran with. Replay is
// deterministic and so is "run until the first hit of this set", so the same ops from
// the same boundary always stop at the same instruction. Ops never cross an event:
// a resume that does is re-based on the boundary it crossed.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "replay/breakpoints.h"

namespace rrtr {

// One debugger action since the boundary. Writes of registers or memory (gdb's `set
// var`, `call f()`) are ops too: replaying them makes the changed state reproducible.
struct Op {
  enum class Kind : std::uint8_t { kContinue, kStep, kWriteRegisters, kWriteMemory };
  Kind kind = Kind::kStep;
  BreakpointSet set;  // armed during a continue (hardware part also during a step)
  RegisterSnapshot regs;                // kWriteRegisters
  std::uint64_t addr = 0;               // kWriteMemory
  std::string bytes;                    // kWriteMemory
  bool operator==(const Op& o) const {
    return kind == o.kind && set == o.set && addr == o.addr && bytes == o.bytes &&
           std::memcmp(&regs, &o.regs, sizeof regs) == 0;
  }
};

struct Position {
  std::uint64_t boundary = 0;
  std::vector<Op> ops;
  bool operator==(const Position&) const = default;
  // True when `this` lies on the way to `later` (same or earlier, reachable by more ops).
  bool is_prefix_of(const Position& later) const {
    if (boundary != later.boundary) return boundary < later.boundary;
    if (ops.size() > later.ops.size()) return false;
    for (std::size_t i = 0; i < ops.size(); ++i)
      if (!(ops[i] == later.ops[i])) return false;
    return true;
  }
};

}  // namespace rrtr
