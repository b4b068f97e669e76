// uname is constant on one host; the clock provides the per-run difference.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/utsname.h>
#include <time.h>

int main(void) {
  struct utsname u;
  int rc = uname(&u);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("uname rc=%d nodename=%s machine=%s\n", rc, u.nodename, u.machine);
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
