// SIGINT/SIGTERM handling for long-running tracer loops: the handler only sets a flag
// and, installed without SA_RESTART, makes a blocking waitpid return EINTR so the loop
// can stop the tracee and close the trace cleanly.
#pragma once

#include <csignal>

namespace rrtr {

// Installs the handlers (idempotent).
void install_interrupt_handlers();
// The signal that interrupted us, or 0.
int interrupt_signal();

}  // namespace rrtr
