// Wall-clock time read through the vDSO: a replay must return the recorded value.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("CLOCK_REALTIME %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  return 0;
}
