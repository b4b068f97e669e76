// Free-block counts move with other activity but not on an idle machine, so
// the clock is mixed in.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/statfs.h>
#include <time.h>

int main(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  struct statfs s;
  int rc = statfs(base, &s);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("statfs rc=%d type=%lx bsize=%ld bfree=%llu ffree=%llu\n", rc, (long)s.f_type,
         (long)s.f_bsize, (unsigned long long)s.f_bfree, (unsigned long long)s.f_ffree);
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
