#include "common/interrupt.h"

#include <signal.h>

namespace rrtr {
namespace {
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
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
}

int interrupt_signal() { return g_interrupt; }

void set_interrupt_victim(pid_t pid) { g_victim = pid; }

}  // namespace rrtr
