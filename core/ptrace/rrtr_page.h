// The engine's own page in every tracee, recorded and replayed alike.
//
// It sits at a fixed address below 4 GiB that the kernel would not pick on its own,
// is mapped right after every exec during recording (so the program can never place
// anything there), and again in replay. It holds a `syscall; int3` gadget that the
// seccomp filter lets through without a stop, which is how the engine runs system
// calls inside a tracee (remote syscalls), and a scratch page for their arguments.
#pragma once

#include <cstdint>

#include "common/types.h"

namespace rrtr::rrtr_page {

constexpr RemotePtr kAddr{0x70000000};
constexpr std::uint64_t kSize = 2 * kPageSize;
constexpr RemotePtr kSyscallGadget = kAddr;               // 0f 05 cc
constexpr RemotePtr kSyscallGadgetIp = kAddr + 2;         // rip the kernel sees at entry
constexpr RemotePtr kScratch = kAddr + kPageSize;         // rw scratch page
constexpr unsigned char kGadgetBytes[] = {0x0f, 0x05, 0xcc};
constexpr bool contains(RemotePtr p) { return p >= kAddr && p < kAddr + kSize; }

}  // namespace rrtr::rrtr_page

namespace rrtr {
// A syscall number no kernel assigns, made by the replay child once it is ready to be
// taken over: its seccomp stop is the first stop the replayer acts on.
constexpr long kReplayReadySyscall = 0x7273;
}  // namespace rrtr
