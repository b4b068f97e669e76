// SIGINT/SIGTERM handling for long-running tracer loops: the handler only sets a flag
// and, installed without SA_RESTART, makes a blocking waitpid return EINTR so the loop
// can stop the tracee and close the trace cleanly.
#pragma once

#include <sys/types.h>

#include <csignal>
#include <string>

namespace rrtr {

// Installs the handlers (idempotent).
void install_interrupt_handlers();
// The handlers back to the default actions: in a child that shares our memory until its
// exec (CLONE_VM), where our handler would kill the tracee of the engine it runs in.
void reset_interrupt_handlers();
// The process the handler kills on SIGINT/SIGTERM/SIGHUP: its death wakes a waitpid
// whatever the tracer was doing when the signal came (no check-then-wait race).
void set_interrupt_victim(pid_t pid);
// The signal that interrupted us, or 0.
int interrupt_signal();
// Throws Error(kInterrupted) naming the signal, if one came: what a tracer step that
// failed (a waitpid woken by EINTR, a tracee the handler killed) means then.
void fail_if_interrupted();

// "SIGSEGV", "SIGRTMIN+3", "signal 99".
std::string signal_name(int sig);

// Holds SIGINT/SIGTERM/SIGHUP back on this thread while it lives; one that came is
// handled when it ends. For a step that must not be cut in two: a process made inside
// the tracee must be ours before an interruption kills the tracee, or it is left over.
class InterruptsDeferred {
 public:
  InterruptsDeferred();
  ~InterruptsDeferred();
  InterruptsDeferred(const InterruptsDeferred&) = delete;
  InterruptsDeferred& operator=(const InterruptsDeferred&) = delete;
  // The mask before this object held the signals back.
  const sigset_t& previous_mask() const { return old_; }

 private:
  sigset_t old_;
};

}  // namespace rrtr
