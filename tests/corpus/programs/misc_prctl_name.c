// The thread name set here is visible in /proc; it carries the clock so that
// the value read back differs per run.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/prctl.h>
#include <time.h>

int main(void) {
  char before[16] = {0}, after[16] = {0}, name[16];
  prctl(PR_GET_NAME, before);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(name, sizeof name, "t%09ld", ts.tv_nsec);
  int rc = prctl(PR_SET_NAME, name);
  prctl(PR_GET_NAME, after);
  printf("name before \"%s\" set rc=%d after \"%s\"\n", before, rc, after);
  return 0;
}
