// Breakpoints and watchpoints of a debugger, armed in a tracee only while it runs.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gdb/debug_target.h"
#include "ptrace/task.h"

namespace rrtr {

// One hardware debug-register slot: an execution breakpoint or a watchpoint.
struct HardwareWatch {
  BreakpointType type = BreakpointType::kWriteWatch;
  std::uint64_t addr = 0;
  std::uint32_t len = 1;
  auto operator<=>(const HardwareWatch&) const = default;
};

// What is armed during one resume. Value type: replay positions store the set each
// resume ran with, since the same set from the same state stops at the same place.
struct BreakpointSet {
  std::set<std::uint64_t> software;
  std::vector<HardwareWatch> hardware;  // at most 4 (DR0..DR3)
  bool empty() const { return software.empty() && hardware.empty(); }
  bool operator==(const BreakpointSet&) const = default;
  BreakpointSet merged(const BreakpointSet& other) const;
  // Adds or removes what gdb asked for; false when it cannot be done (no free debug
  // register, unsupported length or alignment).
  bool insert(BreakpointType type, std::uint64_t addr, std::size_t kind);
  bool remove(BreakpointType type, std::uint64_t addr, std::size_t kind);
};

// Writes int3 bytes and programs the debug registers for the lifetime of the object.
class ArmedBreakpoints {
 public:
  ArmedBreakpoints(Task& task, const BreakpointSet& set);
  ~ArmedBreakpoints();
  ArmedBreakpoints(const ArmedBreakpoints&) = delete;
  ArmedBreakpoints& operator=(const ArmedBreakpoints&) = delete;

 private:
  Task& task_;
  std::vector<std::pair<std::uint64_t, char>> saved_;
  bool debug_regs_ = false;
};

// Which debug register fired (DR6 bits 0..3), clearing DR6; nullopt if none did.
std::optional<int> take_triggered_debug_register(Task& task);

}  // namespace rrtr
