// The engine's own page in every tracee, recorded and replayed alike.
//
// It sits at a fixed address below 4 GiB that the kernel would not pick on its own,
// is mapped right after every exec during recording (so the program can never place
// anything there), and again in replay. It holds a `syscall; int3` gadget that the
// seccomp filter lets through without a stop, which is how the engine runs system
// calls inside a tracee (remote syscalls), a scratch page for their arguments, and
// the syscall buffer (rrtr/syscall_buffer_abi.h) with its `syscall; ret` gadget.
#pragma once

#include <cstdint>

#include "common/types.h"
#include "rrtr/syscall_buffer_abi.h"

namespace rrtr::rrtr_page {

constexpr RemotePtr kAddr{0x70000000};
constexpr RemotePtr kSyscallGadget = kAddr;               // 0f 05 cc
constexpr RemotePtr kSyscallGadgetIp = kAddr + 2;         // rip the kernel sees at entry
constexpr RemotePtr kBufferedGadget{RRTR_BUFFERED_GADGET};  // 0f 05 c3
constexpr RemotePtr kBufferedGadgetIp = kBufferedGadget + 2;
constexpr RemotePtr kScratch = kAddr + kPageSize;         // rw scratch page
constexpr RemotePtr kBuffer{RRTR_BUFFER_ADDR};            // rw, after the scratch page
constexpr std::uint64_t kSize = 2 * kPageSize + RRTR_BUFFER_SIZE;
// The code of the first page: both gadgets, int3 between them.
constexpr unsigned char kGadgetBytes[] = {0x0f, 0x05, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
                                          0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0x0f, 0x05, 0xc3};
// What a RemoteSyscalls pokes over an instruction when the page does not exist yet.
constexpr unsigned char kPokedGadgetBytes[] = {0x0f, 0x05, 0xcc};
static_assert(kBufferedGadget == kAddr + 16 && kBuffer == kAddr + 2 * kPageSize);
constexpr bool contains(RemotePtr p) { return p >= kAddr && p < kAddr + kSize; }

}  // namespace rrtr::rrtr_page

namespace rrtr {
// A syscall number no kernel assigns, made by the replay child once it is ready to be
// taken over: its seccomp stop is the first stop the replayer acts on.
constexpr long kReplayReadySyscall = 0x7273;
}  // namespace rrtr
