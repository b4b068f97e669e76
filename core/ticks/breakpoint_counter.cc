#include "ticks/breakpoint_counter.h"

#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

namespace rrtr {

namespace {
// si_code of a SIGTRAP sent by a perf event with attr.sigtrap (linux/include/uapi/asm-generic/siginfo.h).
constexpr int kTrapPerf = 6;
}  // namespace

std::optional<BreakpointCounter> BreakpointCounter::open(Pid task, std::uint64_t addr, std::uint64_t stop_after) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.size = sizeof attr;
  attr.bp_type = HW_BREAKPOINT_X;
  attr.bp_addr = addr;
  attr.bp_len = sizeof(long);  // what the kernel requires for execution breakpoints
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  if (stop_after > 0) {
    attr.sample_period = stop_after;
    attr.sigtrap = 1;
    attr.remove_on_exec = 1;  // the kernel requires it with sigtrap
  }
  const int fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, task.value, -1, -1, PERF_FLAG_FD_CLOEXEC));
  if (fd < 0) return std::nullopt;
  return BreakpointCounter(UniqueFd(fd));
}

std::uint64_t BreakpointCounter::hits() const {
  std::uint64_t n = 0;
  if (::read(fd_.get(), &n, sizeof n) != sizeof n) return 0;
  return n;
}

bool is_breakpoint_counter_stop(Pid task) {
  siginfo_t si{};
  return ptrace(PTRACE_GETSIGINFO, task.value, nullptr, &si) == 0 && si.si_signo == SIGTRAP && si.si_code == kTrapPerf;
}

}  // namespace rrtr
