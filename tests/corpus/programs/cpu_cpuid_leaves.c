// CPUID results are mostly stable on one machine (leaf 1 EBX carries the APIC
// id of whichever cpu ran it), so an RDTSC read is printed beside them.
#define _GNU_SOURCE
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
  const unsigned leaves[] = {0, 1, 7};
  for (int i = 0; i < 3; i++) {
    unsigned a = 0, b = 0, c = 0, d = 0;
    __cpuid_count(leaves[i], 0, a, b, c, d);
    printf("cpuid %u: eax=%08x ebx=%08x ecx=%08x edx=%08x\n", leaves[i], a, b, c, d);
  }
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  printf("rdtsc %llu\n", ((unsigned long long)hi << 32) | lo);
  return 0;
}
