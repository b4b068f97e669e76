// Where the recorder's helper threads run.
#pragma once

#include <sched.h>

#include <algorithm>
#include <span>

namespace rrtr {

// The CPUs of `allowed` outside `busy`, or `allowed` when that leaves none: a helper
// thread there runs beside the recorder and its tracee (pinned to `busy`) instead of
// taking turns with them.
inline cpu_set_t cpus_beside(const cpu_set_t& allowed, const cpu_set_t& busy) {
  cpu_set_t others;
  CPU_XOR(&others, &allowed, &busy);
  CPU_AND(&others, &others, &allowed);
  return CPU_COUNT(&others) > 0 ? others : allowed;
}

// The CPU of `allowed` that the fewest of `in_use` (CPUs concurrent recorders are pinned
// to) name, the lowest on a tie; -1 if none is allowed.
inline int least_used_cpu(const cpu_set_t& allowed, std::span<const int> in_use) {
  int best = -1;
  long best_count = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    const long count = std::count(in_use.begin(), in_use.end(), cpu);
    if (best < 0 || count < best_count) best = cpu, best_count = count;
  }
  return best;
}

// The calling thread's CPUs (CPU 0 alone if the kernel will not say).
inline cpu_set_t current_cpus() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(0, sizeof cpus, &cpus) != 0) CPU_SET(0, &cpus);
  return cpus;
}

}  // namespace rrtr
