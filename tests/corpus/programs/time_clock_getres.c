// Resolutions are constant on one machine; the clock reads make the run unique.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_REALTIME_COARSE,
                           CLOCK_MONOTONIC_RAW};
  const char *names[] = {"REALTIME", "MONOTONIC", "REALTIME_COARSE", "MONOTONIC_RAW"};
  for (int i = 0; i < 4; i++) {
    struct timespec res, now;
    clock_getres(ids[i], &res);
    clock_gettime(ids[i], &now);
    printf("%s res=%ld ns now=%lld.%09ld\n", names[i], res.tv_nsec, (long long)now.tv_sec,
           now.tv_nsec);
  }
  return 0;
}
