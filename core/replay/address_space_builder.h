// Rebuilding a recorded address space inside the replayed process.
#pragma once

#include "ptrace/remote_syscalls.h"
#include "replay/blob_files.h"
#include "trace/event.h"

namespace rrtr {

// Unmaps everything but the engine page, maps every recorded mapping from the trace,
// and leaves the registers of the exec in `rs.saved_regs()`. With `after_exec`, also
// resets what an exec resets in the kernel (caught signals, the alternate stack),
// since in replay no real exec happens.
void rebuild_address_space(Task& task, RemoteSyscalls& rs, const ExecEvent& exec, BlobFiles& blobs, bool after_exec);

}  // namespace rrtr
