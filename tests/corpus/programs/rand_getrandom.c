// getrandom fills user memory; the replay must restore the recorded bytes.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/random.h>

int main(void) {
  unsigned char b[32];
  ssize_t n = getrandom(b, sizeof b, 0);
  printf("getrandom %zd bytes: ", n);
  for (int i = 0; i < 32; i++) printf("%02x", b[i]);
  printf("\n");
  return 0;
}
