// Bypasses the vDSO so the engine sees a real clock_gettime syscall.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec ts;
  long rc = syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
  printf("raw clock_gettime rc=%ld %lld.%09ld\n", rc, (long long)ts.tv_sec, ts.tv_nsec);
  return 0;
}
