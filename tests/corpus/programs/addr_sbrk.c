// The program break starts at a randomized offset after the executable.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  void *before = sbrk(0);
  void *raw = (void *)syscall(SYS_brk, 0);
  void *grown = sbrk(8192);
  void *after = sbrk(0);
  printf("sbrk(0) %p raw brk %p\n", before, raw);
  printf("grew from %p to %p (+%ld)\n", grown, after, (long)((intptr_t)after - (intptr_t)grown));
  return 0;
}
