// A loop of a billion iterations without a system call: stepping back out of its end
// has no checkpoint near, so it runs long enough to be interrupted.
#include <stdio.h>
#include <time.h>

__attribute__((noinline)) void done(unsigned long x) { printf("%lx\n", x); }

int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  unsigned long x = (unsigned long)ts.tv_nsec;
  for (long i = 0; i < 1000000000L; i++) x = x * 2862933555777941757UL + 3037000493UL;
  done(x);  // AFTER-LOOP
  return 0;
}
