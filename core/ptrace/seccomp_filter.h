// The seccomp-bpf program every tracee runs under, built from the syscall table.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace rrtr {

// Whether the syscall buffer's gadget runs without a stop: while recording it does (the
// preload logs the call); a replay stops there and answers from the trace.
enum class BufferedGadget { kAllow, kTrace };

// Lets the table's native syscalls and the engine page's gadget run without a stop;
// every other syscall becomes a PTRACE_EVENT_SECCOMP stop.
std::vector<sock_filter> build_seccomp_filter(BufferedGadget buffered);
// Installs it in the calling process (after PR_SET_NO_NEW_PRIVS); false on failure.
bool install_seccomp_filter(const std::vector<sock_filter>& prog);

}  // namespace rrtr
