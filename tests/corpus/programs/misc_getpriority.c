// getpriority returns a biased value through the raw syscall; libc undoes it.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

int main(void) {
  errno = 0;
  int prio = getpriority(PRIO_PROCESS, 0);
  int err = errno;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("getpriority %d errno %d\nat ns %ld\n", prio, err, ts.tv_nsec);
  return 0;
}
