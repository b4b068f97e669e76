// Signal dispositions and masks are process state a replay must rebuild: a
// blocked signal stays pending until it is unblocked.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <time.h>

static volatile sig_atomic_t delivered;
static void on_usr2(int sig) { (void)sig; delivered++; }

int main(void) {
  struct sigaction sa = {.sa_handler = on_usr2, .sa_flags = SA_RESTART};
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaction(SIGUSR2, &sa, NULL);
  struct sigaction back;
  sigaction(SIGUSR2, NULL, &back);
  printf("flags has SA_RESTART %d, mask has SIGTERM %d\n", !!(back.sa_flags & SA_RESTART),
         sigismember(&back.sa_mask, SIGTERM));

  sigset_t block, old, pending;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR2);
  sigprocmask(SIG_BLOCK, &block, &old);
  raise(SIGUSR2);
  sigpending(&pending);
  printf("while blocked: pending %d delivered %d\n", sigismember(&pending, SIGUSR2),
         (int)delivered);
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("after unblock: delivered %d\n", (int)delivered);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
