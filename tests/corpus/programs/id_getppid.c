// The parent is the same process for two runs started by one harness, so the
// parent pid alone would not differ; the nanosecond clock makes the run unique.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("getppid %d\n", (int)getppid());
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
