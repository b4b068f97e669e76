/* The smallest test binary: startup and exit dominate. */
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
