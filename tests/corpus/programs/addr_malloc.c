// Small blocks come from the brk heap and large ones from mmap; both bases
// move with ASLR.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  void *small = malloc(32);
  void *medium = malloc(4096);
  void *large = malloc(1 << 20);
  printf("malloc(32) %p\nmalloc(4096) %p\nmalloc(1MiB) %p\n", small, medium, large);
  free(large);
  free(medium);
  free(small);
  return 0;
}
