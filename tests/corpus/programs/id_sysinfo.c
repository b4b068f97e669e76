// sysinfo() mixes uptime, memory and process counts in one syscall.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/sysinfo.h>
#include <time.h>

int main(void) {
  struct sysinfo si;
  int rc = sysinfo(&si);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("sysinfo rc=%d uptime=%ld freeram=%lu procs=%u\n", rc, si.uptime, si.freeram,
         (unsigned)si.procs);
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
