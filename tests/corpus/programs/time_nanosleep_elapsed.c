// The oversleep of nanosleep is scheduler noise that a replay must reproduce.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

static long long mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
  struct timespec req = {0, 2000000}, rem = {0, 0};
  long long before = mono_ns();
  int rc = nanosleep(&req, &rem);
  long long after = mono_ns();
  // Elapsed times cluster within microseconds, so the start time is printed too.
  printf("nanosleep rc=%d rem=%ld from %lld slept %lld ns\n", rc, rem.tv_nsec, before,
         after - before);
  return 0;
}
