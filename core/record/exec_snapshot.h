// What the recorder does at every successful exec of the program.
#pragma once

#include <string>

#include "ptrace/task.h"
#include "trace/event.h"
#include "trace/trace_dir.h"

namespace rrtr {

// At the PTRACE_EVENT_EXEC stop: maps the engine page, re-arms rdtsc trapping and, where the
// machine has it, cpuid faulting (the kernel resets it at exec), hides the vDSO from the program so its
// time calls become syscalls, and captures the new address space into the trace.
ExecEvent snapshot_after_exec(Task& task, TraceWriter& trace, const std::string& exe, bool cpuid_faulting);

}  // namespace rrtr
