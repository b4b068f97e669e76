// eventfd counters are deterministic; the written value comes from the clock.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  int fd = eventfd(0, EFD_CLOEXEC);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t v = (uint64_t)ts.tv_nsec + 1, w = 5, got = 0;
  ssize_t a = write(fd, &v, sizeof v);
  ssize_t b = write(fd, &w, sizeof w);
  ssize_t c = read(fd, &got, sizeof got);
  printf("writes %zd %zd read %zd counter %llu\n", a, b, c, (unsigned long long)got);
  close(fd);
  return 0;
}
