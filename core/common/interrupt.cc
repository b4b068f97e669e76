#include "common/interrupt.h"

#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "common/error.h"

namespace rrtr {
namespace {
constexpr int kInterruptSignals[] = {SIGINT, SIGTERM, SIGHUP};
volatile sig_atomic_t g_interrupt = 0;
volatile sig_atomic_t g_victim = 0;
void on_signal(int sig) {
  g_interrupt = sig;
  if (g_victim > 0) kill(g_victim, SIGKILL);
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: waitpid must return EINTR
  for (int sig : kInterruptSignals) sigaction(sig, &sa, nullptr);
}

void reset_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  for (int sig : kInterruptSignals) sigaction(sig, &sa, nullptr);
}

int interrupt_signal() { return g_interrupt; }

void set_interrupt_victim(pid_t pid) { g_victim = pid; }

InterruptsDeferred::InterruptsDeferred() {
  sigset_t held;
  sigemptyset(&held);
  for (int sig : kInterruptSignals) sigaddset(&held, sig);
  pthread_sigmask(SIG_BLOCK, &held, &old_);
}

InterruptsDeferred::~InterruptsDeferred() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

void fail_if_interrupted() {
  if (int sig = interrupt_signal()) fail(ExitCode::kInterrupted, "interrupted by {}", signal_name(sig));
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  if (abbrev) return std::string("SIG") + abbrev;
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) return fmt::format("SIGRTMIN+{}", sig - SIGRTMIN);
  return fmt::format("signal {}", sig);
}

}  // namespace rrtr
