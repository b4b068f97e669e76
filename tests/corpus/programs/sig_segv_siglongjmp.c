// A synchronous SIGSEGV whose handler escapes with siglongjmp; the fault
// address is fixed, so the handler also reads the clock.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

static sigjmp_buf env;
static volatile sig_atomic_t code;
static void *volatile fault_addr;
static struct timespec when;

static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  code = si->si_code;
  fault_addr = si->si_addr;
  clock_gettime(CLOCK_REALTIME, &when);
  siglongjmp(env, 1);
}

int main(void) {
  struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  // Loading the pointer through a volatile keeps the compiler from turning
  // the known-null store into a trap instruction.
  volatile int *volatile target = NULL;
  if (sigsetjmp(env, 1) == 0) {
    *target = 1;
    puts("store did not fault");
    return 1;
  }
  printf("caught SIGSEGV code %d at %p\n", (int)code, fault_addr);
  printf("handler time %lld.%09ld\n", (long long)when.tv_sec, when.tv_nsec);
  return 0;
}
