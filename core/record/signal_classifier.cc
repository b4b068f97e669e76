#include "record/signal_classifier.h"

#include <cstring>
#include <fmt/format.h>

#include "common/files.h"
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

std::uint64_t status_mask(const std::string& status, const char* field) {
  auto at = status.find(field);
  if (at == std::string::npos) return 0;
  return std::stoull(status.substr(at + std::strlen(field)), nullptr, 16);
}

}  // namespace

bool signal_is_ignored(const Task& task, int signo) {
  auto status = read_proc_file(fmt::format("/proc/{}/status", task.tid().value));
  if (!status) return false;
  const std::uint64_t bit = 1ULL << (signo - 1);
  if (status_mask(*status, "SigIgn:") & bit) return true;
  if (status_mask(*status, "SigCgt:") & bit) return false;
  return signo == SIGCHLD || signo == SIGURG || signo == SIGWINCH || signo == SIGCONT;
}

SignalState signal_state(const Task& task) {
  auto status = read_proc_file(fmt::format("/proc/{}/status", task.tid().value));
  if (!status) return {};
  return {status_mask(*status, "SigIgn:"), status_mask(*status, "SigBlk:")};
}

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
