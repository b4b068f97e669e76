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
// Runs a batch of syscalls described in the scratch page with one stop
// (RemoteSyscalls::checked_batch): rbx = the first descriptor, r12 = how many.
constexpr RemotePtr kBatchStub = kAddr + 32;
constexpr RemotePtr kBatchSyscallIp = kBatchStub + 29;    // its syscall instruction's end
constexpr RemotePtr kScratch = kAddr + kPageSize;         // rw scratch page
constexpr RemotePtr kBuffer{RRTR_BUFFER_ADDR};            // rw, after the scratch page
constexpr std::uint64_t kSize = 2 * kPageSize + RRTR_BUFFER_SIZE;
// A batch descriptor: the number, six arguments, and the result the stub stores.
struct BatchEntry {
  std::uint64_t nr;
  std::uint64_t args[6];
  std::uint64_t result;
};
static_assert(sizeof(BatchEntry) == 64);
// The code of the first page: both gadgets and the batch stub, int3 between them.
constexpr unsigned char kGadgetBytes[] = {
    0x0f, 0x05, 0xcc,                                            // +0   syscall; int3
    0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
    0x0f, 0x05, 0xc3,                                            // +16  syscall; ret (buffered)
    0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
    // +32 batch: for each descriptor at rbx (64 bytes), r12 of them:
    0x48, 0x8b, 0x03,                                            //   mov rax, [rbx]
    0x48, 0x8b, 0x7b, 0x08,                                      //   mov rdi, [rbx+8]
    0x48, 0x8b, 0x73, 0x10,                                      //   mov rsi, [rbx+16]
    0x48, 0x8b, 0x53, 0x18,                                      //   mov rdx, [rbx+24]
    0x4c, 0x8b, 0x53, 0x20,                                      //   mov r10, [rbx+32]
    0x4c, 0x8b, 0x43, 0x28,                                      //   mov r8, [rbx+40]
    0x4c, 0x8b, 0x4b, 0x30,                                      //   mov r9, [rbx+48]
    0x0f, 0x05,                                                  //   syscall
    0x48, 0x89, 0x43, 0x38,                                      //   mov [rbx+56], rax
    0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff,                          //   cmp rax, -4095
    0x73, 0x09,                                                  //   jae done (an error: stop there)
    0x48, 0x83, 0xc3, 0x40,                                      //   add rbx, 64
    0x49, 0xff, 0xcc,                                            //   dec r12
    0x75, 0xce,                                                  //   jnz batch
    0xcc,                                                        // done: int3
};
static_assert(sizeof kGadgetBytes == 32 + 51);
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
