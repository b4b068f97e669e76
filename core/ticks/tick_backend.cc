#include "ticks/tick_backend.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "common/unique_fd.h"

namespace rrtr {

TickBackendInfo probe_tick_backends() {
  TickBackendInfo info;
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_HARDWARE;
  attr.config = PERF_COUNT_HW_BRANCH_INSTRUCTIONS;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  attr.disabled = 1;
  UniqueFd fd(static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0)));
  if (!fd.valid()) {
    info.detail = fmt::format("no hardware performance counter (perf_event_open: {})", std::strerror(errno));
    return info;
  }
  info.pmu_present = true;
  info.detail = "hardware branch counter present; the perf tick backend is not used for single-threaded recording";
  return info;
}

}  // namespace rrtr
