// Directory listings expose inode numbers and the order entries are stored in.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char dir[PATH_MAX], path[PATH_MAX + 16];
  snprintf(dir, sizeof dir, "%s/rrtr-corpus-XXXXXX", base);
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  // ext4 hands a freed inode straight to the next file, so two runs can list
  // identical inodes; the random directory name keeps them apart.
  printf("directory %s\n", strrchr(dir, '/') + 1);
  const char *names[] = {"alpha", "beta", "gamma", "delta"};
  for (int i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    close(open(path, O_CREAT | O_WRONLY, 0600));
  }
  DIR *d = opendir(dir);
  if (!d) return perror("opendir"), 1;
  for (struct dirent *e; (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      printf("%s ino=%llu type=%d\n", e->d_name, (unsigned long long)e->d_ino, e->d_type);
  closedir(d);
  for (int i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
  return 0;
}
