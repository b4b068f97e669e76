// A decoded waitpid status of a ptraced task.
#pragma once

#include <sys/ptrace.h>
#include <sys/wait.h>

#include <csignal>
#include <string>

#include "common/interrupt.h"

namespace rrtr {

// One stop or exit of a tracee, classified the way ptrace(2) describes them.
class WaitStatus {
 public:
  WaitStatus() = default;
  explicit WaitStatus(int raw) : raw_(raw) {}
  int raw() const { return raw_; }

  bool exited() const { return WIFEXITED(raw_); }
  int exit_code() const { return WEXITSTATUS(raw_); }
  bool killed_by_signal() const { return WIFSIGNALED(raw_); }
  int fatal_signal() const { return WTERMSIG(raw_); }
  bool is_gone() const { return exited() || killed_by_signal(); }
  // The status a shell would report: the exit code, or 128 + signal.
  int shell_status() const { return exited() ? exit_code() : 128 + fatal_signal(); }

  bool stopped() const { return WIFSTOPPED(raw_); }
  int ptrace_event() const { return stopped() ? (raw_ >> 16) & 0xff : 0; }
  bool is_syscall_stop() const { return stopped() && WSTOPSIG(raw_) == (SIGTRAP | 0x80); }
  bool is_seccomp_stop() const { return ptrace_event() == PTRACE_EVENT_SECCOMP; }
  bool is_exec_stop() const { return ptrace_event() == PTRACE_EVENT_EXEC; }
  bool is_group_stop() const { return ptrace_event() == PTRACE_EVENT_STOP; }
  // A signal-delivery-stop: the signal about to be delivered, or 0.
  int delivered_signal() const {
    return stopped() && ptrace_event() == 0 && !is_syscall_stop() ? WSTOPSIG(raw_) : 0;
  }

  std::string describe() const;

 private:
  int raw_ = 0;
};


}  // namespace rrtr
