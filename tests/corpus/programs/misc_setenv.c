// setenv is pure user space; the stored value carries the clock.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char value[32];
  snprintf(value, sizeof value, "%ld", ts.tv_nsec);
  setenv("RRTR_CORPUS_STAMP", value, 1);
  printf("RRTR_CORPUS_STAMP=%s\n", getenv("RRTR_CORPUS_STAMP"));
  unsetenv("RRTR_CORPUS_STAMP");
  printf("after unsetenv %s\n", getenv("RRTR_CORPUS_STAMP") ? "still set" : "gone");
  return 0;
}
