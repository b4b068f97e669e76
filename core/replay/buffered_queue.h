// Replay of the calls the preload made without a stop (rrtr/syscall_buffer_abi.h): the
// queue the hooks answer from, and the log they leave.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ptrace/syscall_buffer.h"
#include "trace/event.h"

namespace rrtr {

class Task;

// Builds the replay queue from buffered syscall events, in order.
class QueueBuilder {
 public:
  // Adds `e`; false (and nothing added) when it does not fit.
  bool add(const SyscallEvent& e);
  std::uint64_t count() const { return count_; }
  // Writes the queue into the stopped tracee, replacing the one there.
  void write_to(Task& task) const;

 private:
  std::string bytes_;
  std::uint64_t count_ = 0;
};

// The records the hooks logged from byte `from` of the log, and where the log ends.
struct LoggedCalls {
  std::unique_ptr<const std::string> log;  // the bytes read, which `calls` view (moves keep them in place)
  std::vector<BufferedCall> calls;
  std::uint64_t end = 0;
};
LoggedCalls read_log_since(const Task& task, std::uint64_t from);

}  // namespace rrtr
