// The classic srand(time(NULL)) repeats within one second, so the seed mixes
// in nanoseconds; the rand() sequence then depends entirely on the clock.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  srand((unsigned)(time(NULL) ^ ts.tv_nsec));
  for (int i = 0; i < 5; i++) printf("rand %d\n", rand());
  return 0;
}
