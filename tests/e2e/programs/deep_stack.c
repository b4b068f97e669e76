/* Uses more stack than the kernel mapped at exec, with no call: the stack grows on
 * faults below it. "grow": a 2 MiB frame and 1000 nested 4 KiB ones, then prints where
 * the stack is (different on every run). "overflow": recurses until the stack limit
 * stops it (SIGSEGV), at a depth the limit decides. */
#include <stdio.h>
#include <string.h>

static int nest(int n) {
  volatile char frame[4096];
  memset((char*)frame, n, sizeof frame);
  return n == 0 ? frame[0] : nest(n - 1) + frame[100];
}

static int overflow(int n) {
  volatile char frame[1024];
  if (n < 0) return 0; /* never: a way out the compiler can see */
  frame[0] = (char)n;
  return overflow(n + 1) + frame[0];
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "overflow") == 0) {
    printf("going down\n");
    fflush(stdout);
    return overflow(0);
  }
  volatile char big[2 << 20];
  memset((char*)big, 1, sizeof big);
  printf("stack near %p, sum %d\n", (void*)big, big[12345] + nest(1000));
  return 0;
}
