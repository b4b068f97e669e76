// Temporary names are random; a name is printed and then removed again.
// The clock is printed too because name collisions, though unlikely, are possible.
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char dir[PATH_MAX], file[PATH_MAX + 16];
  snprintf(dir, sizeof dir, "%s/rrtr-corpus-XXXXXX", base);
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  snprintf(file, sizeof file, "%s/file-XXXXXX", dir);
  int fd = mkstemp(file);
  if (fd < 0) return perror("mkstemp"), rmdir(dir), 1;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("dir %s\nfile %s\nat ns %ld\n", dir, file, ts.tv_nsec);
  close(fd);
  unlink(file);
  rmdir(dir);
  return 0;
}
