// The workload of run_reverse_bench.py: a CPU loop that writes three globals at known
// distances before its end, and makes a system call every 2^20 iterations so that the
// replay has events, and with them checkpoints, all along.
//
//   revbench ITERATIONS FAR MID
// g_far is written FAR iterations before the end, g_mid MID before, g_near in the
// last iteration; done() marks the end.
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

volatile long g_near, g_mid, g_far;

// noipa: one call per iteration gives the bench a fixed point to count instructions
// between, and keeps the optimizer from folding the loop.
__attribute__((noipa)) long mix(long x) { return x * 6364136223846793005L + 1442695040888963407L; }

__attribute__((noipa)) void done(long x) { printf("%ld %ld %ld %ld\n", x, g_near, g_mid, g_far); }

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const long n = atol(argv[1]), far = atol(argv[2]), mid = atol(argv[3]);
  long x = getpid();  // differs from run to run
  for (long i = 0; i < n; i++) {
    x = mix(x);
    if ((i & 0xfffff) == 0) x ^= syscall(SYS_getppid);
    if (i == n - far) g_far = x;
    if (i == n - mid) g_mid = x;
    if (i == n - 1) g_near = x;
  }
  done(x);
  return 0;
}
