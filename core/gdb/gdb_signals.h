// gdb numbers signals its own way (include/gdb/signals.def), which matches Linux only
// up to SIGABRT; every signal crossing the protocol is translated here.
#pragma once

namespace rrtr::gdb {

// gdb's number for a Linux signal; gdb's "unknown signal" for one it has no name for.
int gdb_signal_from_host(int host_signo);
// The Linux signal for gdb's number; 0 when Linux has no such signal.
int host_signal_from_gdb(int gdb_signo);

}  // namespace rrtr::gdb
