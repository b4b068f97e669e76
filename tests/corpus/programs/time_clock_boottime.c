// BOOTTIME is served by the vDSO on recent kernels and by a syscall on older ones.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_BOOTTIME, &ts);
  printf("CLOCK_BOOTTIME %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  return 0;
}
