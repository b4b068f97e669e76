// Raw getdents64 returns a kernel-formatted buffer: the engine must save the
// whole buffer, including the hash-order offsets in d_off.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

int main(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char dir[PATH_MAX], path[PATH_MAX + 16];
  snprintf(dir, sizeof dir, "%s/rrtr-corpus-XXXXXX", base);
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  // ext4 hands a freed inode straight to the next file, so two runs can list
  // identical inodes; the random directory name keeps them apart.
  printf("directory %s\n", strrchr(dir, '/') + 1);
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/entry%d", dir, i);
    close(open(path, O_CREAT | O_WRONLY, 0600));
  }
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  char buf[4096] __attribute__((aligned(8)));
  long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
  printf("getdents64 returned %ld bytes\n", n);
  for (long off = 0; off < n;) {
    struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
    printf("%s ino=%llu off=%lld\n", e->d_name, (unsigned long long)e->d_ino, (long long)e->d_off);
    off += e->d_reclen;
  }
  close(fd);
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/entry%d", dir, i);
    unlink(path);
  }
  rmdir(dir);
  return 0;
}
