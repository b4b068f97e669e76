// 200 KB of output is far beyond a pipe's 64 KB buffer, so the writes block
// and may be split; the replay must emit exactly the same bytes.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/random.h>

int main(void) {
  static unsigned char seed[100 * 1024];
  size_t got = 0;
  // getrandom may return fewer bytes than asked for large requests.
  while (got < sizeof seed) {
    ssize_t n = getrandom(seed + got, sizeof seed - got, 0);
    if (n <= 0) return 1;
    got += (size_t)n;
  }
  for (size_t i = 0; i < sizeof seed; i++) {
    printf("%02x", seed[i]);
    if (i % 64 == 63) putchar('\n');
  }
  return 0;
}
