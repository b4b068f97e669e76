// Sorting pointers from different regions (stack, heap, mmap, libc, binary)
// by address makes the printed values, and possibly the order, depend on ASLR.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

struct item {
  const char *name;
  uintptr_t addr;
};

static int by_addr(const void *a, const void *b) {
  uintptr_t x = ((const struct item *)a)->addr, y = ((const struct item *)b)->addr;
  return (x > y) - (x < y);
}

int main(void) {
  int local = 0;
  void *heap = malloc(16);
  void *map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  struct item items[] = {{"stack", (uintptr_t)&local},  {"heap", (uintptr_t)heap},
                         {"mmap", (uintptr_t)map},      {"libc", (uintptr_t)&printf},
                         {"binary", (uintptr_t)&main}};
  qsort(items, 5, sizeof items[0], by_addr);
  for (int i = 0; i < 5; i++) printf("%-6s %#lx\n", items[i].name, (unsigned long)items[i].addr);
  munmap(map, 4096);
  free(heap);
  return local;
}
