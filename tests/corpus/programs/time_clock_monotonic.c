// Monotonic time comes from the vDSO too; two reads also check ordering is kept.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long da = a.tv_sec * 1000000000LL + a.tv_nsec;
  long long db = b.tv_sec * 1000000000LL + b.tv_nsec;
  printf("CLOCK_MONOTONIC %lld then %lld (delta %lld ns)\n", da, db, db - da);
  return 0;
}
