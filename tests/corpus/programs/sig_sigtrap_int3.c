// int3 raises SIGTRAP, the same signal a ptrace-based engine uses for its own
// breakpoints; the program's handler must still see it.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <time.h>

static volatile sig_atomic_t traps;
static struct timespec when;

static void on_trap(int sig) {
  (void)sig;
  traps++;
  clock_gettime(CLOCK_REALTIME, &when);
}

int main(void) {
  signal(SIGTRAP, on_trap);
  // The handler returns to the instruction after int3, so execution resumes.
  __asm__ volatile("int3");
  printf("traps %d at %lld.%09ld\n", (int)traps, (long long)when.tv_sec, when.tv_nsec);
  return 0;
}
