#include "ptrace/registers.h"

#include <xxhash.h>

#include <cstddef>
#include <cstring>

namespace rrtr {

namespace {
// The kernel's x86_64 syscall argument registers, in order.
constexpr unsigned long long user_regs_struct::*kArgRegs[6] = {
    &user_regs_struct::rdi, &user_regs_struct::rsi, &user_regs_struct::rdx,
    &user_regs_struct::r10, &user_regs_struct::r8,  &user_regs_struct::r9};

constexpr const char* kNames[kRegisterCount] = {
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
    "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"};
}  // namespace

std::uint64_t Registers::arg(int i) const { return raw.*kArgRegs[i]; }
void Registers::set_arg(int i, std::uint64_t v) { raw.*kArgRegs[i] = v; }

std::uint64_t Registers::observable_hash() const {
  user_regs_struct r = raw;
  r.rax = r.orig_rax = r.rcx = r.r11 = 0;
  // The resume flag and trap flag are bookkeeping of the kernel and ptrace.
  r.eflags &= ~((1ULL << 16) | (1ULL << 8));
  return XXH3_64bits(&r, sizeof r);
}

const char* register_name(std::size_t index) { return index < kRegisterCount ? kNames[index] : "?"; }

}  // namespace rrtr
