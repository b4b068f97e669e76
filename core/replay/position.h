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
//
// A continue or step op runs `count` times. Counted continues are what the engine's
// own searches make (a hot loop passes a breakpoint once per iteration, and a
// position a million hits in must stay small): trigger j > 1 starts by stepping over
// the instruction at the pc when a software breakpoint of the set is there, or by
// setting the resume flag when a hardware one is, then continues.
// The rule depends on the state only, so a count resumed from a checkpoint taken
// part-way runs exactly as the uninterrupted one.
struct Op {
  enum class Kind : std::uint8_t { kContinue, kStep, kWriteRegisters, kWriteMemory };
  Kind kind = Kind::kStep;
  BreakpointSet set;  // armed during a continue (hardware part also during a step)
  std::uint64_t count = 1;              // kContinue, kStep
  RegisterSnapshot regs;                // kWriteRegisters
  std::uint64_t addr = 0;               // kWriteMemory
  std::string bytes;                    // kWriteMemory
  // The same action, whatever the count.
  bool same_action(const Op& o) const {
    return kind == o.kind && set == o.set && addr == o.addr && bytes == o.bytes &&
           std::memcmp(&regs, &o.regs, sizeof regs) == 0;
  }
  bool operator==(const Op& o) const { return count == o.count && same_action(o); }
  static Op step(BreakpointSet set = {}) { return make(Kind::kStep, std::move(set), 1); }
  static Op resume(BreakpointSet set, std::uint64_t count = 1) { return make(Kind::kContinue, std::move(set), count); }
  Op times(std::uint64_t n) const {
    Op o = *this;
    o.count = n;
    return o;
  }

 private:
  static Op make(Kind kind, BreakpointSet set, std::uint64_t count) {
    Op o;
    o.kind = kind;
    o.set = std::move(set);
    o.count = count;
    return o;
  }
};

struct Position {
  std::uint64_t boundary = 0;
  std::vector<Op> ops;
  bool operator==(const Position&) const = default;
  // True when `this` lies on the way to `later` (same or earlier, reachable by more ops,
  // or by more runs of its last op).
  bool is_prefix_of(const Position& later) const {
    if (boundary != later.boundary) return boundary < later.boundary;
    if (ops.size() > later.ops.size()) return false;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const bool last = i + 1 == ops.size();
      if (last ? !ops[i].same_action(later.ops[i]) || ops[i].count > later.ops[i].count : !(ops[i] == later.ops[i]))
        return false;
    }
    return true;
  }
};

}  // namespace rrtr
