// The kernel chooses where an anonymous mapping lands; a replay must place the
// mapping at the recorded address or later pointer use diverges.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void) {
  size_t len = 3 * 4096;
  char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return perror("mmap"), 1;
  strcpy(p + 4096, "written into the mapping");
  printf("mmap %p holds \"%s\"\n", (void *)p, p + 4096);
  munmap(p, len);
  return 0;
}
