// getcwd is a syscall that fills a caller buffer; the clock varies the run.
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  char cwd[PATH_MAX];
  const char *ok = getcwd(cwd, sizeof cwd);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("cwd %s\nat ns %ld\n", ok ? cwd : "(error)", ts.tv_nsec);
  return 0;
}
