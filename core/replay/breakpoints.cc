#include "replay/breakpoints.h"

#include <algorithm>

#include "common/error.h"

namespace rrtr {

namespace {
bool is_hardware(BreakpointType t) { return t != BreakpointType::kSoftware; }

std::optional<HardwareWatch> make_hardware(BreakpointType type, std::uint64_t addr, std::size_t kind) {
  std::uint32_t len = type == BreakpointType::kHardware ? 1 : static_cast<std::uint32_t>(kind);
  if (len != 1 && len != 2 && len != 4 && len != 8) return std::nullopt;
  if (addr % len != 0) return std::nullopt;  // the debug registers need natural alignment
  return HardwareWatch{type, addr, len};
}

// DR7 fields for one slot: R/W bits (00 exec, 01 write, 11 read/write) and LEN bits.
std::uint64_t dr7_bits(int slot, const HardwareWatch& w) {
  std::uint64_t rw = w.type == BreakpointType::kHardware ? 0 : w.type == BreakpointType::kWriteWatch ? 1 : 3;
  std::uint64_t len = w.len == 1 ? 0 : w.len == 2 ? 1 : w.len == 8 ? 2 : 3;
  if (w.type == BreakpointType::kHardware) len = 0;
  return (1ULL << (slot * 2)) | (rw << (16 + slot * 4)) | (len << (18 + slot * 4));
}
}  // namespace

BreakpointSet BreakpointSet::merged(const BreakpointSet& other) const {
  BreakpointSet m = *this;
  m.software.insert(other.software.begin(), other.software.end());
  for (const auto& h : other.hardware)
    if (std::find(m.hardware.begin(), m.hardware.end(), h) == m.hardware.end()) m.hardware.push_back(h);
  return m;
}

bool BreakpointSet::insert(BreakpointType type, std::uint64_t addr, std::size_t kind) {
  if (!is_hardware(type)) {
    software.insert(addr);
    return true;
  }
  auto w = make_hardware(type, addr, kind);
  if (!w || hardware.size() >= 4) return false;
  if (std::find(hardware.begin(), hardware.end(), *w) == hardware.end()) hardware.push_back(*w);
  return true;
}

bool BreakpointSet::remove(BreakpointType type, std::uint64_t addr, std::size_t kind) {
  if (!is_hardware(type)) return software.erase(addr) > 0;
  auto w = make_hardware(type, addr, kind);
  if (!w) return false;
  auto it = std::find(hardware.begin(), hardware.end(), *w);
  if (it == hardware.end()) return false;
  hardware.erase(it);
  return true;
}

ArmedBreakpoints::ArmedBreakpoints(Task& task, const BreakpointSet& set) : task_(task) {
  for (auto addr : set.software) {
    char orig;
    if (task.try_read_mem(RemotePtr(addr), &orig, 1) != 1) continue;  // unmapped for now
    if (task.try_write_mem(RemotePtr(addr), std::string_view("\xcc", 1))) saved_.push_back({addr, orig});
  }
  if (set.hardware.size() > 4) fail(ExitCode::kInternal, "more than four hardware breakpoints");
  std::uint64_t dr7 = 0;
  for (std::size_t i = 0; i < set.hardware.size(); ++i) {
    // The kernel refuses addresses outside user space; such a slot just never fires.
    if (!task.try_set_debug_reg(static_cast<int>(i), set.hardware[i].addr)) continue;
    dr7 |= dr7_bits(static_cast<int>(i), set.hardware[i]);
  }
  if (dr7) {
    task.set_debug_reg(7, dr7);
    debug_regs_ = true;
  }
}

ArmedBreakpoints::~ArmedBreakpoints() {
  try {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it)
      task_.try_write_mem(RemotePtr(it->first), std::string_view(&it->second, 1));
    if (debug_regs_) task_.set_debug_reg(7, 0);
  } catch (const Error&) {
    // The tracee is gone; nothing to restore.
  }
}

std::optional<int> take_triggered_debug_register(Task& task) {
  std::uint64_t dr6 = task.debug_reg(6);
  if (!(dr6 & 0xf)) return std::nullopt;
  task.set_debug_reg(6, 0);
  for (int i = 0; i < 4; ++i)
    if (dr6 & (1ULL << i)) return i;
  return std::nullopt;
}

}  // namespace rrtr
