// select writes back both the fd sets and the remaining timeout.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  int p[2];
  if (pipe(p)) return 1;
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  struct timeval tv = {0, 2000};
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int n = select(p[0] + 1, &rd, NULL, NULL, &tv);
  clock_gettime(CLOCK_MONOTONIC, &b);
  // Elapsed times cluster within microseconds, so the start time is printed too.
  printf("empty select -> %d, from %lld.%09ld waited %ld ns\n", n, (long long)a.tv_sec, a.tv_nsec,
         (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec));
  if (write(p[1], "y", 1) != 1) return 1;
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  tv = (struct timeval){1, 0};
  n = select(p[0] + 1, &rd, NULL, NULL, &tv);
  printf("filled select -> %d ready %d left %ld.%06ld\n", n, FD_ISSET(p[0], &rd),
         (long)tv.tv_sec, (long)tv.tv_usec);
  return 0;
}
