#include "ptrace/wait_status.h"

#include <fmt/format.h>
#include <string.h>

namespace rrtr {

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  if (abbrev) return std::string("SIG") + abbrev;
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) return fmt::format("SIGRTMIN+{}", sig - SIGRTMIN);
  return fmt::format("signal {}", sig);
}

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
