// File creation under a randomly named directory; the replay must neither
// recreate the directory nor the files.
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char dir[PATH_MAX], path[PATH_MAX + 16];
  snprintf(dir, sizeof dir, "%s/rrtr-corpus-XXXXXX", base);
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  printf("created %s\n", dir);
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/f%d", dir, i);
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
    printf("open f%d -> %s\n", i, fd >= 0 ? "ok" : "failed");
    if (fd >= 0) close(fd);
  }
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/f%d", dir, i);
    unlink(path);
  }
  printf("rmdir %d\n", rmdir(dir));
  return 0;
}
