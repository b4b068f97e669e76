/* Writes the pid that getpid() returned with one write(2), right after the call:
 * the trace then has a getpid event immediately followed by the write that uses it. */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  char buf[64];
  int n = snprintf(buf, sizeof buf, "my pid is %ld\n", syscall(SYS_getpid));
  return write(1, buf, (size_t)n) == n ? 0 : 1;
}
