// Limits are inherited and stable; the clock varies the run.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static void show(const char *name, int res) {
  struct rlimit rl;
  getrlimit(res, &rl);
  printf("%s cur=%lld max=%lld\n", name, (long long)rl.rlim_cur, (long long)rl.rlim_max);
}

int main(void) {
  show("NOFILE", RLIMIT_NOFILE);
  show("STACK", RLIMIT_STACK);
  show("CORE", RLIMIT_CORE);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
