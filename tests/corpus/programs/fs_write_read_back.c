// Data written and read back must match in the replay even though the replay
// never touches the disk; the content is random so it differs per run.
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int main(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char dir[PATH_MAX], path[PATH_MAX + 16];
  snprintf(dir, sizeof dir, "%s/rrtr-corpus-XXXXXX", base);
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  snprintf(path, sizeof path, "%s/blob", dir);
  unsigned char out[64], in[64] = {0};
  if (getrandom(out, sizeof out, 0) != sizeof out) return 1;
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
  ssize_t w = write(fd, out, sizeof out);
  ssize_t r = pread(fd, in, sizeof in, 0);
  close(fd);
  printf("wrote %zd read %zd same %d\n", w, r, memcmp(in, out, sizeof in) == 0);
  for (int i = 0; i < 64; i++) printf("%02x", in[i]);
  printf("\n");
  unlink(path);
  rmdir(dir);
  return 0;
}
