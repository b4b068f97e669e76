#include "cpu/trapped_instruction.h"

#include <x86intrin.h>

#include "cpu/cpuid.h"

namespace rrtr {

std::optional<TrappedInsn> decode_trapped_instruction(const Task& task, const siginfo_t& si) {
  if (si.si_signo != SIGSEGV || si.si_code != SI_KERNEL) return std::nullopt;
  unsigned char b[3] = {};
  if (task.try_read_mem(task.regs().ip(), b, sizeof b) < 2) return std::nullopt;
  if (b[0] != 0x0f) return std::nullopt;
  if (b[1] == 0x31) return TrappedInsn::kRdtsc;
  if (b[1] == 0xa2) return TrappedInsn::kCpuid;
  if (b[1] == 0x01 && b[2] == 0xf9) return TrappedInsn::kRdtscp;
  return std::nullopt;
}

InstructionTrapEvent emulate_trapped_instruction(TrappedInsn insn, const Registers& regs) {
  InstructionTrapEvent e;
  e.insn = insn;
  e.ip = regs.raw.rip;
  e.rax = regs.raw.rax;
  e.rbx = regs.raw.rbx;
  e.rcx = regs.raw.rcx;
  e.rdx = regs.raw.rdx;
  switch (insn) {
    case TrappedInsn::kRdtsc: {
      std::uint64_t t = __rdtsc();
      e.rax = t & 0xffffffff;
      e.rdx = t >> 32;
      break;
    }
    case TrappedInsn::kRdtscp: {
      unsigned aux = 0;
      std::uint64_t t = __rdtscp(&aux);
      e.rax = t & 0xffffffff;
      e.rdx = t >> 32;
      e.rcx = aux;
      break;
    }
    case TrappedInsn::kCpuid: {
      CpuidResult r = masked_cpuid(static_cast<std::uint32_t>(regs.raw.rax), static_cast<std::uint32_t>(regs.raw.rcx));
      e.rax = r.eax;
      e.rbx = r.ebx;
      e.rcx = r.ecx;
      e.rdx = r.edx;
      break;
    }
  }
  return e;
}

void apply_trapped_instruction(const InstructionTrapEvent& e, Registers& regs) {
  regs.raw.rax = e.rax;
  regs.raw.rdx = e.rdx;
  if (e.insn != TrappedInsn::kRdtsc) regs.raw.rcx = e.rcx;
  if (e.insn == TrappedInsn::kCpuid) regs.raw.rbx = e.rbx;
  regs.raw.rip = e.ip + trapped_instruction_length(e.insn);
}

}  // namespace rrtr
