// The last field of /proc/loadavg is the most recently created pid.
#define _GNU_SOURCE
#include <stdio.h>

int main(void) {
  FILE *f = fopen("/proc/loadavg", "r");
  if (!f) return perror("/proc/loadavg"), 1;
  char buf[128] = {0};
  if (!fgets(buf, sizeof buf, f)) buf[0] = 0;
  fclose(f);
  printf("loadavg: %s", buf);
  return 0;
}
