// The seccomp-bpf program every tracee runs under, built from the syscall table.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "ptrace/remote_syscalls.h"

namespace rrtr {

// Whether the syscall buffer's gadget runs without a stop: while recording it does (the
// preload logs the call); a replay stops there and answers from the trace.
enum class BufferedGadget { kAllow, kTrace };

// Which calls run without a stop: the table's native ones, or also those its rows let
// run during the program's start-up, before the start-up snapshot (a recording's first
// filter; the recording's own is added over it at the snapshot).
enum class FilterStage { kRunning, kStartUp };

// Lets the stage's syscalls and the engine page's gadgets run without a stop, answers
// the rows refused by the filter itself, and turns every other syscall into a
// PTRACE_EVENT_SECCOMP stop.
std::vector<sock_filter> build_seccomp_filter(BufferedGadget buffered, FilterStage stage = FilterStage::kRunning);
// Installs it in the calling process (after PR_SET_NO_NEW_PRIVS); false on failure.
bool install_seccomp_filter(const std::vector<sock_filter>& prog);
// The call of a batch of `rs` that installs `prog` in the tracee, whose no_new_privs is
// set; the program is copied into `rs`'s scratch page. Filters only add up: the tracee's
// earlier ones still apply.
RemoteSyscalls::Call remote_seccomp_filter(RemoteSyscalls& rs, const std::vector<sock_filter>& prog);

}  // namespace rrtr
