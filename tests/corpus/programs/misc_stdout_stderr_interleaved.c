// Both streams are flushed after every line so the order of the underlying
// writes is fixed; the timestamps make the content differ per run.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  for (int i = 0; i < 5; i++) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    FILE *f = (i % 2) ? stderr : stdout;
    fprintf(f, "%s line %d at %lld.%09ld\n", f == stderr ? "stderr" : "stdout", i,
            (long long)ts.tv_sec, ts.tv_nsec);
    fflush(f);
  }
  return 0;
}
