// The status is fixed so a recorder that loses it is caught; the clock makes
// the output differ between runs.
// expect-status: 42
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("exiting with 42 at ns %ld\n", ts.tv_nsec);
  exit(42);
}
