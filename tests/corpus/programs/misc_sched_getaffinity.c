// The affinity mask depends on the machine; sched_getcpu (served by the vDSO
// or RDPID) and the clock vary per run.
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <time.h>

int main(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  int rc = sched_getaffinity(0, sizeof set, &set);
  printf("sched_getaffinity rc=%d count=%d mask=", rc, CPU_COUNT(&set));
  for (int i = 0; i < 64; i++) putchar(CPU_ISSET(i, &set) ? '1' : '0');
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("\nat ns %ld\n", ts.tv_nsec);
  return 0;
}
