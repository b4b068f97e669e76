// A task's whole signal state (actions, mask, alternate stack) as a snapshot carries
// it: the start-up's rt_sigaction and sigaltstack calls run natively, never replayed.
#pragma once

#include <signal.h>

#include <cstdint>
#include <vector>

namespace rrtr {

// One signal's action in the kernel's layout (rt_sigaction's, not glibc's sigaction).
struct KernelSigaction {
  std::uint64_t handler = 0, flags = 0, restorer = 0, mask = 0;
};

struct SignalAction {
  int signo = 0;
  KernelSigaction action;
};

// The signal state of a snapshot: replay sets exactly this before the program goes on.
struct SignalDispositions {
  std::uint64_t blocked = 0;  // bit N-1 for signal N
  std::uint64_t altstack_sp = 0, altstack_size = 0;
  std::int32_t altstack_flags = SS_DISABLE;  // none
  std::vector<SignalAction> actions;  // every signal not at SIG_DFL, by number
};

}  // namespace rrtr
