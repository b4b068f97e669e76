// Output-buffer rules for syscalls whose written memory no fixed rule describes.
#pragma once

#include "syscalls/syscall_table.h"

namespace rrtr {

// The buffers of an iovec array that `total` bytes fill, front to back.
std::vector<RemoteRange> iovec_ranges(const Task& task, std::uint64_t iov, std::uint64_t cnt, std::uint64_t total);

// The bytes a write-family call (FdEffect kWrite/kWriteV) handed to the kernel.
std::string written_bytes(const SyscallInfo& info, const Task& task, const Registers& regs, std::int64_t result);

void out_iovec_result(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_select(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_mincore(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_recvmsg(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_recvmmsg(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_sendmmsg(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_ioctl(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_fcntl(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_prctl(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
void out_arch_prctl(const Task& task, const Registers& after, std::vector<RemoteRange>& out);

}  // namespace rrtr
