// stat reports inode numbers and nanosecond timestamps of a file made just now.
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char dir[PATH_MAX], path[PATH_MAX + 16];
  snprintf(dir, sizeof dir, "%s/rrtr-corpus-XXXXXX", base);
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  // File timestamps tick at scheduler-tick granularity and ext4 reuses the
  // inode freed by the previous run, so two quick runs can print the same
  // stat data; the random directory name keeps them apart.
  printf("directory %s\n", strrchr(dir, '/') + 1);
  snprintf(path, sizeof path, "%s/data", dir);
  int fd = open(path, O_CREAT | O_WRONLY, 0644);
  if (write(fd, "hello\n", 6) != 6) perror("write");
  close(fd);
  struct stat st;
  if (stat(path, &st) == 0)
    printf("ino=%llu size=%lld mode=%o mtime=%lld.%09ld\n", (unsigned long long)st.st_ino,
           (long long)st.st_size, st.st_mode & 07777, (long long)st.st_mtim.tv_sec,
           st.st_mtim.tv_nsec);
  unlink(path);
  rmdir(dir);
  return 0;
}
