// Shared libraries load at a random base, so libc's printf moves every run.
#define _GNU_SOURCE
#include <stdio.h>

int main(void) {
  int (*fn)(const char *, ...) = printf;
  printf("printf at %p, main at %p\n", (void *)fn, (void *)main);
  return 0;
}
