/* argv[1] getppid() calls: the cheapest syscall there is, so the cost measured is
 * the engine's per-syscall overhead. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  long sum = 0;
  for (long i = 0; i < n; ++i) sum += getppid();
  printf("%ld calls\n", n);
  return sum == 0;  /* uses the results, so the loop stays */
}
