// The seccomp-bpf program every tracee runs under, built from the syscall table.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace rrtr {

// Lets the table's native syscalls and the engine page's gadget run without a stop;
// every other syscall becomes a PTRACE_EVENT_SECCOMP stop.
std::vector<sock_filter> build_seccomp_filter();
// Installs it in the calling process (after PR_SET_NO_NEW_PRIVS); false on failure.
bool install_seccomp_filter(const std::vector<sock_filter>& prog);

}  // namespace rrtr
