/* Prints its pid on stderr, then hands stdout 1 MiB in one write(2): into a pipe that
 * is not drained, the call blocks inside the kernel after delivering part of it. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  static char buf[1 << 20];
  for (size_t i = 0; i < sizeof buf; ++i) buf[i] = (char)('A' + i % 23);
  fprintf(stderr, "pid %d\n", (int)getpid());
  return write(1, buf, sizeof buf) == (ssize_t)sizeof buf ? 0 : 1;
}
