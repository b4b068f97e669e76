// raise() delivers the signal before returning, so the handler's timestamp
// falls between the two reads taken around it.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <time.h>

static struct timespec in_handler;
static volatile sig_atomic_t hits;

static void on_usr1(int sig) {
  (void)sig;
  clock_gettime(CLOCK_MONOTONIC, &in_handler);
  hits++;
}

int main(void) {
  signal(SIGUSR1, on_usr1);
  struct timespec before, after;
  clock_gettime(CLOCK_MONOTONIC, &before);
  int rc = raise(SIGUSR1);
  clock_gettime(CLOCK_MONOTONIC, &after);
  printf("raise rc=%d hits=%d\n", rc, (int)hits);
  printf("before %lld.%09ld handler %lld.%09ld after %lld.%09ld\n", (long long)before.tv_sec,
         before.tv_nsec, (long long)in_handler.tv_sec, in_handler.tv_nsec,
         (long long)after.tv_sec, after.tv_nsec);
  return 0;
}
