// /proc/self/stat holds the pid and live counters; file reads from procfs must
// be recorded, not re-read during replay.
#define _GNU_SOURCE
#include <stdio.h>

int main(void) {
  FILE *f = fopen("/proc/self/stat", "r");
  if (!f) return perror("/proc/self/stat"), 1;
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  printf("stat: %s", buf);
  return 0;
}
