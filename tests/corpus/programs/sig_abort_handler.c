// abort() raises SIGABRT; the handler leaves with _exit so the exit status is
// a chosen one rather than death by signal.
// expect-status: 3
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void on_abrt(int sig) {
  (void)sig;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char msg[64];
  // snprintf is not async-signal-safe in general, but nothing else runs here.
  int n = snprintf(msg, sizeof msg, "SIGABRT handler at ns %ld\n", ts.tv_nsec);
  if (write(2, msg, n) != n) _exit(4);
  _exit(3);
}

int main(void) {
  signal(SIGABRT, on_abrt);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("about to abort at ns %ld\n", ts.tv_nsec);
  fflush(stdout);
  abort();
}
