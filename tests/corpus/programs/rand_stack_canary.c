// The stack protector canary in %fs:0x28 is derived from AT_RANDOM at startup.
#define _GNU_SOURCE
#include <stdio.h>

int main(void) {
  unsigned long canary;
  __asm__ volatile("mov %%fs:0x28, %0" : "=r"(canary));
  printf("canary %016lx\n", canary);
  return 0;
}
