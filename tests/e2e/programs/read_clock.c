// Reads the monotonic clock through libc: a syscall when the vDSO is hidden from it.
#include <stdio.h>
#include <time.h>

int main(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 1;
  printf("%s\n", ts.tv_sec >= 0 ? "read" : "negative");
  return 0;
}
