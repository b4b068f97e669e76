// Capturing a stopped tracee's address space for replay to rebuild.
#pragma once

#include <vector>

#include "ptrace/task.h"
#include "trace/event.h"
#include "trace/trace_dir.h"

namespace rrtr {

// Every mapping but the engine page's and [vsyscall], each with only the memory replay
// cannot get back from its source: a private file mapping is the stored file plus the
// pages the program or the kernel wrote (found in /proc/PID/pagemap: no longer the
// file's), anonymous memory is zeroes plus its present non-zero pages. Shared mappings,
// the vDSO and files that cannot be opened are kept whole. Reads the task's memory
// through /proc only (no ptrace call): it may run on a thread other than the tracer's.
std::vector<Mapping> capture_address_space(const Task& task, TraceWriter& trace);

}  // namespace rrtr
