// poll first times out on an empty pipe, then reports it readable; the
// measured wait is the varying part.
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
  int p[2];
  if (pipe(p)) return 1;
  struct pollfd pfd = {.fd = p[0], .events = POLLIN};
  long long t0 = mono_ns();
  int first = poll(&pfd, 1, 3);
  long long t1 = mono_ns();
  if (write(p[1], "x", 1) != 1) return 1;
  int second = poll(&pfd, 1, 1000);
  // Elapsed times cluster within microseconds, so the start time is printed too.
  printf("empty poll -> %d from %lld after %lld ns\n", first, t0, t1 - t0);
  printf("filled poll -> %d revents %#x\n", second, pfd.revents);
  return 0;
}
