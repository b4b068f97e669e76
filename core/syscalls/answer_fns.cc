#include "syscalls/answer_fns.h"

#include <errno.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <string_view>

#include "ptrace/task.h"

namespace rrtr {

namespace {

// Writes `value` where the tracee asked, with the page protections the kernel's own
// copy would meet (process_vm_writev, unlike /proc/PID/mem, refuses read-only pages):
// its answer to an unmapped or read-only pointer is EFAULT.
template <typename T>
std::int64_t write_out(Task& task, std::uint64_t addr, const T& value, std::int64_t result) {
  iovec local{const_cast<T*>(&value), sizeof value};
  iovec remote{reinterpret_cast<void*>(addr), sizeof value};
  if (::process_vm_writev(task.tid().value, &local, 1, &remote, 1, 0) != static_cast<ssize_t>(sizeof value))
    return -EFAULT;
  return result;
}

bool system_wide_clock(clockid_t id) {
  switch (id) {
    case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME: case CLOCK_TAI:
      return true;
    default:  // CPU-time clocks are per process; dynamic clocks name devices
      return false;
  }
}

}  // namespace

// Single-threaded tracees: the thread id is the process id.
std::optional<std::int64_t> answer_getpid(Task& task, const Registers&) { return task.tid().value; }

// The tracee is the recorder's own child (TraceeProcess forks it).
std::optional<std::int64_t> answer_getppid(Task&, const Registers&) { return ::getpid(); }

std::optional<std::int64_t> answer_clock_gettime(Task& task, const Registers& entry) {
  const auto id = static_cast<clockid_t>(entry.arg(0));
  if (!system_wide_clock(id)) return std::nullopt;
  timespec ts{};
  if (::clock_gettime(id, &ts) != 0) return std::nullopt;
  return write_out(task, entry.arg(1), ts, 0);
}

std::optional<std::int64_t> answer_gettimeofday(Task& task, const Registers& entry) {
  if (entry.arg(1) != 0) return std::nullopt;  // the obsolete timezone: left to the kernel
  if (entry.arg(0) == 0) return 0;
  timeval tv{};
  ::gettimeofday(&tv, nullptr);
  return write_out(task, entry.arg(0), tv, 0);
}

std::optional<std::int64_t> answer_time(Task& task, const Registers& entry) {
  const std::int64_t now = ::time(nullptr);
  if (entry.arg(0) == 0) return now;
  return write_out(task, entry.arg(0), now, now);
}

}  // namespace rrtr
