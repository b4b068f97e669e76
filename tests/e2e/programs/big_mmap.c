/* Reserves 1 GiB of address space and touches one page of it: a replay run under a
 * smaller RLIMIT_AS cannot re-make the mapping, which the replayer must report. */
#include <stdio.h>
#include <sys/mman.h>

int main(void) {
  printf("mapping\n");
  fflush(stdout);
  char* p = mmap(NULL, 1UL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  p[4096] = 1;
  printf("mapped\n");
  return 0;
}
