// Rebuilding a recorded address space inside the replayed process.
#pragma once

#include "ptrace/remote_syscalls.h"
#include "replay/blob_files.h"
#include "trace/event.h"

namespace rrtr {

// Unmaps everything but the engine page, maps every recorded mapping from the trace,
// sets the snapshot's signal state and XSAVE area, and leaves its registers in
// `rs.saved_regs()`. In replay no real exec happens: what an exec resets in the
// kernel (caught signals, the alternate stack) is set as the recording's exec left it.
void rebuild_address_space(Task& task, RemoteSyscalls& rs, const ExecEvent& exec, BlobFiles& blobs);

}  // namespace rrtr
