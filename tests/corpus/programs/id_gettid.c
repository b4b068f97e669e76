// glibc caches no tid for us, so this is a real syscall every time.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  long tid = syscall(SYS_gettid);
  printf("gettid %ld\n", tid);
  return 0;
}
