// RDTSCP also returns TSC_AUX (the cpu number), which varies with scheduling.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>

int main(void) {
  uint32_t lo, hi, aux;
  __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
  printf("rdtscp %llu aux %u\n", ((unsigned long long)hi << 32) | lo, aux);
  return 0;
}
