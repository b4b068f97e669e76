// RDTSC is an instruction, not a syscall: the engine has to trap it.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>

static uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

int main(void) {
  uint64_t a = rdtsc();
  uint64_t b = rdtsc();
  printf("rdtsc %llu then %llu\n", (unsigned long long)a, (unsigned long long)b);
  return 0;
}
