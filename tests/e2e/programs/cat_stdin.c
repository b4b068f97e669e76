/* Copies stdin to stdout, then reports the byte count on stderr. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  static char buf[1 << 16];
  long total = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) return 1;
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(1, buf + off, (size_t)(n - off));
      if (w <= 0) return 1;
      off += w;
    }
    total += n;
  }
  fprintf(stderr, "copied %ld bytes\n", total);
  return 0;
}
