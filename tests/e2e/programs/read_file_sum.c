/* Reads the file argv[1] in 64 KiB pieces and prints a running checksum per piece;
 * the data read lands in the trace, which makes its events file span several chunks. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 1;
  static unsigned char buf[1 << 16];
  unsigned long sum = 1469598103934665603UL;
  ssize_t n;
  int piece = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; ++i) sum = (sum ^ buf[i]) * 1099511628211UL;
    printf("piece %d: %zd bytes, sum %016lx\n", piece++, n, sum);
  }
  close(fd);
  return 3;
}
