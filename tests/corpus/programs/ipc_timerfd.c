// A 1 ms periodic timer is read after a 3 ms sleep: the expiration count and
// the measured time both depend on scheduling.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  struct itimerspec its = {.it_interval = {0, 1000000}, .it_value = {0, 1000000}};
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  timerfd_settime(fd, 0, &its, NULL);
  usleep(3000);
  uint64_t expirations = 0;
  ssize_t n = read(fd, &expirations, sizeof expirations);
  clock_gettime(CLOCK_MONOTONIC, &b);
  // Elapsed times cluster within microseconds, so the start time is printed too.
  printf("read %zd expirations %llu from %lld.%09ld after %ld ns\n", n,
         (unsigned long long)expirations, (long long)a.tv_sec, a.tv_nsec,
         (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec));
  close(fd);
  return 0;
}
