// glibc 2.36's arc4random draws from getrandom internally, hidden behind libc.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  unsigned char buf[16];
  arc4random_buf(buf, sizeof buf);
  printf("arc4random %08x uniform(1000) %u\nbuf ", arc4random(), arc4random_uniform(1000));
  for (int i = 0; i < 16; i++) printf("%02x", buf[i]);
  printf("\n");
  return 0;
}
