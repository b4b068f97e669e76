// Progress counters ("ticks") that can name a point in an execution between syscalls.
#pragma once

#include <string>

namespace rrtr {

// What this machine offers. Recording of single-threaded programs without async
// signals needs no tick counter: syscalls, faults and traps are exact points by
// themselves. `perf` (retired conditional branches) needs a hardware PMU; `cov`
// needs instrumented code. On a machine without either, the backend is "none".
struct TickBackendInfo {
  std::string name = "none";
  bool pmu_present = false;
  std::string detail;  // why a backend is unavailable, for people
};

// Probes perf_event_open for a hardware branch counter.
TickBackendInfo probe_tick_backends();

}  // namespace rrtr
