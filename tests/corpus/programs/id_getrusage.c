// Resource counters depend on scheduling and page-fault timing.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

int main(void) {
  // Touch fresh memory so the fault counters are not trivially zero.
  char *p = malloc(1 << 20);
  memset(p, 1, 1 << 20);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  printf("utime %ld.%06ld stime %ld.%06ld\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
         (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec);
  printf("maxrss %ld minflt %ld majflt %ld nvcsw %ld nivcsw %ld\n", ru.ru_maxrss, ru.ru_minflt,
         ru.ru_majflt, ru.ru_nvcsw, ru.ru_nivcsw);
  // The CPU times can tie at microsecond resolution between two tiny runs.
  printf("monotonic ns %ld\n", ts.tv_nsec);
  free(p);
  return 0;
}
