// The stack top is randomized at exec.
#define _GNU_SOURCE
#include <stdio.h>

int main(void) {
  int local = 0;
  printf("stack variable at %p\n", (void *)&local);
  return local;
}
