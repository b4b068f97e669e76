// Randomness arriving through open+read of a device rather than a dedicated syscall.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return perror("/dev/urandom"), 1;
  unsigned char b[24];
  ssize_t n = read(fd, b, sizeof b);
  close(fd);
  printf("urandom %zd bytes: ", n);
  for (ssize_t i = 0; i < n; i++) printf("%02x", b[i]);
  printf("\n");
  return 0;
}
