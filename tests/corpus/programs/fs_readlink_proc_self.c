// /proc/self/exe is stable, but /proc/self/fd/1 names the pipe inode when
// stdout is a pipe; the clock covers a stable terminal.
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  char exe[PATH_MAX] = {0}, out[PATH_MAX] = {0};
  ssize_t n1 = readlink("/proc/self/exe", exe, sizeof exe - 1);
  ssize_t n2 = readlink("/proc/self/fd/1", out, sizeof out - 1);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("exe (%zd) %s\nfd/1 (%zd) %s\nat ns %ld\n", n1, exe, n2, out, ts.tv_nsec);
  return 0;
}
