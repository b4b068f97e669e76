// CPU-time clocks are never in the vDSO: they always take the syscall path.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  volatile unsigned long sink = 0;
  // Burn a little CPU so the counter has moved by a noisy amount.
  for (unsigned long i = 0; i < 200000; i++) sink += i * i;
  struct timespec p, t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p);
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  printf("PROCESS_CPUTIME %lld.%09ld\n", (long long)p.tv_sec, p.tv_nsec);
  printf("THREAD_CPUTIME %lld.%09ld\n", (long long)t.tv_sec, t.tv_nsec);
  return 0;
}
