#include "record/signal_classifier.h"

#include <cstring>
#include <fmt/format.h>

#include "ptrace/signal_state.h"
#include "ptrace/task.h"

namespace rrtr {

namespace {

bool is_fault(const siginfo_t& si) {
  switch (si.si_signo) {
    case SIGSEGV:
    case SIGBUS:
    case SIGFPE:
    case SIGILL:
    case SIGTRAP:
      return si.si_code > 0;  // kernel-generated at an instruction, not sent by anyone
    default:
      return false;
  }
}

}  // namespace

SignalDecision SignalClassifier::classify(const Task& task, const siginfo_t& si, const Registers& regs) {
  delivering_original_.reset();
  if (injecting_ && injecting_->si_signo == si.si_signo) {
    delivering_original_ = injecting_;
    injecting_.reset();
    last_kind_ = SignalKind::kAfterSyscall;
    return SignalDecision::kRecordAfterSyscall;
  }
  if (after_syscall_ && std::memcmp(&exit_regs_.raw, &regs.raw, sizeof regs.raw) == 0) {
    last_kind_ = SignalKind::kAfterSyscall;
    return SignalDecision::kRecordAfterSyscall;
  }
  if (is_fault(si)) {
    last_kind_ = SignalKind::kFault;
    return SignalDecision::kRecordFault;
  }
  if (signal_is_ignored(task, si.si_signo)) return SignalDecision::kDrop;
  deferred_.push_back(si);
  return SignalDecision::kDefer;
}

siginfo_t SignalClassifier::original_info(const siginfo_t& current) const {
  return delivering_original_ ? *delivering_original_ : current;
}

std::optional<int> SignalClassifier::take_deferred_for_injection() {
  if (deferred_.empty() || injecting_) return std::nullopt;
  injecting_ = deferred_.front();
  deferred_.pop_front();
  return injecting_->si_signo;
}

}  // namespace rrtr
