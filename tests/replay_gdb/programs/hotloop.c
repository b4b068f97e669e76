// A long loop without system calls whose last iteration jumps far, to a block that runs
// once: stepping backwards from that block must find the jump, then walk back through
// the iterations before it, with no recorded event near to start from.
#include <stdio.h>
#include <sys/random.h>

volatile long g_last;

__attribute__((noipa)) void done(long x) { printf("%ld %ld\n", x, g_last); }

int main(void) {
  unsigned seed = 0;
  if (getrandom(&seed, sizeof seed, 0) != sizeof seed) return 2;
  const long n = 40000 + (seed & 1);
  long x = seed;
  for (long i = 0; i < n; i++) {
    x = x * 6364136223846793005L + 1442695040888963407L;
    if (__builtin_expect(i == n - 1, 0)) g_last = x;  // LAST-WRITE
  }
  done(x);
  return 0;
}
