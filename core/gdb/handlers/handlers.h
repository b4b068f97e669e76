// One registration function per group of packets; each lives in the file that
// implements the group.
#pragma once

#include "gdb/handler_table.h"

namespace rrtr::gdb {

// qSupported, QStartNoAckMode, !, ?, qAttached, k, vKill, D, vRun
void register_connection_handlers(HandlerTable& table);
// H, T, qC, qfThreadInfo, qsThreadInfo
void register_thread_handlers(HandlerTable& table);
// g, G, p, P
void register_register_handlers(HandlerTable& table);
// m, M, X
void register_memory_handlers(HandlerTable& table);
// Z, z
void register_breakpoint_handlers(HandlerTable& table);
// vCont?, vCont, c, C, s, S, bc, bs
void register_resume_handlers(HandlerTable& table);
// qXfer:{features,auxv,exec-file,siginfo,threads}:read
void register_xfer_handlers(HandlerTable& table);
// vFile:{setfs,open,pread,pwrite,close,fstat,readlink}
void register_host_io_handlers(HandlerTable& table);
// qRcmd
void register_monitor_handlers(HandlerTable& table);

}  // namespace rrtr::gdb
