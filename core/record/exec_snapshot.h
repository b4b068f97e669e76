// What the recorder does at every successful exec of the program.
#pragma once

#include <string>

#include "ptrace/task.h"
#include "trace/event.h"
#include "trace/trace_dir.h"

namespace rrtr {

// At the PTRACE_EVENT_EXEC stop: maps the engine page, re-arms rdtsc/cpuid trapping
// (the kernel resets cpuid faulting at exec), hides the vDSO from the program so its
// time calls become syscalls, and captures the new address space into the trace.
ExecEvent snapshot_after_exec(Task& task, TraceWriter& trace, const std::string& exe);

}  // namespace rrtr
