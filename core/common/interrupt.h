// SIGINT/SIGTERM handling for long-running tracer loops: the handler only sets a flag
// and, installed without SA_RESTART, makes a blocking waitpid return EINTR so the loop
// can stop the tracee and close the trace cleanly.
#pragma once

#include <sys/types.h>

#include <csignal>

namespace rrtr {

// Installs the handlers (idempotent).
void install_interrupt_handlers();
// The process the handler kills on SIGINT/SIGTERM/SIGHUP: its death wakes a waitpid
// whatever the tracer was doing when the signal came (no check-then-wait race).
void set_interrupt_victim(pid_t pid);
// The signal that interrupted us, or 0.
int interrupt_signal();

}  // namespace rrtr
