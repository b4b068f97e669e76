// A task's signal dispositions and mask as the kernel shows them in /proc.
#pragma once

#include <cstdint>

namespace rrtr {

class Task;

// The signals a task ignores, blocks and catches (bit N-1 for signal N), from
// /proc/TID/status: what a program inherits through exec (ignored, blocked), which a
// replay must start with too, and which handlers an exec resets (caught).
struct SignalState {
  std::uint64_t ignored = 0;
  std::uint64_t blocked = 0;
  std::uint64_t caught = 0;
};
SignalState signal_state(const Task& task);

// True when `signo` would be ignored by the task (SIG_IGN, or default-ignore and not caught).
bool signal_is_ignored(const Task& task, int signo);

}  // namespace rrtr
