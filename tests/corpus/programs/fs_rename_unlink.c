// rename changes ctime and keeps the inode; both are printed after the move.
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
  char dir[PATH_MAX], a[PATH_MAX + 8], b[PATH_MAX + 8];
  snprintf(dir, sizeof dir, "%s/rrtr-corpus-XXXXXX", base);
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  // File timestamps tick at scheduler-tick granularity and ext4 reuses the
  // inode freed by the previous run, so two quick runs can print the same
  // stat data; the random directory name keeps them apart.
  printf("directory %s\n", strrchr(dir, '/') + 1);
  snprintf(a, sizeof a, "%s/old", dir);
  snprintf(b, sizeof b, "%s/new", dir);
  close(open(a, O_CREAT | O_WRONLY, 0600));
  printf("rename %d\n", rename(a, b));
  struct stat st;
  printf("old exists %d\n", stat(a, &st) == 0);
  if (stat(b, &st) == 0)
    printf("new ino=%llu ctime=%lld.%09ld\n", (unsigned long long)st.st_ino,
           (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
  printf("unlink %d, again %d\n", unlink(b), unlink(b));
  printf("rmdir %d\n", rmdir(dir));
  return 0;
}
