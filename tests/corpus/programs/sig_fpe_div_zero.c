// Integer division by zero raises SIGFPE from the idiv instruction itself.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

static sigjmp_buf env;
static volatile sig_atomic_t code;
static struct timespec when;

static void on_fpe(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  code = si->si_code;
  clock_gettime(CLOCK_MONOTONIC, &when);
  siglongjmp(env, 1);
}

int main(void) {
  struct sigaction sa = {.sa_sigaction = on_fpe, .sa_flags = SA_SIGINFO};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGFPE, &sa, NULL);
  volatile int numerator = 7, zero = 0;
  if (sigsetjmp(env, 1) == 0) {
    printf("quotient %d\n", numerator / zero);
    return 1;
  }
  printf("caught SIGFPE code %d (FPE_INTDIV=%d)\n", (int)code, FPE_INTDIV);
  printf("handler monotonic %lld.%09ld\n", (long long)when.tv_sec, when.tv_nsec);
  return 0;
}
