// The recorder's snapshots of the program's address space: after every exec, and at
// the end of the first exec's start-up.
#pragma once

#include <linux/filter.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ptrace/remote_syscalls.h"
#include "ptrace/task.h"
#include "ptrace/tracee_process.h"
#include "trace/event.h"
#include "trace/trace_dir.h"

namespace rrtr {

// At the PTRACE_EVENT_EXEC stop: maps the engine page and hides the vDSO from the
// program so its time calls become syscalls. Arms no trap: the start-up runs as natively.
void prepare_after_exec(Task& task);
// At the stop after the program's first exec (TraceeProcess::spawn_program), before any
// instruction of it ran: prepare_after_exec, then in one batch the start-up's seccomp
// filter and `also` (the inherited syscall buffer's mapping). Installed here rather
// than before the exec, the engine page's poked gadget runs unfiltered.
void prepare_program_start(Task& task, const std::vector<sock_filter>& startup_filter,
                           std::span<const RemoteSyscalls::Call> also);

// At the PTRACE_EVENT_EXEC stop of a later exec: prepare_after_exec, then re-arms
// rdtsc trapping and, where the machine has it, cpuid faulting (the kernel resets it
// at exec), and captures the new address space.
ExecEvent snapshot_after_exec(Task& task, TraceWriter& trace, const std::string& exe, bool cpuid_faulting);

// The end of the start-up: the snapshot event without its mappings, and a stopped
// copy of the program (a fork) to capture them from while the program goes on.
struct StartupSnapshot {
  ExecEvent event;
  std::unique_ptr<TraceeProcess> copy;
  std::vector<std::uint64_t> then_results;  // of snapshot_at_startup_end's `then`
  // Fills in the mappings from the copy, then kills it: for the events' writing thread.
  // The copy is reaped with this object (after the snapshot is written), not waited for
  // here: its death tears down a whole address space (~0.3-0.7 ms), which the
  // snapshot's encoding and compression need not wait for, and which runs on the
  // calling thread's CPUs, not on the program's.
  ExecEvent capture(TraceWriter& trace);
};

// At the first stop of the program's start-up (docs/architecture.md, step 3), in one
// batch: installs the recording's filter over the start-up's, arms the traps, reads the
// break and the signal state, forks the copy, then makes `then` (calls of the program's
// the snapshot precedes: the brk that ended the start-up; only brk, which cannot fail),
// with the registers `resume_at` where replay starts and, unless the caller changes
// them, the program goes on from.
StartupSnapshot snapshot_at_startup_end(Task& task, const std::string& exe, bool cpuid_faulting,
                                        const std::vector<sock_filter>& recording_filter, const Registers& resume_at,
                                        std::span<const RemoteSyscalls::Call> then = {});

}  // namespace rrtr
