// Dies of SIGSEGV with the default action (status 139 in a shell) after
// printing; the flush matters because stdio buffers die with the process.
// expect-status: 139
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("about to crash at %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  fflush(stdout);
  volatile int *volatile target = NULL;
  *target = 42;
  return 0;
}
