// Straight-line code, nested calls, loops, library calls and a bare syscall
// instruction: something for step, next, stepi and finish to walk through in both
// directions. What it computes comes from getrandom and the clock, so a replay that
// re-ran the calls instead of replaying them would print other numbers.
#include <stdio.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) static int square(int x) {
  int y = x * x;
  return y + 1;
}

__attribute__((noinline)) static int twice(int x) {
  int z = square(x);
  int w = square(x + 1);
  return z + w;
}

__attribute__((noinline)) static int sum_to(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += square(i);  // CALL-SQUARE
  return s;
}

__attribute__((noinline)) static long churn(long v) {
  for (int i = 0; i < 4000; i++) {
    v = v * 2862933555777941757L + 3037000493L;
    if (i % 1000 == 999) v ^= getppid();
  }
  return v;
}

__attribute__((noinline)) static long raw_getpid(void) {
  long r;
  // Inline, so that stepi walks through the syscall instruction itself.
  __asm__ volatile("syscall" : "=a"(r) : "a"(SYS_getpid) : "rcx", "r11", "memory");
  return r;
}

int main(void) {
  unsigned seed = 0;
  if (getrandom(&seed, sizeof seed, 0) != sizeof seed) return 2;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int a = (int)(seed % 7);  // WALK-START
  int b = twice(a);  // STEP-START
  int c = sum_to(3);  // SUM-CALL
  long e = churn(a + c);
  long pid = raw_getpid();  // STEPI-START
  int d = b + c + (int)(pid & 1);
  printf("a %d b %d c %d d %d e %lx ns %ld\n", a, b, c, d, (unsigned long)e, ts.tv_nsec);
  c = sum_to(a + 1);
  d += square(c % 5);
  printf("c %d d %d\n", c, d);
  return d > 1000000 ? 1 : 0;  // WALK-END
}
