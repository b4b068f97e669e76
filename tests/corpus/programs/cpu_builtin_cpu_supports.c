// libgcc runs CPUID in a constructor for __builtin_cpu_supports; feature bits
// do not change between runs, so the clock supplies the varying part.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  __builtin_cpu_init();
  printf("sse4.2 %d avx %d avx2 %d avx512f %d\n", !!__builtin_cpu_supports("sse4.2"),
         !!__builtin_cpu_supports("avx"), !!__builtin_cpu_supports("avx2"),
         !!__builtin_cpu_supports("avx512f"));
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
