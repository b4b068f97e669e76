// /proc/uptime has 10 ms resolution; the nanosecond clock breaks ties.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

int main(void) {
  FILE *f = fopen("/proc/uptime", "r");
  if (!f) return perror("/proc/uptime"), 1;
  char buf[128] = {0};
  if (!fgets(buf, sizeof buf, f)) buf[0] = 0;
  fclose(f);
  struct timespec ts;
  clock_gettime(CLOCK_BOOTTIME, &ts);
  printf("uptime: %s", buf);
  printf("boottime ns %ld\n", ts.tv_nsec);
  return 0;
}
