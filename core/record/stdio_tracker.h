// Which tracee file descriptors write to the recorder's own stdout and stderr.
#pragma once

#include <cstdint>
#include <map>

#include "ptrace/registers.h"
#include "syscalls/syscall_table.h"

namespace rrtr {

class Task;

// A model of the program's descriptor table, reduced to one question: does a write to
// fd N reach the terminal/pipe the program inherited as stdout (1) or stderr (2)?
// Replay echoes exactly those writes, so `replay` prints what the program printed.
class StdioTracker {
 public:
  StdioTracker() : streams_{{1, 1}, {2, 2}} {}
  // Updates the model after a completed call, by the table's fd effect.
  void after_syscall(const SyscallInfo& info, const Task& task, const Registers& after);
  // 1 or 2 when a write to `fd` reaches stdout/stderr, else 0.
  std::uint8_t stream_of(std::uint64_t fd) const;
  // After calls the model did not see (the start-up's): forgets descriptors that no
  // longer name the recorder's own stdout/stderr.
  void forget_replaced(const Task& task);

 private:
  std::map<std::uint64_t, std::uint8_t> streams_;
};

}  // namespace rrtr
