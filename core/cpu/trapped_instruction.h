// Recognising the instructions the kernel traps for us (rdtsc/rdtscp under
// PR_TSC_SIGSEGV, cpuid under ARCH_SET_CPUID) and computing what they return.
#pragma once

#include <optional>

#include "ptrace/task.h"
#include "trace/event.h"

namespace rrtr {

// The trapped instruction at the task's rip, if the SIGSEGV it got is one of ours.
std::optional<TrappedInsn> decode_trapped_instruction(const Task& task, const siginfo_t& si);
constexpr std::uint64_t trapped_instruction_length(TrappedInsn i) { return i == TrappedInsn::kRdtscp ? 3 : 2; }
// Executes the instruction on the tracer's CPU (the same CPU: both are pinned).
InstructionTrapEvent emulate_trapped_instruction(TrappedInsn insn, const Registers& regs);
// Applies the recorded result and steps over the instruction.
void apply_trapped_instruction(const InstructionTrapEvent& e, Registers& regs);

}  // namespace rrtr
