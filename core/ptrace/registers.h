// The general-purpose register file of an x86_64 tracee, with the syscall ABI named.
#pragma once

#include <sys/user.h>

#include <array>
#include <cstdint>

#include "common/types.h"

namespace rrtr {

// `syscall` (0f 05): at a syscall stop rip is past it.
constexpr std::uint64_t kSyscallInsnLength = 2;

// Wraps user_regs_struct so call sites say "syscall argument 2", not "rdx".
struct Registers {
  user_regs_struct raw{};

  std::int64_t syscallno() const { return static_cast<std::int64_t>(raw.orig_rax); }
  void set_syscallno(std::int64_t nr) { raw.orig_rax = static_cast<std::uint64_t>(nr); }
  std::uint64_t arg(int i) const;
  void set_arg(int i, std::uint64_t v);
  std::array<std::uint64_t, 6> args() const { return {arg(0), arg(1), arg(2), arg(3), arg(4), arg(5)}; }
  std::int64_t result() const { return static_cast<std::int64_t>(raw.rax); }
  void set_result(std::int64_t v) { raw.rax = static_cast<std::uint64_t>(v); }
  RemotePtr ip() const { return RemotePtr(raw.rip); }
  void set_ip(RemotePtr p) { raw.rip = p.value(); }
  RemotePtr sp() const { return RemotePtr(raw.rsp); }

  // A hash of every register the program can observe, for divergence checks. rax
  // (result slot), orig_rax, rcx and r11 (clobbered by the syscall instruction) are
  // compared separately by the callers that care.
  std::uint64_t observable_hash() const;
};

// Names of the registers in user_regs_struct order, for divergence messages.
const char* register_name(std::size_t index);
constexpr std::size_t kRegisterCount = sizeof(user_regs_struct) / sizeof(std::uint64_t);

}  // namespace rrtr
