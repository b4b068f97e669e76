#include "ptrace/wait_status.h"

#include <fmt/format.h>
#include <string.h>

namespace rrtr {

std::string WaitStatus::describe() const {
  if (exited()) return fmt::format("exit {}", exit_code());
  if (killed_by_signal()) return fmt::format("killed by {}", signal_name(fatal_signal()));
  if (is_syscall_stop()) return "syscall stop";
  if (is_seccomp_stop()) return "seccomp stop";
  if (is_exec_stop()) return "exec stop";
  if (ptrace_event()) return fmt::format("ptrace event {}", ptrace_event());
  if (stopped()) return fmt::format("signal stop {}", signal_name(WSTOPSIG(raw_)));
  return fmt::format("status {:#x}", raw_);
}

}  // namespace rrtr
