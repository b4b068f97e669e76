/* argv[1] rounds of integer mixing and no syscall: what recording costs a program
 * that never leaves user space. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  uint64_t rounds = argc > 1 ? strtoull(argv[1], NULL, 10) : 300000000ULL;
  uint64_t x = 88172645463325252ULL;
  for (uint64_t i = 0; i < rounds; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  printf("%016llx\n", (unsigned long long)x);
  return 0;
}
