// The environment lives on the initial stack, like argv and auxv; a replay
// must start from the recorded one, not from the replayer's.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

extern char **environ;

int main(void) {
  int count = 0;
  for (char **e = environ; *e; e++, count++) printf("env %s\n", *e);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("%d variables at ns %ld\n", count, ts.tv_nsec);
  return 0;
}
