// usleep goes through clock_nanosleep in glibc, a different syscall from nanosleep.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>

int main(void) {
  struct timeval a, b;
  gettimeofday(&a, NULL);
  int rc = usleep(1500);
  gettimeofday(&b, NULL);
  long long us = (b.tv_sec - a.tv_sec) * 1000000LL + (b.tv_usec - a.tv_usec);
  printf("usleep rc=%d start %lld.%06ld slept %lld us\n", rc, (long long)a.tv_sec,
         (long)a.tv_usec, us);
  return 0;
}
