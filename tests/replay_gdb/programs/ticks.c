// tick() runs a known number of times (kTicks, no randomness in the count), with a
// system call in some of them so the hits are spread over many recorded events. The
// program prints the clock so that its output differs from run to run.
#include <stdio.h>
#include <time.h>
#include <unistd.h>

enum { kTicks = 37 };

long total;

__attribute__((noinline)) void tick(int i) {
  total += i * 3;  // TICK-BODY
  if (i % 5 == 0) total ^= getppid() & 1;
}

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("start %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
  for (int i = 0; i < kTicks; i++) tick(i);
  printf("total %ld\n", total);
  return 0;
}
