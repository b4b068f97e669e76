// gettimeofday is a separate vDSO entry point from clock_gettime.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/time.h>

int main(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
  return 0;
}
