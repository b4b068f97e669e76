// /proc/self/status is longer than one small read, so libc reads it in pieces.
#define _GNU_SOURCE
#include <stdio.h>

int main(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return perror("/proc/self/status"), 1;
  char line[512];
  while (fgets(line, sizeof line, f)) fputs(line, stdout);
  fclose(f);
  return 0;
}
