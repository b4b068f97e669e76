// Deciding, at each signal-delivery-stop of a recording, where the signal belongs in
// the event order so that replay can deliver it at the same point.
#pragma once

#include <signal.h>

#include <cstdint>
#include <deque>
#include <optional>

#include "ptrace/registers.h"
#include "trace/event.h"

namespace rrtr {

class Task;

enum class SignalDecision {
  kRecordAfterSyscall,  // delivered as a syscall returned: replay injects it there
  kRecordFault,         // raised by an instruction: replay raises it too
  kDrop,                // asynchronous and ignored: it has no effect, so no event
  kDefer,               // asynchronous at an arbitrary instruction: held back and
                        // delivered as the next syscall returns (no tick counter here)
};

// Tracks the last stop to tell "right after a syscall" from "somewhere in user code".
class SignalClassifier {
 public:
  void note_syscall_exit(const Registers& regs) {
    after_syscall_ = true;
    exit_regs_ = regs;
  }
  void note_other_stop() { after_syscall_ = false; }

  SignalDecision classify(const Task& task, const siginfo_t& si, const Registers& regs);
  SignalKind last_kind() const { return last_kind_; }
  // The siginfo to record and deliver: for a deferred signal, the one it arrived with
  // (the tracer's tgkill replaced it).
  siginfo_t original_info(const siginfo_t& current) const;
  // The next deferred signal to inject with tgkill, if any.
  std::optional<int> take_deferred_for_injection();

 private:
  bool after_syscall_ = false;
  Registers exit_regs_;
  SignalKind last_kind_ = SignalKind::kAfterSyscall;
  std::deque<siginfo_t> deferred_;
  std::optional<siginfo_t> injecting_;
  std::optional<siginfo_t> delivering_original_;
};

}  // namespace rrtr
