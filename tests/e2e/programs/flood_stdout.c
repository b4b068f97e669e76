/* Writes argv[1] bytes of a position-dependent pattern to stdout, in uneven pieces so
 * that short writes and pipe buffering are exercised. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  long total = atol(argv[1]);
  static char buf[70001];
  long done = 0;
  size_t piece = 1;
  while (done < total) {
    size_t n = piece;
    if ((long)n > total - done) n = (size_t)(total - done);
    for (size_t i = 0; i < n; ++i) buf[i] = (char)('a' + (done + (long)i) * 7 % 26);
    size_t off = 0;
    while (off < n) {
      ssize_t w = write(1, buf + off, n - off);
      if (w <= 0) return 1;
      off += (size_t)w;
    }
    done += (long)n;
    piece = piece * 3 % sizeof buf + 1;
  }
  return 0;
}
