// time() has one-second resolution, so two quick runs can agree on it; the
// nanosecond clock printed after it keeps the output different run to run.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  time_t t = time(NULL);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("time() %lld\n", (long long)t);
  printf("subsecond ns %ld\n", ts.tv_nsec);
  return 0;
}
